package store_test

import (
	"slices"
	"testing"

	"github.com/leancoach/leancoach/internal/coach"
)

func TestDirectors(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()

	if _, err := db.Director(ctx, "U1"); true {
		wantCode(t, err, coach.ENOTFOUND)
	}
	wantCode(t, db.DeleteDirector(ctx, "U1"), coach.ENOTFOUND)

	b := coach.Director{ID: "UB", Leaders: []coach.UserID{"UL1", "UL2"}, AddedBy: "UADM", AddedAt: t0,
		Leave: []coach.Period{{From: t0, Until: t0.AddDate(0, 0, 14)}}}
	a := coach.Director{ID: "UA", Leaders: []coach.UserID{"UL3"}, AddedBy: "UADM", AddedAt: t0}
	must(t, db.PutDirector(ctx, b))
	must(t, db.PutDirector(ctx, a))

	got, err := db.Director(ctx, "UB")
	must(t, err)
	if !equalDirector(got, b) {
		t.Errorf("Director(UB) = %+v, want %+v", got, b)
	}
	all, err := db.Directors(ctx)
	must(t, err)
	if ids := directorIDs(all); !slices.Equal(ids, []coach.UserID{"UA", "UB"}) {
		t.Errorf("Directors() = %v, want [UA UB] (ordered by ID)", ids)
	}

	b.Leaders = []coach.UserID{"UL2"}
	must(t, db.PutDirector(ctx, b))
	if got, _ := db.Director(ctx, "UB"); !slices.Equal(got.Leaders, b.Leaders) {
		t.Errorf("Director(UB).Leaders after Put = %v, want %v", got.Leaders, b.Leaders)
	}

	must(t, db.DeleteDirector(ctx, "UA"))
	_, err = db.Director(ctx, "UA")
	wantCode(t, err, coach.ENOTFOUND)
	all, _ = db.Directors(ctx)
	if ids := directorIDs(all); !slices.Equal(ids, []coach.UserID{"UB"}) {
		t.Errorf("Directors() after delete = %v, want [UB]", ids)
	}
}

func directorIDs(ds []coach.Director) []coach.UserID {
	var out []coach.UserID
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func equalDirector(a, b coach.Director) bool {
	return a.ID == b.ID && slices.Equal(a.Leaders, b.Leaders) && a.AddedBy == b.AddedBy &&
		a.AddedAt.Equal(b.AddedAt) && slices.EqualFunc(a.Leave, b.Leave, func(x, y coach.Period) bool {
		return x.From.Equal(y.From) && x.Until.Equal(y.Until)
	})
}

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/sandbox"
	"github.com/leancoach/leancoach/internal/secret"
	"github.com/leancoach/leancoach/internal/slacksim"
)

// demoWorkspace names the people of the sandbox's demo workspace.
type demoWorkspace struct {
	admin     coach.UserID
	directors []coach.UserID
	leaders   []coach.UserID
	kudos     coach.ChannelID
	zones     map[coach.UserID]string // each person's Slack time zone
}

// seedWorkspace fills a local Slack with the demo workspace of product.md: an
// admin, two directors, two Lean leaders and a #kudos channel, Dutch and
// English speakers in three time zones. The visitor starts as the admin, who
// speaks English, as the README does.
func seedWorkspace(sim *slacksim.Server) demoWorkspace {
	users := []slacksim.User{
		{ID: "U0ADMIN01", Name: "ingrid", RealName: "Ingrid de Vries", TZ: "Europe/Amsterdam", Locale: "en-GB", IsAdmin: true},
		{ID: "U0DIRECT1", Name: "maarten", RealName: "Maarten Jansen", TZ: "Europe/Amsterdam", Locale: "nl-NL"},
		{ID: "U0DIRECT2", Name: "sarah", RealName: "Sarah Mitchell", TZ: "Europe/London", Locale: "en-GB"},
		{ID: "U0LEADER1", Name: "fatima", RealName: "Fatima El Amrani", TZ: "Europe/Amsterdam", Locale: "nl-NL"},
		{ID: "U0LEADER2", Name: "tom", RealName: "Tom Peeters", TZ: "Europe/Brussels", Locale: "nl-BE"},
	}
	for _, u := range users {
		sim.AddUser(u)
	}
	var members []string
	zones := map[coach.UserID]string{}
	for _, u := range users {
		members = append(members, u.ID)
		zones[coach.UserID(u.ID)] = u.TZ
	}
	sim.AddChannel(slacksim.Channel{ID: "C0KUDOS01", Name: "kudos", Members: members})
	return demoWorkspace{
		admin:     "U0ADMIN01",
		directors: []coach.UserID{"U0DIRECT1", "U0DIRECT2"},
		leaders:   []coach.UserID{"U0LEADER1", "U0LEADER2"},
		kudos:     "C0KUDOS01",
		zones:     zones,
	}
}

// demoStep is one step of a demo path: what to hand over, what handed over
// looks like, and the target, in days from today.
type demoStep struct {
	what, done string
	in         int
}

// demoReview is one review of a demo path, days ago.
type demoReview struct {
	ago     int
	outcome coach.ReviewOutcome
	saw     string
	next    demoStep // zero: the step stays
	style   coach.Style
	phase   coach.Phase
}

// demoPath is a pair's path as the demo starts it: set some days ago, then
// reviewed. The texts are the director's, in the director's language.
type demoPath struct {
	director, leader coach.UserID
	setAgo           int
	style            coach.Style
	phase            coach.Phase
	phaseAgo         int // when the phase began, days ago
	next             demoStep
	reviews          []demoReview
}

// demoPaths are the demo's delegation paths: Maarten and Fatima reviewed
// twice (a responsibility handed over, then partly), with a review due in a
// few days; Sarah and Tom reviewed once, their target date passed since.
func (w demoWorkspace) demoPaths() []demoPath {
	return []demoPath{
		{director: w.directors[0], leader: w.leaders[0], setAgo: 120, style: coach.Directing, phase: coach.SelfAcceptance, phaseAgo: 150,
			next: demoStep{what: "Bereidt de agenda van de weekreview voor", in: -90},
			reviews: []demoReview{
				{ago: 88, outcome: coach.Handed, saw: "De agenda stond maandag klaar, met de cijfers erbij.", style: coach.Coaching,
					next: demoStep{what: "Leidt de weekreview zelf", done: "Het team brengt zelf de cijfers in; ik luister alleen.", in: -30}},
				{ago: 27, outcome: coach.Partly, saw: "Leidde hem twee keer zelf; één keer vroeg ze mij in te springen.", phase: coach.SelfKnowledge,
					next: demoStep{what: "Leidt de weekreview zelf", done: "Het team brengt zelf de cijfers in; ik luister alleen.", in: 21}},
			}},
		{director: w.directors[1], leader: w.leaders[1], setAgo: 45, style: coach.Coaching, phase: coach.SelfKnowledge, phaseAgo: 200,
			next: demoStep{what: "Runs the Monday stand-up without me", done: "The team walks the board and picks its own actions.", in: -10},
			reviews: []demoReview{
				{ago: 14, outcome: coach.NotYet, saw: "Two stand-ups were cancelled for the audit; Tom wants to try again."},
			}},
	}
}

// paths builds the demo paths on the day now is in each director's zone,
// through the domain's own rules (Path.Set, Path.Apply).
func (w demoWorkspace) paths(now time.Time) ([]coach.Path, error) {
	var out []coach.Path
	for _, d := range w.demoPaths() {
		loc, err := time.LoadLocation(w.zones[d.director])
		if err != nil {
			return nil, fmt.Errorf("demo path of %s: %w", d.director, err)
		}
		today := coach.DateOf(now.In(loc))
		at := func(ago int) time.Time { return now.AddDate(0, 0, -ago) }
		step := func(s demoStep) coach.Step {
			return coach.Step{Responsibility: s.what, DoneLooksLike: s.done, Target: today.AddDays(s.in)}
		}
		p := coach.Path{Pair: coach.Pair{Director: d.director, Leader: d.leader}}
		p = p.Set(coach.PathInput{Style: d.style, Phase: d.phase, PhaseSince: today.AddDays(-d.phaseAgo), Next: step(d.next)},
			at(d.setAgo), today.AddDays(-d.setAgo))
		for _, r := range d.reviews {
			in := coach.ReviewInput{Rev: p.Rev, Outcome: r.outcome, Saw: r.saw, Style: r.style, Phase: r.phase}
			if r.next != (demoStep{}) {
				in.Next = step(r.next)
			}
			p = p.Apply(in, at(r.ago), today.AddDays(-r.ago))
		}
		out = append(out, p)
	}
	return out, nil
}

// seedPaths stores the demo paths, as of now, in the bot's database.
func (w demoWorkspace) seedPaths(ctx context.Context, st coach.PathStore, now time.Time) error {
	ps, err := w.paths(now)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := st.UpdatePath(ctx, p.Pair, func(cur *coach.Path) error {
			*cur = p
			return nil
		}); err != nil {
			return fmt.Errorf("seed demo path: %w", err)
		}
	}
	return nil
}

// demoCheckIn is one monthly check-in of a demo Lean leader, months ago.
type demoCheckIn struct {
	ago         int
	needed, got coach.Style
	note        string
	private     bool
}

// demoLeader is what a demo Lean leader has said and received: their
// check-ins with their director, a comment on the path and a compliment
// from the director, days ago. Each writes in the language they read
// their director in.
type demoLeader struct {
	checkIns []demoCheckIn
	comment  string
	kudos    string
	kudosAgo int
}

// demoLeaders are the demo's Lean leaders' side, one per pair of
// demoPaths: Fatima needed facilitating and got directing last month, and
// kept a note for herself; Tom got what he needed last month and shared
// what Sarah could let go of.
func (w demoWorkspace) demoLeaders() []demoLeader {
	return []demoLeader{
		{checkIns: []demoCheckIn{
			{ago: 2, needed: coach.Coaching, got: coach.Directing, note: "De agenda van de weekreview: die kan ik zelf opstellen."},
			{ago: 1, needed: coach.Facilitating, got: coach.Directing, note: "Als het spannend wordt, neemt hij het gesprek over. Dat durf ik nog niet te zeggen.", private: true},
		},
			comment: "Ik wil de volgende weekreview helemaal zelf leiden. Wil je er alleen bij zijn om te kijken?",
			kudos:   "Sterke weekreview vandaag: het team kwam zelf met de cijfers en de volgende stap.", kudosAgo: 9},
		{checkIns: []demoCheckIn{
			{ago: 2, needed: coach.Coaching, got: coach.Directing},
			{ago: 1, needed: coach.Facilitating, got: coach.Facilitating, note: "Checking the board before the stand-up: I can do that now."},
		},
			comment: "Could we move the Monday stand-up to 09:00, so that I can get the board ready first?",
			kudos:   "You kept the stand-up to 15 minutes and the team picked its own actions. Well done.", kudosAgo: 12},
	}
}

// leaderSideStore is where the demo's Lean leaders' side is stored.
type leaderSideStore interface {
	coach.CheckInStore
	coach.CommentStore
	coach.KudosStore
}

// seedLeaderSide stores, as of now, each demo Lean leader's check-ins
// (their months in the Lean leader's zone), comment and a compliment from
// their director, so that a Lean leader's Home and a director's path card
// have something to show from the start.
func (w demoWorkspace) seedLeaderSide(ctx context.Context, st leaderSideStore, now time.Time) error {
	for i, l := range w.demoLeaders() {
		pair := coach.Pair{Director: w.directors[i], Leader: w.leaders[i]}
		loc, err := time.LoadLocation(w.zones[pair.Leader])
		if err != nil {
			return fmt.Errorf("demo check-ins of %s: %w", pair.Leader, err)
		}
		month := coach.MonthOf(coach.DateOf(now.In(loc)))
		for _, c := range l.checkIns {
			at := now.AddDate(0, -c.ago, 0)
			ci := coach.CheckIn{Pair: pair, Month: month.Add(-c.ago)}.Apply(coach.CheckInAnswer{Needed: c.needed, Got: c.got,
				Note: &coach.CheckInNote{Text: c.note, Private: c.private}}, at)
			if _, err := st.UpdateCheckIn(ctx, pair, ci.Month, func(cur *coach.CheckIn) error { *cur = ci; return nil }); err != nil {
				return fmt.Errorf("seed demo check-in: %w", err)
			}
		}
		if _, err := st.AddComment(ctx, coach.Comment{Pair: pair, At: now.AddDate(0, 0, -3), Text: l.comment}, coach.MaxComments); err != nil {
			return fmt.Errorf("seed demo comment: %w", err)
		}
		if err := st.AddKudos(ctx, coach.Kudos{From: pair.Director, To: pair.Leader, Text: l.kudos, At: now.AddDate(0, 0, -l.kudosAgo),
			Channel: w.kudos}); err != nil {
			return fmt.Errorf("seed demo kudos: %w", err)
		}
	}
	return nil
}

// guide is the page's "try this" walk-through over the demo workspace: the
// admin looks at the setup and sends Sarah a prompt; Sarah answers it, gives
// her Lean leader Tom kudos, which Tom reads in #kudos, opens her Home, and
// sees and opens her delegation path with Tom, which Tom then sees from his
// side on his Home; Tom answers his monthly check-in about Sarah; then
// anyone switches language.
func (w demoWorkspace) guide() []sandbox.GuideStep {
	admin, sarah, tom := string(w.admin), string(w.directors[1]), string(w.leaders[1])
	return []sandbox.GuideStep{
		{Key: "setup", Names: []string{admin}, Actions: []sandbox.GuideAction{
			{As: admin, Command: "/coach director list"},
			{As: admin, Command: "/coach schedule list"},
		}},
		{Key: "prompt", Names: []string{admin, sarah}, Actions: []sandbox.GuideAction{
			{As: admin, Command: "/coach send " + string(coach.Standup) + " @sarah"},
		}},
		{Key: "answer", Names: []string{sarah}, Actions: []sandbox.GuideAction{{As: sarah}}},
		{Key: "kudos", Names: []string{sarah, tom}, Actions: []sandbox.GuideAction{
			{As: sarah, Command: "/coach kudos @tom Great stand-up today: the board was current and the team solved the blocker themselves."},
			{As: tom, Open: string(w.kudos)},
		}},
		{Key: "home", Names: []string{sarah}, Actions: []sandbox.GuideAction{{As: sarah, Open: sandbox.OpenHome}}},
		{Key: "path", Names: []string{sarah, tom}, Actions: []sandbox.GuideAction{
			{As: sarah, Open: sandbox.OpenHome},
			{As: sarah, Command: "/coach path @tom"},
			{As: tom, Open: sandbox.OpenHome},
		}},
		{Key: "checkin", Names: []string{tom, sarah}, Actions: []sandbox.GuideAction{
			{As: tom},
			{As: admin, Command: "/coach send checkin @tom"},
		}},
		{Key: "language", Actions: []sandbox.GuideAction{
			{Command: "/coach language nl"},
			{Command: "/coach language en"},
		}},
	}
}

func secretToken(s string) secret.Token { return secret.Token(s) }

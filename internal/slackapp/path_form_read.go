package slackapp

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// PathMeta is the private_metadata of the path and review forms: the pair
// (the director is whoever submits), the path as the form showed it (its
// Rev, so that a stale form is refused, and what the date rules compare
// with), the director's zone, the language the form was rendered in, and
// where the form was opened from. Slack echoes it back, but it is still
// input: ParsePathMeta checks it, and PathService checks the pair and the
// Rev against the store.
type PathMeta struct {
	Leader coach.UserID `json:"u"`
	Rev    int          `json:"r"`
	// Target is the next step's target date the form showed (YYYY-MM-DD):
	// kept as it is, it passes even when it has passed.
	Target string `json:"t,omitempty"`
	// Phase, PhaseSince and PrevSince are the phase now, when it began and
	// when the phase before it began: a new start of the phase must not lie
	// before the phase it follows.
	Phase      int             `json:"p,omitempty"`
	PhaseSince string          `json:"ps,omitempty"`
	PrevSince  string          `json:"pp,omitempty"`
	Zone       string          `json:"z"`
	Lang       i18n.Lang       `json:"l"`
	Channel    coach.ChannelID `json:"c,omitempty"` // "" when opened from the App Home
	// Prompt is the path prompt the form was opened from ("" for none):
	// submitted, the form records it done.
	Prompt coach.OccurrenceKey `json:"k,omitempty"`
}

// NewPathMeta is the metadata of a form about v, in lang, opened from
// channel ("" for the App Home).
func NewPathMeta(v coach.PathView, lang i18n.Lang, channel coach.ChannelID) PathMeta {
	m := PathMeta{Leader: v.Leader, Lang: lang, Channel: channel, Zone: orUTC(v.Loc).String()}
	if p := v.Path; p != nil {
		m.Rev, m.Target, m.Phase = p.Rev, p.Next.Target.String(), int(p.Phase())
		m.PhaseSince = p.PhaseSince().String()
		if n := len(p.Phases); n > 1 {
			m.PrevSince = p.Phases[n-2].Since.String()
		}
	}
	return m
}

func (m PathMeta) encode() string {
	b, _ := json.Marshal(m) // strings and ints: cannot fail
	return string(b)
}

// ParsePathMeta decodes a path form's private_metadata and checks every
// field; an unknown language becomes English.
func ParsePathMeta(s string) (PathMeta, error) {
	if len(s) == 0 || len(s) > 3000 {
		return PathMeta{}, errors.New("path form metadata: missing or too long")
	}
	var m PathMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return PathMeta{}, errors.New("path form metadata: not JSON")
	}
	if _, ok := coach.ParseUserID(string(m.Leader)); !ok {
		return PathMeta{}, errors.New("path form metadata: bad Lean leader")
	}
	if m.Rev < 0 || (m.Rev == 0) != (m.Phase == 0) || (m.Phase != 0 && !coach.Phase(m.Phase).Valid()) {
		return PathMeta{}, errors.New("path form metadata: bad revision or phase")
	}
	for _, d := range []string{m.Target, m.PhaseSince, m.PrevSince} {
		if _, ok := coach.ParseDate(d); d != "" && !ok {
			return PathMeta{}, errors.New("path form metadata: bad date")
		}
	}
	if m.Channel != "" {
		if _, ok := coach.ParseChannelID(string(m.Channel)); !ok {
			return PathMeta{}, errors.New("path form metadata: bad channel")
		}
	}
	if m.Zone == "" {
		return PathMeta{}, errors.New("path form metadata: no zone")
	}
	if m.Prompt != "" && !validKey(string(m.Prompt)) {
		return PathMeta{}, errors.New("path form metadata: bad prompt")
	}
	if l, ok := i18n.ParseLang(string(m.Lang)); ok {
		m.Lang = l
	} else {
		m.Lang = i18n.EN
	}
	return m, nil
}

// current is the path as the form showed it, as far as the form's rules
// read it (coach.ValidatePath, coach.ValidateReview): its Rev, the next
// step's target and the phases' starts.
func (m PathMeta) current() coach.Path {
	p := coach.Path{Rev: m.Rev}
	p.Next.Target, _ = coach.ParseDate(m.Target)
	if m.Phase == 0 {
		return p
	}
	if since, ok := coach.ParseDate(m.PrevSince); ok {
		p.Phases = append(p.Phases, coach.Spell[coach.Phase]{Since: since})
	}
	since, _ := coach.ParseDate(m.PhaseSince)
	p.Phases = append(p.Phases, coach.Spell[coach.Phase]{Value: coach.Phase(m.Phase), Since: since})
	return p
}

// readPathForm reads a submitted path form: its metadata and what was
// filled in. err is set when the submission is not one of ours at all.
func readPathForm(cb slack.InteractionCallback) (PathMeta, coach.PathForm, error) {
	if cb.View.CallbackID != ViewPathForm {
		return PathMeta{}, coach.PathForm{}, errors.New("path form: unknown callback_id")
	}
	m, err := ParsePathMeta(cb.View.PrivateMetadata)
	if err != nil {
		return PathMeta{}, coach.PathForm{}, err
	}
	st := cb.View.State
	return m, coach.PathForm{
		Style:          stateValue(st, string(coach.FieldStyle)).SelectedOption.Value,
		Phase:          stateValue(st, string(coach.FieldPhase)).SelectedOption.Value,
		PhaseSince:     stateValue(st, string(coach.FieldPhaseSince)).SelectedDate,
		Responsibility: stateValue(st, string(coach.FieldResponsibility)).Value,
		DoneLooksLike:  stateValue(st, string(coach.FieldDoneLooksLike)).Value,
		Target:         stateValue(st, string(coach.FieldTarget)).SelectedDate,
	}, nil
}

// readReviewForm reads a submitted review form, as readPathForm. The
// "keep" options of the style and the phase read as "" (keep).
func readReviewForm(cb slack.InteractionCallback) (PathMeta, coach.ReviewForm, error) {
	if cb.View.CallbackID != ViewPathReview {
		return PathMeta{}, coach.ReviewForm{}, errors.New("review form: unknown callback_id")
	}
	m, err := ParsePathMeta(cb.View.PrivateMetadata)
	if err != nil {
		return PathMeta{}, coach.ReviewForm{}, err
	}
	if m.Rev == 0 {
		return PathMeta{}, coach.ReviewForm{}, errors.New("review form: no path")
	}
	st := cb.View.State
	keep := func(v string) string {
		if v == keepValue {
			return ""
		}
		return v
	}
	return m, coach.ReviewForm{
		Outcome:        stateValue(st, string(coach.FieldOutcome)).SelectedOption.Value,
		Saw:            stateValue(st, string(coach.FieldSaw)).Value,
		Style:          keep(stateValue(st, string(coach.FieldStyle)).SelectedOption.Value),
		Phase:          keep(stateValue(st, string(coach.FieldPhase)).SelectedOption.Value),
		Responsibility: stateValue(st, string(coach.FieldResponsibility)).Value,
		DoneLooksLike:  stateValue(st, string(coach.FieldDoneLooksLike)).Value,
		Target:         stateValue(st, string(coach.FieldTarget)).SelectedDate,
	}, nil
}

// CheckPathForm reads and validates a submitted path form in memory (it
// runs before the ack), on the director's day at now in the zone the form
// carries: the input for PathService.SetPath, with the form's Rev, and the
// field errors by block_id in the form's language. err is set when the
// submission is not one of ours at all.
func CheckPathForm(cb slack.InteractionCallback, now time.Time, zone func(string) *time.Location) (PathMeta, coach.PathInput, map[string]string, error) {
	m, f, err := readPathForm(cb)
	if err != nil {
		return PathMeta{}, coach.PathInput{}, nil, err
	}
	in, err := f.Input()
	if err == nil {
		in.Rev = m.Rev
		_, err = coach.ValidatePath(in, m.current(), coach.DateOf(now.In(zone(m.Zone))))
	}
	return m, in, fieldErrors(m.Lang, err, string(coach.FieldStyle)), nil
}

// CheckReviewForm is CheckPathForm for the review form.
func CheckReviewForm(cb slack.InteractionCallback, now time.Time, zone func(string) *time.Location) (PathMeta, coach.ReviewInput, map[string]string, error) {
	m, f, err := readReviewForm(cb)
	if err != nil {
		return PathMeta{}, coach.ReviewInput{}, nil, err
	}
	in, err := f.Input()
	if err == nil {
		in.Rev = m.Rev
		_, err = coach.ValidateReview(in, m.current(), coach.DateOf(now.In(zone(m.Zone))))
	}
	return m, in, fieldErrors(m.Lang, err, string(coach.FieldOutcome)), nil
}

// fieldErrors is err as response_action "errors": its message beside its
// field (coach.FieldOf), or beside fallback when it names none; nil for
// nil.
func fieldErrors(lang i18n.Lang, err error, fallback string) map[string]string {
	if err == nil {
		return nil
	}
	block := fallback
	if f, ok := coach.FieldOf(err); ok {
		block = string(f)
	}
	return map[string]string{block: ErrorText(lang, err)}
}

package slackapp_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackapp"
)

// checkInContexts are Lars's December check-in with sfDir as the message
// shows it: fresh; half answered; and answered with a note only for him.
func checkInContexts() map[string]coach.CheckInContext {
	pair := coach.Pair{Director: sfDir, Leader: pathHistory}
	fresh := coach.CheckIn{Pair: pair, Month: dec2026, Opened: sfNow}
	half := fresh.Apply(coach.CheckInAnswer{Needed: coach.Facilitating}, sfNow)
	done := half.Apply(coach.CheckInAnswer{Got: coach.Directing, Note: &coach.CheckInNote{Text: "The Monday <numbers>: " + leaderSecret, Private: true}}, sfNow)
	shared := done.Apply(coach.CheckInAnswer{Note: &coach.CheckInNote{Text: "The weekly planning & its agenda"}}, sfNow)
	ctx := func(c coach.CheckIn, path coach.Style) coach.CheckInContext {
		p, _ := c.Shared()
		if !c.IsAnswered() {
			p = coach.SharedCheckIn{Pair: c.Pair, Month: c.Month, Needed: c.Needed, Got: c.Got, Note: c.SharedNote()}
		}
		return coach.CheckInContext{Pair: pair, Month: dec2026, CheckIn: c, Preview: p, Visible: c.IsAnswered(), PathStyle: path}
	}
	return map[string]coach.CheckInContext{
		"fresh":   ctx(fresh, coach.Facilitating),
		"half":    ctx(half, ""),
		"private": ctx(done, ""),
		"shared":  ctx(shared, coach.Facilitating),
	}
}

func TestCheckInMessage(t *testing.T) {
	for name, cc := range checkInContexts() {
		for _, l := range i18n.Langs() {
			text, blocks := slackapp.RenderCheckIn(l, cc)
			checkMessage(t, "checkin_"+name+"."+string(l), text, blocks)
		}
	}
	cs := checkInContexts()
	for _, tt := range []struct {
		name string
		lang i18n.Lang
		want []string
		not  []string
	}{
		{"fresh", i18n.EN, []string{"*Which style did you need most from <@UDIRANNA1> this month?*", "*Which did you get from <@UDIRANNA1>?*",
			"👁 *What <@UDIRANNA1> will see* once you have picked both styles: needed *–* · got *–*",
			`"action_id":"checkin.needed.facilitating","value":"UDIRANNA1|2026-12|facilitating"`, `"action_id":"checkin.got.directing","value":"UDIRANNA1|2026-12|directing"`,
			"Your path with <@UDIRANNA1> says you need facilitating now.", "until the end of January"}, []string{"✅", "✓"}},
		{"half", i18n.NL, []string{"✓ faciliteren", "nodig *faciliteren* · gekregen *–*"}, []string{"✅"}},
		{"private", i18n.EN, []string{"👁 *What <@UDIRANNA1> sees:* needed *facilitating* · got *directing*",
			"🔒 Only for you: The Monday &lt;numbers&gt;: " + leaderSecret, "🔒 Your note is only for you", "✅ Recorded.", "Change it"},
			[]string{"👁 and your note"}},
		{"shared", i18n.EN, []string{"👁 and your note: The weekly planning &amp; its agenda"}, []string{leaderSecret}},
	} {
		text, blocks := slackapp.RenderCheckIn(tt.lang, cs[tt.name])
		s := readableJSON(message{text, blocks})
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s %s: message lacks %q:\n%s", tt.name, tt.lang, w, s)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(s, w) {
				t.Errorf("%s %s: message shows %q:\n%s", tt.name, tt.lang, w, s)
			}
		}
	}
	// The preview line, what the director sees, never holds the private
	// note: only the Lean leader's own line does.
	_, blocks := slackapp.RenderCheckIn(i18n.EN, cs["private"])
	for _, b := range blocks {
		if c, ok := b.(*slack.ContextBlock); ok && strings.Contains(readableJSON(c), leaderSecret) {
			t.Errorf("the preview shows the note kept only for the Lean leader: %s", readableJSON(c))
		}
	}
}

func TestCheckInChoice(t *testing.T) {
	c := coach.CheckInChoice{Director: sfDir, Month: dec2026, Style: coach.Coaching}
	if got, ok := coach.ParseCheckInChoice(c.String()); !ok || got != c {
		t.Errorf("ParseCheckInChoice(%q) = %+v, %v", c.String(), got, ok)
	}
	for _, bad := range []string{"", "UDIRANNA1", "UDIRANNA1|2026-13", "UDIRANNA1|2026-12|coachen", "x|2026-12", "UDIRANNA1|2026-12|coaching|x"} {
		if got, ok := coach.ParseCheckInChoice(bad); ok {
			t.Errorf("ParseCheckInChoice(%q) = %+v, want refused", bad, got)
		}
	}
}

func TestCheckInNoteForm(t *testing.T) {
	pair := coach.Pair{Director: sfDir, Leader: pathHistory}
	c := coach.CheckIn{Pair: pair, Month: dec2026, Note: "agenda", Private: true}
	for _, l := range i18n.Langs() {
		v := slackapp.CheckInNoteView(l, slackapp.CheckInNoteMeta{Director: sfDir, Month: dec2026.String(), Channel: "D1", TS: "1.2"}, c)
		checkView(t, "modal_checkin_note."+string(l), v)
	}
	meta := slackapp.CheckInNoteView(i18n.NL, slackapp.CheckInNoteMeta{Director: sfDir, Month: dec2026.String()}, coach.CheckIn{}).PrivateMetadata
	submit := func(meta, text, who string) slack.InteractionCallback {
		var cb slack.InteractionCallback
		cb.View.CallbackID = slackapp.ViewCheckInNote
		cb.View.PrivateMetadata = meta
		cb.View.State = &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			slackapp.BlockCheckInNote: {slackapp.BlockCheckInNote: {Value: text}},
			slackapp.BlockCheckInWho:  {slackapp.BlockCheckInWho: {SelectedOption: slack.OptionBlockObject{Value: who}}}}}
		return cb
	}
	if m, month, note, errs, err := slackapp.CheckCheckInNoteForm(submit(meta, "the agenda", "private")); err != nil || errs != nil ||
		m.Director != sfDir || m.Lang != i18n.NL || month != dec2026 || note != (coach.CheckInNote{Text: "the agenda", Private: true}) {
		t.Errorf("a private note: %+v %v %+v %v %v", m, month, note, errs, err)
	}
	if _, _, _, errs, err := slackapp.CheckCheckInNoteForm(submit(meta, "the agenda", "")); err != nil || errs[slackapp.BlockCheckInWho] == "" {
		t.Errorf("a note without who sees it: errs %v, %v", errs, err)
	}
	if _, _, note, errs, err := slackapp.CheckCheckInNoteForm(submit(meta, "", "")); err != nil || errs != nil || note.Text != "" {
		t.Errorf("an empty note clears it: %+v %v %v", note, errs, err)
	}
	if _, _, _, errs, _ := slackapp.CheckCheckInNoteForm(submit(meta, strings.Repeat("x", coach.MaxCheckInNote+1), "shared")); errs[slackapp.BlockCheckInNote] == "" {
		t.Errorf("a note too long: errs %v", errs)
	}
	for _, bad := range []string{"", "{", `{"d":"bad","m":"2026-12"}`, `{"d":"UDIRANNA1","m":"2026-13"}`} {
		if _, _, _, _, err := slackapp.CheckCheckInNoteForm(submit(bad, "x", "shared")); err == nil {
			t.Errorf("metadata %q accepted", bad)
		}
	}
}

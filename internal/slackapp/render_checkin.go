package slackapp

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// The monthly check-in message (docs/product.md "The Lean leader's side"):
// a DM to a Lean leader about one director, with the two questions as one
// click each (the four styles), the optional "what could <director> let go
// of?" behind a button that opens a small form, and, before anything is
// answered, exactly what the director will see: the preview comes from
// coach.CheckInContext.Preview, which holds no text marked "only for me".
// After each answer the message is drawn anew from the stored check-in.

// The check-in message's buttons (value: coach.CheckInChoice; a style's
// action_id is ActionCheckInNeeded or ActionCheckInGot, a dot and the
// style, as action_ids are unique in a message) and the note form's
// callback_id and blocks.
const (
	ActionCheckInNeeded = "checkin.needed"
	ActionCheckInGot    = "checkin.got"
	ActionCheckInNote   = "checkin.note"
	ViewCheckInNote     = "lc_checkin_note"
	BlockCheckInNote    = string(coach.FieldNote)
	BlockCheckInWho     = "checkin_who"
	checkInShared       = "shared"
	checkInPrivate      = "private"
)

// RenderCheckIn renders the check-in message of cc for its Lean leader:
// the notification text and the blocks.
func RenderCheckIn(lang i18n.Lang, cc coach.CheckInContext) (string, []slack.Block) {
	d := mentionOf(cc.Director)
	c := cc.CheckIn
	choice := coach.CheckInChoice{Director: cc.Director, Month: cc.Month}
	blocks := []slack.Block{
		mrkdwnSection(lang.T("checkin.msg.title", d, lang.Month(cc.Month.Month())), false),
		mrkdwnContext(lang.T("checkin.msg.intro", lang.Month(cc.Month.Add(1).Month()))),
		mrkdwnSection(lang.T("checkin.msg.needed", d), false),
		styleButtons(lang, "checkin_needed", ActionCheckInNeeded, choice, c.Needed),
		mrkdwnSection(lang.T("checkin.msg.got", d), false),
		styleButtons(lang, "checkin_got", ActionCheckInGot, choice, c.Got),
	}
	noteKey := "checkin.msg.note.write"
	if c.Note != "" {
		noteKey = "checkin.msg.note.change"
	}
	noteLines := []string{lang.T("checkin.msg.note", d)}
	if c.Note != "" {
		key := "checkin.msg.note.shared"
		if c.Private {
			key = "checkin.msg.note.private"
		}
		noteLines = append(noteLines, lang.T(key, userText(c.Note, pathTextShort)))
	}
	noteBtn := slack.NewButtonBlockElement(ActionCheckInNote, choice.String(), ptText(lang.T(noteKey)))
	blocks = append(blocks, slack.NewSectionBlock(mrkdwn(strings.Join(noteLines, "\n"), true), nil, slack.NewAccessory(noteBtn)))
	if cc.PathStyle != "" {
		blocks = append(blocks, mrkdwnContext(lang.T("checkin.msg.path", d, lang.T(cc.PathStyle.NameKey()))))
	}
	blocks = append(blocks, mrkdwnContext(checkInPreview(lang, cc)))
	if c.IsAnswered() {
		blocks = append(blocks, mrkdwnContext(lang.T("checkin.msg.recorded", lang.Month(cc.Month.Add(1).Month()))))
	}
	return lang.T("checkin.msg.text", d), blocks
}

// styleButtons is one question's four buttons; the style chosen is marked.
func styleButtons(lang i18n.Lang, blockID, actionID string, choice coach.CheckInChoice, chosen coach.Style) *slack.ActionBlock {
	var els []slack.BlockElement
	for _, s := range coach.Styles() {
		choice.Style = s
		label := lang.T(s.NameKey())
		if s == chosen {
			label = "✓ " + label
		}
		b := slack.NewButtonBlockElement(actionID+"."+string(s), choice.String(), ptText(label))
		if s == chosen {
			b.Style = slack.StylePrimary
		}
		els = append(els, b)
	}
	return slack.NewActionBlock(blockID, els...)
}

// checkInPreview is exactly what the director sees (or will see once both
// styles are picked), from the preview that holds no private text.
func checkInPreview(lang i18n.Lang, cc coach.CheckInContext) string {
	p := cc.Preview
	name := func(s coach.Style) string {
		if s == "" {
			return lang.T("checkin.msg.unset")
		}
		return lang.T(s.NameKey())
	}
	key := "checkin.msg.preview.pending"
	if cc.Visible {
		key = "checkin.msg.preview.visible"
	}
	lines := []string{lang.T(key, mentionOf(cc.Director), name(p.Needed), name(p.Got))}
	if p.Note != "" {
		lines = append(lines, lang.T("checkin.msg.preview.note", userText(p.Note, pathTextShort)))
	}
	if cc.CheckIn.Private && cc.CheckIn.Note != "" {
		lines = append(lines, lang.T("checkin.msg.preview.private"))
	}
	return strings.Join(lines, "\n")
}

// CheckInNoteMeta is the note form's private_metadata: the check-in it
// answers (the Lean leader is whoever submits), the message to draw anew,
// and the form's language. Slack echoes it back, but it is still input:
// ParseCheckInNoteMeta checks it and LeaderService checks the pair.
type CheckInNoteMeta struct {
	Director coach.UserID    `json:"d"`
	Month    string          `json:"m"`
	Lang     i18n.Lang       `json:"l"`
	Channel  coach.ChannelID `json:"c,omitempty"`
	TS       string          `json:"t,omitempty"`
}

func (m CheckInNoteMeta) encode() string {
	b, _ := json.Marshal(m) // strings only: cannot fail
	return string(b)
}

// ParseCheckInNoteMeta decodes and checks a note form's private_metadata;
// an unknown language becomes English.
func ParseCheckInNoteMeta(s string) (CheckInNoteMeta, coach.Month, error) {
	if len(s) == 0 || len(s) > 3000 {
		return CheckInNoteMeta{}, coach.Month{}, errors.New("check-in form metadata: missing or too long")
	}
	var m CheckInNoteMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return CheckInNoteMeta{}, coach.Month{}, errors.New("check-in form metadata: not JSON")
	}
	if _, ok := coach.ParseUserID(string(m.Director)); !ok {
		return CheckInNoteMeta{}, coach.Month{}, errors.New("check-in form metadata: bad director")
	}
	month, ok := coach.ParseMonth(m.Month)
	if !ok {
		return CheckInNoteMeta{}, coach.Month{}, errors.New("check-in form metadata: bad month")
	}
	if l, ok := i18n.ParseLang(string(m.Lang)); ok {
		m.Lang = l
	} else {
		m.Lang = i18n.EN
	}
	return m, month, nil
}

// CheckInNoteView renders the form of "what could <director> let go of?":
// the text as written so far, and who sees it, to be chosen.
func CheckInNoteView(lang i18n.Lang, meta CheckInNoteMeta, c coach.CheckIn) slack.ModalViewRequest {
	d := mentionOf(meta.Director)
	meta.Lang = lang
	in := textInput(BlockCheckInNote, "", true)
	in.MaxLength = coach.MaxCheckInNote
	in.InitialValue = c.Note
	text := slack.NewInputBlock(BlockCheckInNote, plain(lang.T("checkin.form.label")), plain(lang.T("checkin.form.hint")), in)
	text.Optional = true
	shared := slack.NewOptionBlockObject(checkInShared, mrkdwn(lang.T("checkin.form.shared", d), false), nil)
	private := slack.NewOptionBlockObject(checkInPrivate, mrkdwn(lang.T("checkin.form.private", d), false), nil)
	radio := slack.NewRadioButtonsBlockElement(BlockCheckInWho, shared, private)
	if c.Note != "" {
		radio.InitialOption = shared
		if c.Private {
			radio.InitialOption = private
		}
	}
	who := slack.NewInputBlock(BlockCheckInWho, plain(lang.T("checkin.form.who")), nil, radio)
	who.Optional = true // asked for when there is a text (CheckCheckInNoteForm)
	return modal(ViewCheckInNote, meta.encode(), lang.T("checkin.form.title"), lang.T("checkin.form.submit"), lang,
		mrkdwnSection(lang.T("checkin.msg.note", d), false), text, who)
}

// CheckCheckInNoteForm reads a submitted note form in memory (it runs
// before the ack): the metadata, the month, the note, and the field errors
// by block_id in the form's language. err is set when the submission is
// not one of ours at all.
func CheckCheckInNoteForm(cb slack.InteractionCallback) (CheckInNoteMeta, coach.Month, coach.CheckInNote, map[string]string, error) {
	if cb.View.CallbackID != ViewCheckInNote {
		return CheckInNoteMeta{}, coach.Month{}, coach.CheckInNote{}, nil, errors.New("check-in form: unknown callback_id")
	}
	m, month, err := ParseCheckInNoteMeta(cb.View.PrivateMetadata)
	if err != nil {
		return CheckInNoteMeta{}, coach.Month{}, coach.CheckInNote{}, nil, err
	}
	note := coach.CheckInNote{Text: stateValue(cb.View.State, BlockCheckInNote).Value}
	switch stateValue(cb.View.State, BlockCheckInWho).SelectedOption.Value {
	case checkInPrivate:
		note.Private = true
	case checkInShared:
	default:
		if strings.TrimSpace(note.Text) != "" {
			return m, month, note, map[string]string{BlockCheckInWho: m.Lang.T("checkin.form.err.who")}, nil
		}
	}
	_, err = coach.ValidateCheckInAnswer(coach.CheckInAnswer{Note: &note})
	return m, month, note, fieldErrors(m.Lang, err, BlockCheckInNote), nil
}

// CheckInSentReply answers `/coach send checkin @leader`: which check-ins
// went.
func CheckInSentReply(lang i18n.Lang, pairs []coach.Pair) slackio.Reply {
	ds := make([]string, len(pairs))
	for i, p := range pairs {
		ds[i] = mentionOf(p.Director)
	}
	return slackio.Reply{Text: lang.T("checkin.sent", mentionOf(pairs[0].Leader), strings.Join(ds, ", "))}
}

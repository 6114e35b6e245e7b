package slackapp

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// The callback_ids of the answer modals, one per form.
const (
	ViewStandup    = "lc_answer_standup"
	ViewCompliment = "lc_answer_compliment"
	ViewQuestion   = "lc_answer_question"
	ViewDone       = "lc_answer_done"
)

// The block_ids of the modals' inputs; each input's action_id equals its
// block_id.
const (
	BlockObservation = "observation"
	BlockFeedback    = "feedback"
	BlockLeader      = "leader"
	BlockText        = "text"
	BlockAsked       = "asked"
	BlockNote        = "note"

	feedbackYes = "yes"
	feedbackNo  = "no"
)

// ModalMeta is a modal's private_metadata: the occurrence it answers, the
// language it was rendered in (to word validation errors) and the DM the
// prompt is in (to tell a refusal there). Slack echoes it back, but it is
// still input: ParseModalMeta checks it and handlers check the key against
// the store and the acting user.
type ModalMeta struct {
	Key     coach.OccurrenceKey `json:"k"`
	Lang    i18n.Lang           `json:"l"`
	Channel coach.ChannelID     `json:"c,omitempty"`
}

func (m ModalMeta) encode() string {
	b, _ := json.Marshal(m) // two strings: cannot fail
	return string(b)
}

// ParseModalMeta decodes private_metadata; an unknown language becomes
// English.
func ParseModalMeta(s string) (ModalMeta, error) {
	if len(s) == 0 || len(s) > 3000 {
		return ModalMeta{}, errors.New("modal metadata: missing or too long")
	}
	var m ModalMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return ModalMeta{}, errors.New("modal metadata: not JSON")
	}
	if !validKey(string(m.Key)) {
		return ModalMeta{}, errors.New("modal metadata: bad occurrence key")
	}
	if l, ok := i18n.ParseLang(string(m.Lang)); ok {
		m.Lang = l
	} else {
		m.Lang = i18n.EN
	}
	// Absent (an older form) or not a channel ID: not used.
	ch, ok := coach.ParseChannelID(string(m.Channel))
	if !ok || ch != m.Channel {
		ch = ""
	}
	m.Channel = ch
	return m, nil
}

// ModalInfo is what an answer modal shows besides the occurrence.
type ModalInfo struct {
	Leaders      []coach.Person  // compliment: the director's Lean leaders, to pick from
	Leader       coach.UserID    // compliment: preselected Lean leader ("" = none)
	KudosChannel coach.ChannelID // compliment: where it will be posted ("" = not set)
}

// RenderAnswerModal renders the form of prompt o: for the compliment the
// form that posts it; for the other habits, whose primary button records
// them at once, the form of the answer's private note (the standup's
// observation and feedback, the question as asked and what the Lean leader
// came up with, or a note), filled with what was saved before.
func RenderAnswerModal(lang i18n.Lang, o coach.Occurrence, info ModalInfo) slack.ModalViewRequest {
	meta := ModalMeta{Key: o.Key, Lang: lang, Channel: o.Channel}.encode()
	saved := coach.Answer{}
	if o.Answer != nil {
		saved = *o.Answer
	}
	switch o.Habit {
	case coach.Standup:
		return standupModal(lang, meta, saved)
	case coach.Compliment:
		if saved.InPerson {
			return doneModal(lang, meta, o, saved)
		}
		return complimentModal(lang, meta, info)
	case coach.Question:
		return questionModal(lang, meta, o, saved)
	}
	return doneModal(lang, meta, o, saved)
}

func modal(callbackID, meta, title, submit string, lang i18n.Lang, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID,
		PrivateMetadata: meta,
		Title:           plain(title),
		Submit:          plain(submit),
		Close:           plain(lang.T("modal.close")),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

func standupModal(lang i18n.Lang, meta string, saved coach.Answer) slack.ModalViewRequest {
	obs := textInput(BlockObservation, "", true)
	obs.InitialValue = saved.Observation
	obsBlock := slack.NewInputBlock(BlockObservation, plain(lang.T("modal.standup.observation")), plain(lang.T("modal.standup.observation.hint")), obs)
	obsBlock.Optional = true
	yes := slack.NewOptionBlockObject(feedbackYes, plain(lang.T("modal.standup.feedback.yes")), nil)
	radio := slack.NewRadioButtonsBlockElement(BlockFeedback, yes,
		slack.NewOptionBlockObject(feedbackNo, plain(lang.T("modal.standup.feedback.no")), nil),
	)
	if saved.FeedbackGiven {
		radio.InitialOption = yes
	}
	fbBlock := slack.NewInputBlock(BlockFeedback, plain(lang.T("modal.standup.feedback")), nil, radio)
	return modal(ViewStandup, meta, lang.T("modal.standup.title"), lang.T("modal.submit"), lang,
		obsBlock, fbBlock, mrkdwnContext(lang.T("modal.private")))
}

func complimentModal(lang i18n.Lang, meta string, info ModalInfo) slack.ModalViewRequest {
	intro := lang.T("modal.compliment.intro.nochannel")
	if info.KudosChannel != "" {
		intro = lang.T("modal.compliment.intro", channelRef(info.KudosChannel))
	}
	// Only the director's own Lean leaders: a users_select would offer the
	// whole workspace.
	opts := make([]*slack.OptionBlockObject, len(info.Leaders))
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(lang.T("modal.compliment.leader.placeholder")), BlockLeader)
	for i, p := range info.Leaders {
		opts[i] = slack.NewOptionBlockObject(string(p.ID), plain(personLabel(p)), nil)
		if p.ID == info.Leader {
			sel.InitialOption = opts[i]
		}
	}
	sel.Options = opts
	leader := slack.NewInputBlock(BlockLeader, plain(lang.T("modal.compliment.leader")), nil, sel)
	text := textInput(BlockText, lang.T("modal.compliment.text.placeholder"), true)
	textBlock := slack.NewInputBlock(BlockText, plain(lang.T("modal.compliment.text")), nil, text)
	return modal(ViewCompliment, meta, lang.T("modal.compliment.title"), lang.T("modal.compliment.submit"), lang,
		mrkdwnSection(intro, false), leader, textBlock)
}

func questionModal(lang i18n.Lang, meta string, o coach.Occurrence, saved coach.Answer) slack.ModalViewRequest {
	asked := textInput(BlockAsked, "", true)
	switch {
	case saved.Asked != "":
		asked.InitialValue = saved.Asked
	case o.QuestionID != "":
		asked.InitialValue = lang.T(coach.QuestionKey(o.QuestionID))
	}
	askedBlock := slack.NewInputBlock(BlockAsked, plain(lang.T("modal.question.asked")), nil, asked)
	note := textInput(BlockNote, "", true)
	note.InitialValue = saved.Note
	noteBlock := slack.NewInputBlock(BlockNote, plain(lang.T("modal.question.note")), nil, note)
	noteBlock.Optional = true
	return modal(ViewQuestion, meta, lang.T("modal.question.title"), lang.T("modal.submit"), lang,
		askedBlock, noteBlock, mrkdwnContext(lang.T("modal.private")))
}

func doneModal(lang i18n.Lang, meta string, o coach.Occurrence, saved coach.Answer) slack.ModalViewRequest {
	note := textInput(BlockNote, "", true)
	note.InitialValue = saved.Note
	title, label := "modal.done.title", "modal.done.note"
	switch o.Habit {
	case coach.Compliment: // said in person: the note is what was said
		title, label = "modal.in_person.title", "modal.in_person.note"
	case coach.Reflect:
		label = "modal.reflect.note"
	}
	noteBlock := slack.NewInputBlock(BlockNote, plain(lang.T(label)), nil, note)
	noteBlock.Optional = true
	return modal(ViewDone, meta, lang.T(title), lang.T("modal.submit"), lang,
		mrkdwnSection("*"+lang.T(o.Habit.NameKey())+"*", false), noteBlock, mrkdwnContext(lang.T("modal.private")))
}

// personLabel is how a person is named in a select: their name, or their ID
// when Slack could not say, within Slack's 75 characters for an option.
func personLabel(p coach.Person) string {
	name := strings.TrimSpace(p.Name)
	if name == "" {
		return string(p.ID)
	}
	if r := []rune(name); len(r) > optionTextMax {
		return string(r[:optionTextMax-1]) + "…"
	}
	return name
}

// optionTextMax is Slack's limit for an option's text, in characters.
const optionTextMax = 75

func textInput(actionID, placeholder string, multiline bool) *slack.PlainTextInputBlockElement {
	var ph *slack.TextBlockObject
	if placeholder != "" {
		ph = plain(placeholder)
	}
	el := slack.NewPlainTextInputBlockElement(ph, actionID)
	el.Multiline = multiline
	el.MaxLength = coach.MaxTextLen
	return el
}

// ModalAnswer is what a submitted answer modal says, read from the view's
// state.
type ModalAnswer struct {
	Meta ModalMeta
	In   coach.AnswerInput
}

// ReadAnswerModal reads a submitted answer modal and validates it. It is pure
// and fast (it runs before the ack): errs maps block_id to a message in the
// modal's language, for response_action "errors". err is set when the
// submission is not one of ours at all.
func ReadAnswerModal(cb slack.InteractionCallback) (ans ModalAnswer, errs map[string]string, err error) {
	meta, err := ParseModalMeta(cb.View.PrivateMetadata)
	if err != nil {
		return ModalAnswer{}, nil, err
	}
	lang := meta.Lang
	vals := cb.View.State
	in := coach.AnswerInput{Outcome: coach.Done}
	errs = map[string]string{}
	text := func(block string, required bool) string {
		v := stateValue(vals, block).Value
		switch {
		case utf8.RuneCountInString(v) > coach.MaxTextLen:
			errs[block] = lang.T("modal.err.too_long", coach.MaxTextLen)
		case required && coach.Clean(v, 0) == "":
			errs[block] = lang.T("modal.err.required")
		}
		return v
	}
	switch cb.View.CallbackID {
	case ViewStandup:
		in.Observation = text(BlockObservation, false)
		switch stateValue(vals, BlockFeedback).SelectedOption.Value {
		case feedbackYes:
			in.FeedbackGiven = true
		case feedbackNo:
		default:
			errs[BlockFeedback] = lang.T("modal.err.required")
		}
	case ViewCompliment:
		picked := stateValue(vals, BlockLeader)
		id := picked.SelectedOption.Value
		if id == "" { // a users_select, in a modal opened before the static one
			id = picked.SelectedUser
		}
		leader, ok := coach.ParseUserID(id)
		switch {
		case !ok:
			errs[BlockLeader] = lang.T("modal.err.pick_leader")
		case leader == coach.UserID(cb.User.ID):
			errs[BlockLeader] = lang.T("modal.err.self")
		}
		in.Leader = leader
		in.Text = text(BlockText, true)
	case ViewQuestion:
		in.Asked = text(BlockAsked, true)
		in.Note = text(BlockNote, false)
	case ViewDone:
		in.Note = text(BlockNote, false)
	default:
		return ModalAnswer{}, nil, errors.New("answer modal: unknown callback_id")
	}
	if len(errs) == 0 {
		errs = nil
	}
	return ModalAnswer{Meta: meta, In: in}, errs, nil
}

func stateValue(st *slack.ViewState, block string) slack.BlockAction {
	if st == nil {
		return slack.BlockAction{}
	}
	if v, ok := st.Values[block][block]; ok {
		return v
	}
	return slack.BlockAction{}
}

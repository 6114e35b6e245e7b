package slackapp

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
)

// The action_ids of a prompt's buttons. A button's value is the occurrence
// key and nothing else; the snooze menu's option values are
// "<choice>:<occurrence key>". Handlers treat both as claims to be checked
// against the store, never as authority.
const (
	ActionAnswer   = "lc_prompt_answer"    // the habit's primary button: records it done (the compliment: opens its modal)
	ActionNotToday = "lc_prompt_not_today" // records not today
	ActionSnooze   = "lc_prompt_snooze"    // static_select: an hour / tomorrow morning
	ActionAnother  = "lc_prompt_another"   // question only: swap the question
	ActionNote     = "lc_prompt_note"      // after a done answer: opens the modal of its private note
	ActionInPerson = "lc_prompt_in_person" // compliment only: done, said in person, no public post

	promptActionsBlock = "lc_prompt_actions"
	noteActionsBlock   = "lc_prompt_note_actions"
)

// PromptInfo is what a prompt shows besides the occurrence itself.
type PromptInfo struct {
	// Paths are a path prompt's paths (coach.LoadPathPrompt): an open or
	// snoozed one shows a block per Lean leader with its one-click review
	// buttons, in place of the Done button.
	Paths []coach.PathView
	// LastNote is the note of the habit's last answer (coach.LastNoteBefore),
	// shown under the prompt; "" shows nothing.
	LastNote string
	// Last is what the Lean leader came up with the last time
	// (coach.LastAnswerBefore), shown above a follow-up question; a zero
	// Last, or one without a note, shows nothing.
	Last coach.LastAnswer
	// Focus is the Lean leader the prompt points at (coach.LoadFocus); a
	// zero Focus shows nothing.
	Focus coach.Focus
}

// AnsweredInfo is what the message after an answer shows besides the
// occurrence itself.
type AnsweredInfo struct {
	Streak       int             // the director's current streak of the habit
	Loc          *time.Location  // the director's zone, for dates; nil = UTC
	KudosChannel coach.ChannelID // where a compliment went
	PromptInfo
}

// RenderPrompt renders an open prompt: what to do, why, and the buttons. The
// question habit shows o.QuestionID's question (see coach.EnsureQuestion).
func RenderPrompt(lang i18n.Lang, o coach.Occurrence) (string, []slack.Block) {
	return RenderPromptInfo(lang, o, PromptInfo{})
}

// RenderPromptInfo is RenderPrompt with what the Lean leader came up with
// last time, for a follow-up question.
func RenderPromptInfo(lang i18n.Lang, o coach.Occurrence, info PromptInfo) (string, []slack.Block) {
	blocks := promptBody(lang, o, info)
	blocks = append(blocks, pathPromptBlocks(lang, o, info.Paths)...)
	blocks = append(blocks, promptActions(lang, o, info))
	return promptFallback(lang, o), blocks
}

// RenderSnoozed renders a snoozed prompt: it says until when, and keeps its
// buttons so the director can still answer before it comes back.
func RenderSnoozed(lang i18n.Lang, o coach.Occurrence, loc *time.Location) (string, []slack.Block) {
	return renderSnoozed(lang, o, AnsweredInfo{Loc: loc})
}

func renderSnoozed(lang i18n.Lang, o coach.Occurrence, info AnsweredInfo) (string, []slack.Block) {
	blocks := promptBody(lang, o, info.PromptInfo)
	blocks = append(blocks, pathPromptBlocks(lang, o, info.Paths)...)
	until := o.Answer.SnoozeUntil.In(orUTC(info.Loc))
	blocks = append(blocks, mrkdwnContext(lang.T("prompt.outcome.snoozed", lang.DateTime(until))), promptActions(lang, o, info.PromptInfo))
	return promptFallback(lang, o), blocks
}

// RenderAnswered renders a prompt after its final answer: what it was, the
// outcome and the streak. A done answer of any habit but the compliment
// keeps one button, to add (or edit) its private note (a compliment only
// when it was said in person); the note itself is never shown here. Not today is an honest answer: the outcome says what
// happens next, and no streak line follows it.
func RenderAnswered(lang i18n.Lang, o coach.Occurrence, info AnsweredInfo) (string, []slack.Block) {
	outcome := outcomeText(lang, o, info)
	blocks := promptBody(lang, o, info.PromptInfo)
	blocks = append(blocks, slack.NewDividerBlock(), mrkdwnSection(outcome, false))
	if o.Answer != nil && o.Answer.Outcome == coach.Done && info.Streak > 0 {
		streak := lang.T("prompt.streak.count", info.Streak)
		if info.Streak == 1 {
			streak = lang.T("prompt.streak.started")
		}
		blocks = append(blocks, mrkdwnContext(streak))
	}
	if o.Answer != nil && o.Answer.Outcome == coach.Done && (o.Habit != coach.Compliment || o.Answer.InPerson) {
		label := "prompt.button.add_note"
		if o.Answer.HasNote() {
			label = "prompt.button.edit_note"
			blocks = append(blocks, mrkdwnContext(lang.T("prompt.note.saved")))
		}
		blocks = append(blocks, slack.NewActionBlock(noteActionsBlock,
			slack.NewButtonBlockElement(ActionNote, string(o.Key), plain(lang.T(label)))))
	}
	return lang.T(o.Habit.NameKey()) + ": " + outcome, blocks
}

// RenderOccurrence renders o in whichever form its state calls for.
func RenderOccurrence(lang i18n.Lang, o coach.Occurrence, info AnsweredInfo) (string, []slack.Block) {
	switch {
	case o.Answer == nil:
		return RenderPrompt(lang, o)
	case o.Answer.Outcome == coach.Snoozed:
		return renderSnoozed(lang, o, info)
	}
	return RenderAnswered(lang, o, info)
}

func promptBody(lang i18n.Lang, o coach.Occurrence, info PromptInfo) []slack.Block {
	blocks := []slack.Block{
		mrkdwnSection("*"+lang.T(o.Habit.NameKey())+"*\n"+lang.T(o.Habit.PromptKey()), false),
	}
	if strings.TrimSpace(info.LastNote) != "" {
		blocks = append(blocks, lastNoteSection(lang, info.LastNote))
	}
	if o.Habit == coach.Question && o.QuestionID != "" {
		if coach.IsFollowUp(o.QuestionID) && info.Last.HasNote() {
			blocks = append(blocks, lastTimeSection(lang, info.Last))
		}
		blocks = append(blocks, mrkdwnSection("*"+lang.T("prompt.question.intro")+"*\n"+quoteLines(lang.T(coach.QuestionKey(o.QuestionID))), false))
	}
	if b := focusBlock(lang, o.Habit, info.Focus); b != nil {
		blocks = append(blocks, b)
	}
	return append(blocks, mrkdwnContext(lang.T("prompt.why", lang.T(o.Habit.ReasonKey()))))
}

// lastTimeNoteMax bounds, in characters, how much of the last note a
// follow-up shows: enough to recall it, not the whole page.
const lastTimeNoteMax = 300

// lastTimeSection shows what the Lean leader came up with last time, the
// note the director wrote then, escaped and quoted. The leader is named by
// a mention Slack renders as their name; in the director's own DM it pings
// no one else.
func lastTimeSection(lang i18n.Lang, last coach.LastAnswer) *slack.SectionBlock {
	head := lang.T("prompt.question.last_time.someone")
	if last.Leader != "" {
		head = lang.T("prompt.question.last_time", userRef(last.Leader))
	}
	head = "*" + head + "*"
	note := fitQuoted(Escape(last.CameUpWith, lastTimeNoteMax), sectionTextMax-utf8.RuneCountInString(head)-1)
	return mrkdwnSection(head+"\n"+note, true)
}

// promptActions are a prompt's buttons: its primary one (none on a path
// prompt with paths: their review buttons answer it), Another question,
// Not today and the snooze menu.
// lastNoteSection shows the note the director wrote the last time, escaped
// and shortened, so they pick up where they left off.
func lastNoteSection(lang i18n.Lang, note string) *slack.SectionBlock {
	return mrkdwnSection(fitSection(lang.T("prompt.last_note", Escape(note, lastTimeNoteMax))), true)
}

func promptActions(lang i18n.Lang, o coach.Occurrence, info PromptInfo) slack.Block {
	key := string(o.Key)
	var elems []slack.BlockElement
	if o.Habit != coach.PathReview || len(info.Paths) == 0 {
		primary := slack.NewButtonBlockElement(ActionAnswer, key, plain(lang.T(primaryButtonKey(o.Habit))))
		primary.Style = slack.StylePrimary
		elems = append(elems, primary)
	}
	switch o.Habit {
	case coach.Question:
		elems = append(elems, slack.NewButtonBlockElement(ActionAnother, key, plain(lang.T("prompt.button.another"))))
	case coach.Compliment:
		elems = append(elems, slack.NewButtonBlockElement(ActionInPerson, key, plain(lang.T("prompt.button.in_person"))))
	}
	elems = append(elems, slack.NewButtonBlockElement(ActionNotToday, key, plain(lang.T("prompt.button.not_today"))))
	snooze := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(lang.T("prompt.snooze.placeholder")), ActionSnooze,
		slack.NewOptionBlockObject(string(coach.SnoozeHour)+":"+key, plain(lang.T("prompt.snooze.hour")), nil),
		slack.NewOptionBlockObject(string(coach.SnoozeMorning)+":"+key, plain(lang.T("prompt.snooze.morning")), nil),
	)
	elems = append(elems, snooze)
	return slack.NewActionBlock(promptActionsBlock, elems...)
}

// ParseSnoozeValue splits a snooze option's value.
func ParseSnoozeValue(v string) (coach.SnoozeChoice, coach.OccurrenceKey, bool) {
	c, k, ok := strings.Cut(v, ":")
	if !ok {
		return "", "", false
	}
	choice, ok := coach.ParseSnoozeChoice(c)
	if !ok || !validKey(k) {
		return "", "", false
	}
	return choice, coach.OccurrenceKey(k), true
}

func primaryButtonKey(h coach.Habit) string {
	switch h {
	case coach.Standup, coach.Compliment, coach.Question:
		return "prompt.button." + string(h)
	}
	return "prompt.button.done"
}

func promptFallback(lang i18n.Lang, o coach.Occurrence) string {
	return lang.T(o.Habit.NameKey()) + ": " + lang.T(o.Habit.PromptKey())
}

func outcomeText(lang i18n.Lang, o coach.Occurrence, info AnsweredInfo) string {
	a := o.Answer
	if a == nil {
		return ""
	}
	loc := orUTC(info.Loc)
	switch a.Outcome {
	case coach.NotToday:
		return lang.T("prompt.outcome.not_today")
	case coach.Expired:
		return lang.T("prompt.outcome.expired")
	case coach.Snoozed:
		return lang.T("prompt.outcome.snoozed", lang.DateTime(a.SnoozeUntil.In(loc)))
	}
	day := lang.Date(a.At.In(loc))
	switch {
	case o.Habit == coach.Compliment && a.InPerson:
		return lang.T("prompt.outcome.in_person", day)
	case o.Habit == coach.Compliment && a.Leader != "" && info.KudosChannel != "":
		return lang.T("prompt.outcome.kudos", userRef(a.Leader), channelRef(info.KudosChannel))
	case o.Habit == coach.Question:
		return lang.T("prompt.outcome.asked", day)
	case o.Habit == coach.PathReview:
		return lang.T("prompt.outcome.path", day)
	case o.Habit == coach.Standup && a.FeedbackGiven:
		return lang.T("prompt.outcome.feedback", day)
	}
	return lang.T("prompt.outcome.done", day)
}

// validKey checks the shape of an occurrence key from outside
// ("schedule|user|date"); the store has the final word.
func validKey(k string) bool {
	if len(k) == 0 || len(k) > 120 {
		return false
	}
	parts := strings.Split(k, "|")
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		return false
	}
	_, ok := coach.ParseUserID(parts[1])
	return ok
}

// Block Kit helpers. Every text built here comes from the catalogs or is
// escaped user text.

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// mrkdwn returns a mrkdwn text; verbatim stops Slack from auto-linking
// anything in it (set it when the text holds escaped user input).
func mrkdwn(s string, verbatim bool) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, verbatim)
}

func mrkdwnSection(s string, verbatim bool) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(s, verbatim), nil, nil)
}

func mrkdwnContext(s string) *slack.ContextBlock {
	return slack.NewContextBlock("", mrkdwn(s, false))
}

// quoteLines makes every line of s a block quote line.
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ">" + l
	}
	return strings.Join(lines, "\n")
}

func userRef(u coach.UserID) string       { return "<@" + string(u) + ">" }
func channelRef(c coach.ChannelID) string { return "<#" + string(c) + ">" }

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

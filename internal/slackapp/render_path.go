package slackapp

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/coach"
	"github.com/leancoach/leancoach/internal/i18n"
	"github.com/leancoach/leancoach/internal/slackio"
)

// The delegation path in Block Kit: the path form, the review form, the
// App Home card, the /coach path list and the admins' counts
// (docs/product.md "The delegation path"). What a director wrote on a path
// is shown escaped (Escape) in verbatim mrkdwn, so it can never
// mention, link or format anything; the admins' surfaces get counts only.

// The callback_ids of the path's forms, and the action_ids of the Home
// card's buttons (their value is the Lean leader's ID).
const (
	ViewPathForm     = "lc_path_form"
	ViewPathReview   = "lc_path_review"
	ActionPathEdit   = "path.edit"
	ActionPathReview = "path.review"
)

// keepValue is the value of the review form's "keep the style" and "keep
// the phase" options.
const keepValue = "keep"

// Caps, in characters, of a path's texts where they are shown in passing
// (the Home card, the list) and where they are shown whole (the review
// form's plan, one section each: escaped, they stay under Slack's 3000).
const (
	pathTextShort = 280
	pathTextLong  = 550
	// maxHomePaths bounds the Home's path cards (three blocks each), so the
	// Home stays within its 100 blocks.
	maxHomePaths = 10
	// maxListPaths bounds the sections of the /coach path list, within a
	// message's 50 blocks.
	maxListPaths = 40
	// homeReviewMarks is how many of the last reviews a card shows.
	homeReviewMarks = 6
)

// PathFormView renders the path form for the pair of v, prefilled with the
// current path (empty for a new one); meta goes back with the submission.
func PathFormView(lang i18n.Lang, v coach.PathView, meta PathMeta) slack.ModalViewRequest {
	var cur coach.PathForm
	sinceHint := lang.T("path.form.phase_since.hint.new")
	if v.Path != nil {
		cur = v.Path.Form()
		sinceHint = lang.T("path.form.phase_since.hint.set", pathDate(lang, v.Path.PhaseSince(), v.Today))
	}
	style := styleSelect(lang, string(coach.FieldStyle), cur.Style)
	phase := phaseSelect(lang, string(coach.FieldPhase), cur.Phase)
	since := datePicker(string(coach.FieldPhaseSince), "", "")
	sinceBlock := slack.NewInputBlock(string(coach.FieldPhaseSince), plain(lang.T("path.form.phase_since")), plain(sinceHint), since)
	sinceBlock.Optional = true
	blocks := []slack.Block{
		mrkdwnSection(lang.T("path.form.intro", mentionOf(v.Leader)), false),
		slack.NewInputBlock(string(coach.FieldStyle), plain(lang.T("path.form.style")), nil, style),
		slack.NewInputBlock(string(coach.FieldPhase), plain(lang.T("path.form.phase")), nil, phase),
		sinceBlock,
	}
	blocks = append(blocks, stepInputs(lang, cur.Responsibility, cur.DoneLooksLike, cur.Target, false)...)
	blocks = append(blocks, mrkdwnContext(lang.T("path.form.footer", mentionOf(v.Leader))))
	return modal(ViewPathForm, meta.encode(), lang.T("path.form.title"), lang.T("path.form.submit"), lang, blocks...)
}

// ReviewFormView renders the review form of v's path (which must be set):
// the plan under review, read-only; what happened (outcome preselected
// unless ""); what the director saw; the next step; and, optionally, a new
// style or phase.
func ReviewFormView(lang i18n.Lang, v coach.PathView, outcome coach.ReviewOutcome, meta PathMeta) slack.ModalViewRequest {
	p := v.Path
	if p == nil {
		p = &coach.Path{}
	}
	blocks := []slack.Block{mrkdwnSection(lang.T("path.review.intro", mentionOf(v.Leader)), false)}
	blocks = append(blocks, reviewVoiceBlocks(lang, v)...)
	blocks = append(blocks, planBlocks(lang, p.Next, v.Today)...)
	blocks = append(blocks, slack.NewDividerBlock())

	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, o := range coach.ReviewOutcomes() {
		opt := slack.NewOptionBlockObject(string(o), plain(lang.T("path.review.outcome."+string(o))), nil)
		opts = append(opts, opt)
		if o == outcome {
			initial = opt
		}
	}
	radio := slack.NewRadioButtonsBlockElement(string(coach.FieldOutcome), opts...)
	radio.InitialOption = initial
	saw := textInput(string(coach.FieldSaw), lang.T("path.review.saw.placeholder"), true)
	sawBlock := slack.NewInputBlock(string(coach.FieldSaw), plain(lang.T("path.review.saw")), plain(lang.T("path.review.saw.hint")), saw)
	sawBlock.Optional = true
	blocks = append(blocks,
		slack.NewInputBlock(string(coach.FieldOutcome), plain(lang.T("path.review.outcome")), nil, radio),
		sawBlock,
		mrkdwnSection(lang.T("path.review.next"), false))
	blocks = append(blocks, stepInputs(lang, "", "", "", true)...)

	keepStyle := slack.NewOptionBlockObject(keepValue, plain(optionText(lang.T("path.review.keep_style", lang.T(p.Style().NameKey())))), nil)
	style := styleSelect(lang, string(coach.FieldStyle), "")
	style.Options = append([]*slack.OptionBlockObject{keepStyle}, style.Options...)
	style.InitialOption = keepStyle
	keepPhase := slack.NewOptionBlockObject(keepValue, plain(optionText(lang.T("path.review.keep_phase", int(p.Phase()), lang.T(p.Phase().NameKey())))), nil)
	phase := phaseSelect(lang, string(coach.FieldPhase), "")
	phase.Options = append([]*slack.OptionBlockObject{keepPhase}, phase.Options...)
	phase.InitialOption = keepPhase
	blocks = append(blocks,
		slack.NewInputBlock(string(coach.FieldStyle), plain(lang.T("path.review.style")), nil, style),
		slack.NewInputBlock(string(coach.FieldPhase), plain(lang.T("path.review.phase")), nil, phase),
		mrkdwnContext(lang.T("path.form.footer", mentionOf(v.Leader))))
	return modal(ViewPathReview, meta.encode(), lang.T("path.review.title"), lang.T("path.review.submit"), lang, blocks...)
}

// planBlocks shows a step as planned, one section per part.
func planBlocks(lang i18n.Lang, s coach.Step, today coach.Date) []slack.Block {
	out := []slack.Block{mrkdwnSection(lang.T("path.review.planned", userText(s.Responsibility, pathTextLong)), true)}
	if strings.TrimSpace(s.DoneLooksLike) != "" {
		out = append(out, mrkdwnSection(lang.T("path.review.planned_done", userText(s.DoneLooksLike, pathTextLong)), true))
	}
	if !s.Target.IsZero() {
		out = append(out, mrkdwnSection(lang.T("path.review.planned_target", pathDate(lang, s.Target, today)), false))
	}
	return out
}

// stepInputs are the inputs of a step: the responsibility, what handed over
// looks like and the target date, prefilled; all optional in the review
// form, where empty keeps the current step.
func stepInputs(lang i18n.Lang, resp, done, target string, optional bool) []slack.Block {
	r := textInput(string(coach.FieldResponsibility), lang.T("path.form.responsibility.placeholder"), false)
	r.InitialValue = resp
	d := textInput(string(coach.FieldDoneLooksLike), lang.T("path.form.done.placeholder"), true)
	d.InitialValue = done
	t := datePicker(string(coach.FieldTarget), lang.T("path.form.target.placeholder"), target)
	rb := slack.NewInputBlock(string(coach.FieldResponsibility), plain(lang.T("path.form.responsibility")), nil, r)
	db := slack.NewInputBlock(string(coach.FieldDoneLooksLike), plain(lang.T("path.form.done")), nil, d)
	tb := slack.NewInputBlock(string(coach.FieldTarget), plain(lang.T("path.form.target")), nil, t)
	rb.Optional, db.Optional, tb.Optional = optional, true, optional
	return []slack.Block{rb, db, tb}
}

// styleSelect is a select of the four styles, each with its one-line hint,
// with the style key initial chosen ("" for none).
func styleSelect(lang i18n.Lang, actionID, initial string) *slack.SelectBlockElement {
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(lang.T("path.form.style.placeholder")), actionID)
	for _, st := range coach.Styles() {
		o := slack.NewOptionBlockObject(string(st), plain(optionText(capitalize(lang.T(st.NameKey())))), plain(optionText(lang.T(st.HintKey()))))
		sel.Options = append(sel.Options, o)
		if string(st) == initial {
			sel.InitialOption = o
		}
	}
	return sel
}

// phaseSelect is a select of the four phases, each with its one-line hint,
// with the phase initial chosen (its number, "" for none).
func phaseSelect(lang i18n.Lang, actionID, initial string) *slack.SelectBlockElement {
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(lang.T("path.form.phase.placeholder")), actionID)
	for _, ph := range coach.Phases() {
		v := strconv.Itoa(int(ph))
		o := slack.NewOptionBlockObject(v, plain(optionText(lang.T("path.form.phase.option", int(ph), lang.T(ph.NameKey())))),
			plain(optionText(lang.T(ph.HintKey()))))
		sel.Options = append(sel.Options, o)
		if v == initial {
			sel.InitialOption = o
		}
	}
	return sel
}

// datePicker is a datepicker, with the day initial chosen ("" for none).
func datePicker(actionID, placeholder, initial string) *slack.DatePickerBlockElement {
	d := slack.NewDatePickerBlockElement(actionID)
	if placeholder != "" {
		d.Placeholder = plain(placeholder)
	}
	d.InitialDate = initial
	return d
}

// pathCards renders the Home's part of the delegation paths: one card per
// Lean leader (their path, or a button to set one), at most maxHomePaths.
func pathCards(lang i18n.Lang, views []coach.PathView) []slack.Block {
	blocks := []slack.Block{
		slack.NewHeaderBlock(ptText(lang.T("path.home.title"))),
		mrkdwnContext(lang.T("path.home.intro")),
	}
	reviewed := false
	for i, v := range views {
		if i == maxHomePaths {
			blocks = append(blocks, mrkdwnContext(lang.T("path.home.more", len(views)-maxHomePaths)))
			break
		}
		blocks = append(blocks, pathCard(lang, v)...)
		reviewed = reviewed || (v.Path != nil && len(v.Path.Reviews) > 0)
	}
	if reviewed {
		blocks = append(blocks, mrkdwnContext(lang.T("path.home.legend",
			reviewMark(coach.Handed), reviewMark(coach.Partly), reviewMark(coach.NotYet))))
	}
	return blocks
}

// pathCard is one Lean leader's card: where the path stands, the buttons,
// and the year's progress.
func pathCard(lang i18n.Lang, v coach.PathView) []slack.Block {
	block := "path_" + string(v.Leader)
	if v.Path == nil {
		set := slack.NewButtonBlockElement(ActionPathEdit, string(v.Leader), ptText(lang.T("path.button.set")))
		set.Style = slack.StylePrimary
		voice := voiceLines(lang, v) // what the Lean leader typed: verbatim
		lines := append([]string{"*" + mentionOf(v.Leader) + "*", lang.T("path.card.none", mentionOf(v.Leader))}, voice...)
		return []slack.Block{
			mrkdwnSection(strings.Join(lines, "\n"), len(voice) > 0),
			slack.NewActionBlock(block, set),
		}
	}
	lines := pathLines(lang, v)
	review := slack.NewButtonBlockElement(ActionPathReview, string(v.Leader), ptText(lang.T("path.button.review")))
	if v.Due.Due {
		review.Style = slack.StylePrimary
	}
	edit := slack.NewButtonBlockElement(ActionPathEdit, string(v.Leader), ptText(lang.T("path.button.edit")))
	y := v.Year
	year := lang.T("path.card.year", lang.Plural("path.year.handed", y.HandedOver), lang.Plural("path.year.styles", y.StyleChanges),
		lang.Render(y.Phase.Msg()))
	return []slack.Block{
		mrkdwnSection(strings.Join(lines, "\n"), true),
		slack.NewActionBlock(block, review, edit),
		mrkdwnContext(year),
	}
}

// pathLines are the lines of a set path where it is shown at length (the
// Home card, the review prompt): the Lean leader, the style and phase now,
// the next responsibility with what handed over looks like and its date,
// the reviews, whether one is due, and what the Lean leader shared.
func pathLines(lang i18n.Lang, v coach.PathView) []string {
	p := v.Path
	lines := []string{"*" + mentionOf(v.Leader) + "*", pathNow(lang, v), pathNext(lang, v)}
	if strings.TrimSpace(p.Next.DoneLooksLike) != "" {
		lines = append(lines, lang.T("path.card.done", userText(p.Next.DoneLooksLike, pathTextShort)))
	}
	lines = append(lines, pathReviews(lang, v))
	if v.Due.Due {
		lines = append(lines, "🔔 "+lang.T("path.card.due."+string(v.Due.Reason)))
	}
	return append(lines, voiceLines(lang, v)...)
}

// pathNow is the line with the style and the phase, each with its since.
func pathNow(lang i18n.Lang, v coach.PathView) string {
	p := v.Path
	return lang.T("path.card.now", lang.T(p.Style().NameKey()), pathDate(lang, p.StyleSince(), v.Today),
		int(p.Phase()), lang.T(p.Phase().NameKey()), pathDate(lang, p.PhaseSince(), v.Today))
}

// pathNext is the line with the next responsibility and its date, and how
// long ago that date passed.
func pathNext(lang i18n.Lang, v coach.PathView) string {
	p := v.Path
	line := lang.T("path.card.next", userText(p.Next.Responsibility, pathTextShort), pathDate(lang, p.Next.Target, v.Today))
	if v.Overdue > 0 {
		line += " · ⚠️ " + lang.T("path.card.overdue", lang.Plural("path.days", v.Overdue))
	}
	return line
}

// pathReviews is the line with the last reviews as marks and the days
// since the last one (or since the path was set).
func pathReviews(lang i18n.Lang, v coach.PathView) string {
	rs := v.Path.Reviews
	if len(rs) == 0 {
		return lang.T("path.card.no_review", daysAgo(lang, v.Due.DaysSince))
	}
	var b strings.Builder
	for _, r := range rs[max(0, len(rs)-homeReviewMarks):] {
		b.WriteString(reviewMark(r.Outcome))
	}
	return lang.T("path.card.reviews", b.String(), daysAgo(lang, v.Due.DaysSince))
}

// PathListReply renders /coach path without a Lean leader: per Lean leader
// the style and phase now, the next responsibility with its date, the days
// since the last review and how to open the path.
func PathListReply(lang i18n.Lang, views []coach.PathView) slackio.Reply {
	blocks := []slack.Block{slack.NewHeaderBlock(ptText(lang.T("path.list.title")))}
	if len(views) == 0 {
		blocks = append(blocks, mrkdwnSection(lang.T("path.list.none"), false))
		return slackio.Reply{Text: lang.T("path.list.title"), Blocks: blocks}
	}
	for i, v := range views {
		if i == maxListPaths {
			blocks = append(blocks, mrkdwnSection(lang.T("path.home.more", len(views)-maxListPaths), false))
			break
		}
		lines := []string{"*" + mentionOf(v.Leader) + "*"}
		if v.Path == nil {
			lines = append(lines, lang.T("path.card.none", mentionOf(v.Leader)))
		} else {
			lines = append(lines, pathNow(lang, v), pathNext(lang, v), pathReviews(lang, v))
		}
		lines = append(lines, lang.T("path.list.open", mentionOf(v.Leader)))
		blocks = append(blocks, mrkdwnSection(strings.Join(lines, "\n"), true))
	}
	blocks = append(blocks, mrkdwnContext(lang.T("path.list.footer")))
	return slackio.Reply{Text: lang.T("path.list.title"), Blocks: blocks}
}

// pathCountLines are the admins' lines about the paths: counts only.
func pathCountLines(lang i18n.Lang, c coach.PathCounts) []string {
	phases := make([]string, 0, len(coach.Phases()))
	for _, ph := range coach.Phases() {
		phases = append(phases, lang.T("path.counts.phase", int(ph), c.PerPhase[ph]))
	}
	return []string{
		lang.T("path.counts.title"),
		lang.T("path.counts.pairs", c.WithPath, c.Pairs, c.Reviewed),
		lang.T("path.counts.phases", strings.Join(phases, " · ")),
	}
}

// reviewMark is the mark of a review's outcome.
func reviewMark(o coach.ReviewOutcome) string {
	switch o {
	case coach.Handed:
		return "✅"
	case coach.Partly:
		return "◐"
	}
	return "▫️"
}

// pathDate is a day of a path: "Friday 18 December", with the year when it
// is not today's.
func pathDate(lang i18n.Lang, d, today coach.Date) string {
	s := lang.Date(d.In(time.UTC))
	if d.Year() != today.Year() {
		s = lang.T("path.date.year", s, d.Year())
	}
	return s
}

// daysAgo says how many days ago something was: today, yesterday, 5 days
// ago.
func daysAgo(lang i18n.Lang, days int) string {
	switch {
	case days <= 0:
		return lang.T("path.ago.today")
	case days == 1:
		return lang.T("path.ago.yesterday")
	}
	return lang.T("path.ago.days", days)
}

// userText is what a director typed, made inert and cut to limit.
func userText(s string, limit int) string { return Escape(s, limit) }

// capitalize upper-cases the first letter: a style's name as an option.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// optionText cuts s to Slack's 75 characters for an option's text.
func optionText(s string) string {
	if r := []rune(s); len(r) > optionTextMax {
		return string(r[:optionTextMax-1]) + "…"
	}
	return s
}

package sandbox_test

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"github.com/leancoach/leancoach/internal/slackio"
)

func pt(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject("plain_text", s, false, false)
}

func opt(value, text string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, pt(text), nil)
}

// registerWidgets adds "/coach widgets" (a message with every interactive
// element kind) and "/coach form" (a modal with every input kind) to the
// in-test bot; what the bot receives is sent on got as "action_id=value" or
// "form:block=value;…".
func registerWidgets(r *slackio.Router, api *slack.Client, got chan<- string) {
	r.Subcommand("/coach", "widgets", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		days := slack.NewCheckboxGroupsBlockElement("w_days", opt("mon", "Mon"), opt("tue", "Tue"))
		days.InitialOptions = []*slack.OptionBlockObject{opt("mon", "Mon")}
		_, _, err := api.PostMessageContext(ctx, cmd.UserID, slack.MsgOptionText("widgets", false), slack.MsgOptionBlocks(
			slack.NewHeaderBlock(pt("Every widget")),
			slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Overflow* here", false, false), nil,
				slack.NewAccessory(slack.NewOverflowBlockElement("w_over", opt("pause", "Pause"), opt("remove", "Remove")))),
			slack.NewActionBlock("w",
				slack.NewButtonBlockElement("w_btn", "v", pt("Press")).WithStyle(slack.StyleDanger),
				slack.NewOptionsSelectBlockElement("static_select", pt("Pick"), "w_sel", opt("a", "A"), opt("b", "B")),
				slack.NewOptionsSelectBlockElement("users_select", pt("Someone"), "w_user"),
				slack.NewDatePickerBlockElement("w_date"),
				days,
				slack.NewRadioButtonsBlockElement("w_lang", opt("en", "English"), opt("nl", "Nederlands")),
			),
			slack.NewContextBlock("", slack.NewTextBlockObject("mrkdwn", "context _line_", false, false)),
			slack.NewDividerBlock(),
		))
		return slackio.Reply{}, err
	})
	r.ActionPrefix("w_", func(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
		v := act.Value
		switch {
		case act.SelectedOption.Value != "":
			v = act.SelectedOption.Value
		case act.SelectedUser != "":
			v = act.SelectedUser
		case act.SelectedDate != "":
			v = act.SelectedDate
		case act.Type == "checkboxes":
			var vs []string
			for _, o := range act.SelectedOptions {
				vs = append(vs, o.Value)
			}
			v = strings.Join(vs, ",")
		}
		got <- act.ActionID + "=" + v
		return nil
	})
	r.Subcommand("/coach", "form", func(ctx context.Context, cmd slack.SlashCommand) (slackio.Reply, error) {
		note := slack.NewInputBlock("note", pt("Note"), pt("Only you see this"),
			&slack.PlainTextInputBlockElement{Type: slack.METPlainTextInput, ActionID: "note", Multiline: true})
		note.Optional = true
		when := slack.NewInputBlock("when", pt("When"), nil, slack.NewDatePickerBlockElement("when"))
		when.Optional = true
		more := slack.NewInputBlock("more", pt("Also"), nil, slack.NewCheckboxGroupsBlockElement("more", opt("share", "Share")))
		more.Optional = true
		_, err := api.OpenViewContext(ctx, cmd.TriggerID, slack.ModalViewRequest{
			Type: slack.VTModal, CallbackID: "form", Title: pt("Every input"), Submit: pt("Save"), Close: pt("Cancel"),
			Blocks: slack.Blocks{BlockSet: []slack.Block{
				slack.NewInputBlock("title", pt("Title"), nil, &slack.PlainTextInputBlockElement{Type: slack.METPlainTextInput, ActionID: "title"}),
				note,
				slack.NewInputBlock("leader", pt("For"), nil, &slack.SelectBlockElement{Type: slack.OptTypeUser, ActionID: "leader"}),
				slack.NewInputBlock("habit", pt("Habit"), nil, slack.NewOptionsSelectBlockElement("static_select", nil, "habit", opt("standup", "Stand-up"), opt("question", "Question"))),
				slack.NewInputBlock("fb", pt("Feedback?"), nil, slack.NewRadioButtonsBlockElement("fb", opt("yes", "Yes"), opt("no", "No"))),
				more,
				when,
			}},
		})
		return slackio.Reply{}, err
	})
	r.View("form", slackio.ViewHandler{Handle: func(ctx context.Context, cb slack.InteractionCallback) error {
		var parts []string
		for block, acts := range cb.View.State.Values {
			for _, a := range acts {
				v := a.Value
				switch {
				case a.SelectedOption.Value != "":
					v = a.SelectedOption.Value
				case a.SelectedUser != "":
					v = a.SelectedUser
				case a.SelectedDate != "":
					v = a.SelectedDate
				case a.Type == "checkboxes":
					var vs []string
					for _, o := range a.SelectedOptions {
						vs = append(vs, o.Value)
					}
					v = strings.Join(vs, ",")
				}
				parts = append(parts, fmt.Sprintf("%s=%s", block, v))
			}
		}
		sort.Strings(parts)
		got <- "form:" + strings.Join(parts, ";")
		return nil
	}})
}

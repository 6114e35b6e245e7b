package slacksim

import (
	"encoding/json"
	"fmt"
)

// option finds an option object of el by value.
func (el element) option(value string) (json.RawMessage, error) {
	opts := append([]json.RawMessage{}, el.Options...)
	for _, g := range el.OptionGroups {
		opts = append(opts, g.Options...)
	}
	for _, o := range opts {
		var v struct{ Value string }
		if json.Unmarshal(o, &v) == nil && v.Value == value {
			return o, nil
		}
	}
	return nil, fmt.Errorf("slacksim: %s %q has no option %q: %w", el.Type, el.ActionID, value, ErrInvalidInput)
}

// stateValue builds Slack's state value object for el given the chosen values; the
// second result holds the fields that also go into the action.
func (el element) stateValue(vals []string) (obj, error) {
	one := ""
	if len(vals) > 0 {
		one = vals[0]
	}
	sv := obj{"type": el.Type}
	switch el.Type {
	case "static_select", "radio_buttons", "overflow", "external_select":
		o, err := el.option(one)
		if err != nil {
			return nil, err
		}
		sv["selected_option"] = o
	case "checkboxes", "multi_static_select":
		list := []json.RawMessage{}
		for _, v := range vals {
			o, err := el.option(v)
			if err != nil {
				return nil, err
			}
			list = append(list, o)
		}
		sv["selected_options"] = list
	case "users_select":
		sv["selected_user"] = one
	case "multi_users_select":
		sv["selected_users"] = vals
	case "conversations_select":
		sv["selected_conversation"] = one
	case "channels_select":
		sv["selected_channel"] = one
	case "datepicker":
		sv["selected_date"] = one
	case "timepicker":
		sv["selected_time"] = one
	case "button", "workflow_button":
		return nil, nil
	default: // plain_text_input, number_input, email_text_input, url_text_input, rich text…
		sv["value"] = one
	}
	return sv, nil
}

// initialState is the state value Slack reports for an untouched input.
func (el element) initialState() (json.RawMessage, bool) {
	sv := obj{"type": el.Type}
	filled := true
	switch {
	case el.InitialValue != nil:
		sv["value"] = *el.InitialValue
	case len(el.InitialOption) > 0:
		sv["selected_option"] = el.InitialOption
	case len(el.InitialOptions) > 0:
		sv["selected_options"] = el.InitialOptions
	case el.InitialUser != nil:
		sv["selected_user"] = *el.InitialUser
	case el.InitialDate != nil:
		sv["selected_date"] = *el.InitialDate
	case el.InitialTime != nil:
		sv["selected_time"] = *el.InitialTime
	default:
		filled = false
		switch el.Type {
		case "static_select", "radio_buttons", "external_select":
			sv["selected_option"] = nil
		case "checkboxes", "multi_static_select":
			sv["selected_options"] = []any{}
		case "users_select":
			sv["selected_user"] = nil
		case "datepicker":
			sv["selected_date"] = nil
		case "timepicker":
			sv["selected_time"] = nil
		default:
			sv["value"] = nil
		}
	}
	b, _ := json.Marshal(sv)
	return b, filled
}

package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// stateValue is the part of Slack's state value object the renderer reads.
type stateValue struct {
	Value           *string  `json:"value"`
	SelectedOption  *option  `json:"selected_option"`
	SelectedOptions []option `json:"selected_options"`
	SelectedUser    *string  `json:"selected_user"`
	SelectedUsers   []string `json:"selected_users"`
	SelectedDate    *string  `json:"selected_date"`
	SelectedTime    *string  `json:"selected_time"`
	SelectedConv    *string  `json:"selected_conversation"`
	SelectedChannel *string  `json:"selected_channel"`
}

// current merges the person's input over the element's initial values.
func current(el elem, state map[string]json.RawMessage) elem {
	raw, ok := state[el.ActionID]
	if !ok {
		return el
	}
	var sv stateValue
	if json.Unmarshal(raw, &sv) != nil {
		return el
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&el.InitialValue, sv.Value)
	set(&el.InitialUser, sv.SelectedUser)
	set(&el.InitialDate, sv.SelectedDate)
	set(&el.InitialTime, sv.SelectedTime)
	set(&el.InitialConv, sv.SelectedConv)
	set(&el.InitialChannel, sv.SelectedChannel)
	if sv.SelectedOption != nil {
		el.InitialOption = sv.SelectedOption
	}
	if sv.SelectedOptions != nil {
		el.InitialOptions = sv.SelectedOptions
	}
	return el
}

// dataAttrs are the attributes the page's script reads off an element.
func dataAttrs(blockID string, el elem, input bool) string {
	s := fmt.Sprintf(` data-kind="%s" data-action="%s" data-block="%s"`, attr(el.Type), attr(el.ActionID), attr(blockID))
	if input {
		s += fmt.Sprintf(` data-input="1" data-key="%s"`, attr(blockID+"/"+el.ActionID))
	}
	return s
}

func (r *Renderer) disabled() string {
	if r.ReadOnly {
		return " disabled"
	}
	return ""
}

// element renders one element of an actions block, a section's accessory or
// an input block (input is set: its value is sent with the submission instead
// of on change).
func (r *Renderer) element(blockID string, el elem, state map[string]json.RawMessage, input bool) string {
	el = current(el, state)
	da := dataAttrs(blockID, el, input) + r.disabled()
	switch el.Type {
	case "button":
		var t textObj
		_ = json.Unmarshal(el.Text, &t)
		class := "bk-button"
		if el.Style == "primary" || el.Style == "danger" {
			class += " bk-" + el.Style
		}
		return fmt.Sprintf(`<button type="button" class="%s"%s data-value="%s" data-url="%s">%s</button>`,
			class, da, attr(el.Value), attr(el.URL), r.text(&t))
	case "overflow":
		return r.overflow(el, da)
	case "static_select", "external_select", "multi_static_select":
		return r.staticSelect(el, da)
	case "users_select", "multi_users_select":
		return r.usersSelect(el, da)
	case "conversations_select", "channels_select":
		return r.channelsSelect(el, da)
	case "datepicker":
		return fmt.Sprintf(`<input type="date" class="bk-date"%s value="%s">`, da, attr(el.InitialDate))
	case "timepicker":
		return fmt.Sprintf(`<input type="time" class="bk-time"%s value="%s">`, da, attr(el.InitialTime))
	case "checkboxes", "radio_buttons":
		return r.choices(el, da)
	case "plain_text_input", "email_text_input", "url_text_input", "number_input":
		return r.textInput(el, da)
	case "image":
		return fmt.Sprintf(`<img class="bk-accessory-img" src="%s" alt="%s">`, attr(el.ImageURL), attr(el.AltText))
	}
	return `<span class="bk-unsupported">` + esc(r.Labels.T("unsupported", el.Type)) + `</span>`
}

func (r *Renderer) overflow(el elem, da string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<details class="bk-overflow"%s><summary class="bk-button" aria-label="%s">⋯</summary><div class="bk-menu">`,
		da, attr(r.Labels.T("more")))
	for _, o := range el.Options {
		fmt.Fprintf(&b, `<button type="button" class="bk-menu-item" data-value="%s"%s>%s</button>`,
			attr(o.Value), r.disabled(), r.text(&o.Text))
	}
	b.WriteString(`</div></details>`)
	return b.String()
}

// placeholderOption is the empty first choice of a select, showing its placeholder.
func (r *Renderer) placeholderOption(el elem, chosen bool, fallback string) string {
	text := fallback
	if el.Placeholder != nil {
		text = plain(el.Placeholder)
	}
	sel := ""
	if !chosen {
		sel = " selected"
	}
	return fmt.Sprintf(`<option value=""%s>%s</option>`, sel, esc(text))
}

func multiple(el elem) string {
	if strings.HasPrefix(el.Type, "multi_") {
		return " multiple"
	}
	return ""
}

func (r *Renderer) staticSelect(el elem, da string) string {
	chosen := map[string]bool{}
	if el.InitialOption != nil {
		chosen[el.InitialOption.Value] = true
	}
	for _, o := range el.InitialOptions {
		chosen[o.Value] = true
	}
	opt := func(o option) string {
		sel := ""
		if chosen[o.Value] {
			sel = " selected"
		}
		return fmt.Sprintf(`<option value="%s"%s>%s</option>`, attr(o.Value), sel, esc(plain(&o.Text)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<select class="bk-select"%s%s>`, da, multiple(el))
	if multiple(el) == "" {
		b.WriteString(r.placeholderOption(el, len(chosen) > 0, r.Labels.T("select")))
	}
	for _, o := range el.Options {
		b.WriteString(opt(o))
	}
	for _, g := range el.OptionGroups {
		fmt.Fprintf(&b, `<optgroup label="%s">`, attr(plain(&g.Label)))
		for _, o := range g.Options {
			b.WriteString(opt(o))
		}
		b.WriteString(`</optgroup>`)
	}
	b.WriteString(`</select>`)
	return b.String()
}

func (r *Renderer) usersSelect(el elem, da string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<select class="bk-select bk-users"%s%s>`, da, multiple(el))
	if multiple(el) == "" {
		b.WriteString(r.placeholderOption(el, el.InitialUser != "", r.Labels.T("pick_person")))
	}
	for _, p := range r.People {
		sel := ""
		if p.ID == el.InitialUser {
			sel = " selected"
		}
		fmt.Fprintf(&b, `<option value="%s"%s>%s</option>`, attr(p.ID), sel, esc(p.RealName))
	}
	b.WriteString(`</select>`)
	return b.String()
}

func (r *Renderer) channelsSelect(el elem, da string) string {
	initial := el.InitialConv + el.InitialChannel
	var b strings.Builder
	fmt.Fprintf(&b, `<select class="bk-select bk-channels"%s>`, da)
	b.WriteString(r.placeholderOption(el, initial != "", r.Labels.T("pick_channel")))
	for _, c := range r.Channels {
		if c.IsDM {
			continue
		}
		sel := ""
		if c.ID == initial {
			sel = " selected"
		}
		fmt.Fprintf(&b, `<option value="%s"%s>#%s</option>`, attr(c.ID), sel, esc(c.Name))
	}
	b.WriteString(`</select>`)
	return b.String()
}

func (r *Renderer) choices(el elem, da string) string {
	kind, class := "checkbox", "bk-checkboxes"
	if el.Type == "radio_buttons" {
		kind, class = "radio", "bk-radios"
	}
	r.seq++
	group := fmt.Sprintf("g%d-%s", r.seq, el.ActionID)
	var chosen []string
	if el.InitialOption != nil {
		chosen = append(chosen, el.InitialOption.Value)
	}
	for _, o := range el.InitialOptions {
		chosen = append(chosen, o.Value)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="%s" role="group"%s>`, class, da)
	for _, o := range el.Options {
		checked := ""
		if slices.Contains(chosen, o.Value) {
			checked = " checked"
		}
		fmt.Fprintf(&b, `<label class="bk-choice"><input type="%s" name="%s" value="%s"%s%s><span class="bk-choice-text">%s`,
			kind, attr(group), attr(o.Value), checked, r.disabled(), r.text(&o.Text))
		if o.Description != nil {
			b.WriteString(`<span class="bk-choice-desc">` + r.text(o.Description) + `</span>`)
		}
		b.WriteString(`</span></label>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

func (r *Renderer) textInput(el elem, da string) string {
	ph := ""
	if el.Placeholder != nil {
		ph = fmt.Sprintf(` placeholder="%s"`, attr(plain(el.Placeholder)))
	}
	if el.MaxLength > 0 {
		ph += fmt.Sprintf(` maxlength="%d"`, el.MaxLength)
	}
	if el.Multiline {
		return fmt.Sprintf(`<textarea class="bk-textarea" rows="4"%s%s>%s</textarea>`, da, ph, attr(el.InitialValue))
	}
	typ := map[string]string{"email_text_input": "email", "url_text_input": "url", "number_input": "number"}[el.Type]
	if typ == "" {
		typ = "text"
	}
	return fmt.Sprintf(`<input type="%s" class="bk-text-input"%s%s value="%s">`, typ, da, ph, attr(el.InitialValue))
}

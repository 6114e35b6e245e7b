package slacksim

import "strconv"

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

var (
	selectTypes = []string{"static_select", "external_select", "users_select", "conversations_select",
		"channels_select", "multi_static_select", "multi_external_select", "multi_users_select",
		"multi_conversations_select", "multi_channels_select"}
	actionTypes = set(append([]string{"button", "checkboxes", "datepicker", "datetimepicker", "overflow",
		"radio_buttons", "timepicker", "workflow_button", "rich_text_input"}, selectTypes...)...)
	accessoryTypes = set(append([]string{"button", "checkboxes", "datepicker", "image", "overflow",
		"radio_buttons", "timepicker", "workflow_button"}, selectTypes...)...)
	inputTypes = set(append([]string{"plain_text_input", "checkboxes", "radio_buttons", "datepicker",
		"timepicker", "datetimepicker", "email_text_input", "url_text_input", "number_input", "file_input",
		"rich_text_input"}, selectTypes...)...)
	contextTypes = set("image", "plain_text", "mrkdwn")
)

// element validates one element against the types its parent allows.
func (v *validator) element(raw any, p string, allowed map[string]bool) {
	e, ok := raw.(map[string]any)
	if !ok {
		v.errf(p, "must be an object")
		return
	}
	typ, _ := e["type"].(string)
	if !allowed[typ] {
		v.errf(p, "failed to match all allowed schemas")
		return
	}
	v.maxStr(e, p, "action_id", 255)
	v.text(e, p, "placeholder", textRule{plainOnly: true, max: 150})
	v.confirm(e, p)
	switch typ {
	case "plain_text", "mrkdwn":
		v.textObj(e, p, textRule{max: 3000})
	case "image":
		v.image(e, p)
	case "button":
		v.text(e, p, "text", textRule{plainOnly: true, max: 75, required: true})
		v.maxStr(e, p, "value", 2000)
		v.maxStr(e, p, "url", 3000)
		v.maxStr(e, p, "accessibility_label", 75)
		if st, ok := e["style"]; ok && st != "primary" && st != "danger" {
			v.errf(p+"/style", "must be one of primary, danger")
		}
	case "overflow":
		v.options(v.list(e, p, "options", 2, 5), p+"/options")
	case "checkboxes", "radio_buttons":
		v.options(v.list(e, p, "options", 1, 10), p+"/options")
	case "static_select", "multi_static_select":
		if e["options"] == nil && e["option_groups"] == nil {
			v.errf(p+"/options", "must provide options or option_groups")
		}
		v.options(v.list(e, p, "options", 0, 100), p+"/options")
		for i, g := range v.list(e, p, "option_groups", 0, 100) {
			gp := p + "/option_groups/" + strconv.Itoa(i)
			if gm, ok := g.(map[string]any); ok {
				v.text(gm, gp, "label", textRule{plainOnly: true, max: 75, required: true})
				v.options(v.list(gm, gp, "options", 1, 100), gp+"/options")
			}
		}
	case "plain_text_input":
		if n, ok := number(e["max_length"]); ok && n > 3000 {
			v.errf(p+"/max_length", "must be less than 3001")
		}
		v.maxStr(e, p, "initial_value", 3000)
	}
}

func number(raw any) (float64, bool) {
	switch n := raw.(type) {
	case float64:
		return n, true
	case interface{ Float64() (float64, error) }:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// options validates option objects: text ≤75, value ≤150, description ≤75, url ≤3000.
func (v *validator) options(arr []any, ptr string) {
	for i, raw := range arr {
		p := ptr + "/" + strconv.Itoa(i)
		o, ok := raw.(map[string]any)
		if !ok {
			v.errf(p, "must be an option object")
			continue
		}
		v.text(o, p, "text", textRule{max: 75, required: true})
		v.reqStr(o, p, "value", 150)
		v.text(o, p, "description", textRule{max: 75})
		v.maxStr(o, p, "url", 3000)
	}
}

// confirm validates an optional confirmation dialog.
func (v *validator) confirm(e map[string]any, p string) {
	raw, ok := e["confirm"]
	if !ok || raw == nil {
		return
	}
	c, ok := raw.(map[string]any)
	p += "/confirm"
	if !ok {
		v.errf(p, "must be a confirmation object")
		return
	}
	v.text(c, p, "title", textRule{plainOnly: true, max: 100, required: true})
	v.text(c, p, "text", textRule{max: 300, required: true})
	v.text(c, p, "confirm", textRule{plainOnly: true, max: 30, required: true})
	v.text(c, p, "deny", textRule{plainOnly: true, max: 30, required: true})
}

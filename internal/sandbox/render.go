package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Renderer draws Block Kit as HTML the way Slack's client shows it, with the
// data-* attributes the page's script needs to send a click back: data-action
// (action_id), data-block (block_id), data-kind (element type), data-value,
// and data-key ("block_id/action_id") on the inputs of a modal.
//
// Invariant: every piece of text from a message or view goes through esc,
// attr, Names.Mrkdwn or Names.Plain; the output holds no markup the bot sent.
type Renderer struct {
	Names Names
	// People are the choices of a users_select, in order.
	People []Person
	// Channels are the choices of a conversations_select or channels_select.
	Channels []Channel
	// ReadOnly draws controls disabled (a message seen by someone who may not
	// click it, such as another person's ephemeral message).
	ReadOnly bool
	// Labels are the client's own words ("optional", "Pick a person").
	Labels Labels

	seq int // uniquifies radio group names within one render
}

// Person is someone of the workspace as the page shows them.
type Person struct {
	ID       string `json:"id"`
	Name     string `json:"name"`      // handle, e.g. "maarten"
	RealName string `json:"real_name"` // e.g. "Maarten Jansen"
	Role     string `json:"role"`      // "admin", "director", "leader" or ""
	RoleText string `json:"role_text"` // the role in the viewer's language
	TZ       string `json:"tz"`
	Lang     string `json:"lang"`
}

// Channel is a conversation in the page's sidebar.
type Channel struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	IsDM  bool   `json:"is_dm"`
	Count int    `json:"count"` // messages visible to the viewer, to mark unread ones
}

// textObj is a Block Kit text object.
type textObj struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Emoji    *bool  `json:"emoji"`
	Verbatim bool   `json:"verbatim"`
}

type option struct {
	Text        textObj  `json:"text"`
	Value       string   `json:"value"`
	Description *textObj `json:"description"`
	URL         string   `json:"url"`
}

type optionGroup struct {
	Label   textObj  `json:"label"`
	Options []option `json:"options"`
}

// elem is any Block Kit element (interactive or not), flattened.
type elem struct {
	Type           string          `json:"type"`
	ActionID       string          `json:"action_id"`
	Text           json.RawMessage `json:"text"` // text object, or a string for mrkdwn/plain_text context elements
	Emoji          *bool           `json:"emoji"`
	Value          string          `json:"value"`
	URL            string          `json:"url"`
	Style          string          `json:"style"`
	Placeholder    *textObj        `json:"placeholder"`
	Options        []option        `json:"options"`
	OptionGroups   []optionGroup   `json:"option_groups"`
	InitialOption  *option         `json:"initial_option"`
	InitialOptions []option        `json:"initial_options"`
	InitialUser    string          `json:"initial_user"`
	InitialDate    string          `json:"initial_date"`
	InitialTime    string          `json:"initial_time"`
	InitialValue   string          `json:"initial_value"`
	InitialConv    string          `json:"initial_conversation"`
	InitialChannel string          `json:"initial_channel"`
	Multiline      bool            `json:"multiline"`
	MaxLength      int             `json:"max_length"`
	ImageURL       string          `json:"image_url"`
	AltText        string          `json:"alt_text"`
}

type blockJSON struct {
	Type      string          `json:"type"`
	BlockID   string          `json:"block_id"`
	Text      *textObj        `json:"text"`
	Fields    []textObj       `json:"fields"`
	Accessory *elem           `json:"accessory"`
	Elements  []elem          `json:"elements"`
	Element   *elem           `json:"element"`
	Label     *textObj        `json:"label"`
	Hint      *textObj        `json:"hint"`
	Optional  bool            `json:"optional"`
	ImageURL  string          `json:"image_url"`
	AltText   string          `json:"alt_text"`
	Title     *textObj        `json:"title"`
	Raw       json.RawMessage `json:"-"`
}

// Blocks renders a blocks array. errs holds a modal's validation errors by
// block_id (response_action "errors"); state holds the person's input so far
// (block_id -> action_id -> Slack's value object), drawn over initial values.
func (r *Renderer) Blocks(blocks json.RawMessage, errs map[string]string, state map[string]map[string]json.RawMessage) string {
	var bs []blockJSON
	if len(blocks) == 0 {
		return ""
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return `<div class="bk-unsupported">` + esc(r.Labels.T("unreadable")) + `</div>`
	}
	var b strings.Builder
	for _, bl := range bs {
		b.WriteString(r.block(bl, errs[bl.BlockID], state[bl.BlockID]))
	}
	return b.String()
}

// Text renders a message's text when it has no blocks.
func (r *Renderer) Text(s string) string {
	return `<div class="bk-section"><div class="bk-text">` + r.Names.Mrkdwn(s) + `</div></div>`
}

func (r *Renderer) block(bl blockJSON, errMsg string, state map[string]json.RawMessage) string {
	var b strings.Builder
	open := func(class string) {
		fmt.Fprintf(&b, `<div class="%s" data-block="%s">`, class, attr(bl.BlockID))
	}
	switch bl.Type {
	case "header":
		open("bk-header")
		b.WriteString(r.text(bl.Text))
	case "section":
		open("bk-section")
		b.WriteString(`<div class="bk-section-body">`)
		if bl.Text != nil {
			b.WriteString(`<div class="bk-text">` + r.text(bl.Text) + `</div>`)
		}
		if len(bl.Fields) > 0 {
			b.WriteString(`<div class="bk-fields">`)
			for i := range bl.Fields {
				b.WriteString(`<div class="bk-field">` + r.text(&bl.Fields[i]) + `</div>`)
			}
			b.WriteString(`</div>`)
		}
		b.WriteString(`</div>`)
		if bl.Accessory != nil {
			b.WriteString(`<div class="bk-accessory">` + r.element(bl.BlockID, *bl.Accessory, state, false) + `</div>`)
		}
	case "context":
		open("bk-context")
		for _, el := range bl.Elements {
			b.WriteString(r.contextElement(el))
		}
	case "divider":
		open("bk-divider")
		b.WriteString(`<hr>`)
	case "actions":
		open("bk-actions")
		for _, el := range bl.Elements {
			b.WriteString(r.element(bl.BlockID, el, state, false))
		}
	case "image":
		open("bk-image")
		if bl.Title != nil {
			b.WriteString(`<div class="bk-image-title">` + r.text(bl.Title) + `</div>`)
		}
		fmt.Fprintf(&b, `<img src="%s" alt="%s">`, attr(bl.ImageURL), attr(bl.AltText))
	case "input":
		open("bk-input")
		b.WriteString(r.input(bl, errMsg, state))
	default:
		open("bk-unsupported")
		b.WriteString(esc(r.Labels.T("unsupported", bl.Type)))
	}
	b.WriteString(`</div>`)
	return b.String()
}

// text renders a text object by its type.
func (r *Renderer) text(t *textObj) string {
	if t == nil {
		return ""
	}
	if t.Type == "mrkdwn" {
		return r.Names.Mrkdwn(t.Text)
	}
	return r.Names.Plain(t.Text, t.Emoji == nil || *t.Emoji)
}

// plain renders a text object's text without formatting, for attributes and
// option labels.
func plain(t *textObj) string {
	if t == nil {
		return ""
	}
	return unescaper.Replace(t.Text)
}

func (r *Renderer) contextElement(el elem) string {
	switch el.Type {
	case "image":
		return fmt.Sprintf(`<img class="bk-context-img" src="%s" alt="%s">`, attr(el.ImageURL), attr(el.AltText))
	case "mrkdwn", "plain_text":
		var s string
		_ = json.Unmarshal(el.Text, &s)
		t := textObj{Type: el.Type, Text: s, Emoji: el.Emoji}
		return `<span class="bk-context-text">` + r.text(&t) + `</span>`
	}
	return `<span class="bk-unsupported">` + esc(r.Labels.T("unsupported", el.Type)) + `</span>`
}

func (r *Renderer) input(bl blockJSON, errMsg string, state map[string]json.RawMessage) string {
	var b strings.Builder
	b.WriteString(`<label class="bk-label">`)
	b.WriteString(r.text(bl.Label))
	if bl.Optional {
		b.WriteString(` <span class="bk-optional">(` + esc(r.Labels.T("optional")) + `)</span>`)
	}
	b.WriteString(`</label>`)
	if bl.Element != nil {
		b.WriteString(r.element(bl.BlockID, *bl.Element, state, true))
	}
	if bl.Hint != nil {
		b.WriteString(`<div class="bk-hint">` + r.text(bl.Hint) + `</div>`)
	}
	b.WriteString(`<div class="bk-error" role="alert">`)
	if errMsg != "" {
		b.WriteString(esc(errMsg))
	}
	b.WriteString(`</div>`)
	return b.String()
}

package sandbox

// GuideStep is one step of the page's "try this" guide, a short walk through
// the workspace for a first visit. Its texts are the catalog's
// "sandbox.guide.<Key>.title" and "sandbox.guide.<Key>.text", in the
// language of the person the visitor is being.
type GuideStep struct {
	Key string
	// Names are the user ids whose names fill the text's %[1]s, %[2]s, ….
	Names []string
	// Actions are the step's buttons.
	Actions []GuideAction
}

// GuideAction is one button of a guide step: it makes the visitor As (when
// set), opens Open ("home" for the App Home, a channel id, or "" for the DM
// with the bot) and puts Command (when set) in the message box, for the
// visitor to send.
type GuideAction struct {
	As      string
	Command string
	Open    string
}

// OpenHome is GuideAction.Open for the App Home.
const OpenHome = "home"

// GuideView is the guide as the page draws it, in the viewer's words.
type GuideView struct {
	Title string          `json:"title"`
	Intro string          `json:"intro"`
	Tip   string          `json:"tip"`
	Steps []GuideStepView `json:"steps"`
}

// GuideStepView is one step of the guide.
type GuideStepView struct {
	Key     string            `json:"key"`
	Title   string            `json:"title"`
	Text    string            `json:"text"`
	Actions []GuideActionView `json:"actions"`
}

// GuideActionView is one button: Label is the command to type, or what the
// button does; Hint says for whom.
type GuideActionView struct {
	As      string `json:"as"`
	Command string `json:"command"`
	Open    string `json:"open"`
	Label   string `json:"label"`
	Hint    string `json:"hint"`
}

// guide renders the steps in labels' language; nil when there are none.
func guide(steps []GuideStep, labels Labels, ws workspace) *GuideView {
	if len(steps) == 0 {
		return nil
	}
	name := func(id string) string {
		if n := ws.names.Users[id]; n != "" {
			return n
		}
		return id
	}
	g := &GuideView{Title: labels.T("guide.title"), Intro: labels.T("guide.intro"), Tip: labels.T("guide.tip")}
	for _, st := range steps {
		args := make([]any, len(st.Names))
		for i, id := range st.Names {
			args[i] = name(id)
		}
		v := GuideStepView{Key: st.Key, Title: labels.T("guide." + st.Key + ".title"),
			Text: labels.T("guide."+st.Key+".text", args...), Actions: []GuideActionView{}}
		for _, a := range st.Actions {
			v.Actions = append(v.Actions, guideAction(a, labels, ws, name))
		}
		g.Steps = append(g.Steps, v)
	}
	return g
}

func guideAction(a GuideAction, labels Labels, ws workspace, name func(string) string) GuideActionView {
	v := GuideActionView{As: a.As, Command: a.Command, Open: a.Open}
	if a.As != "" {
		v.Hint = labels.T("guide.as", name(a.As))
	}
	channel := "#" + ws.names.Channels[a.Open]
	switch {
	case a.Command != "":
		v.Label = a.Command
	case a.Open == OpenHome && a.As != "":
		v.Label = labels.T("guide.open_home_of", name(a.As))
	case a.Open == OpenHome:
		v.Label = labels.T("guide.open_home")
	case a.Open != "" && a.As != "":
		v.Label = labels.T("guide.be_open", name(a.As), channel)
	case a.Open != "":
		v.Label = labels.T("guide.open", channel)
	default:
		v.Label = labels.T("guide.be", name(a.As))
	}
	return v
}

package i18n

// Texts of internal/store: what a user sees when something they named does
// not exist.
var storeEN = map[string]string{
	"store.director_not_found":   "%s is not registered as a director. `/coach director list` shows who is.",
	"store.occurrence_not_found": "That prompt is no longer known, so it can't be answered. Your next prompt will work as usual.",
	"store.schedule_not_found":   "There is no schedule `%s`. `/coach schedule list` shows the schedules and their ids.",
	"store.admin_not_found":      "%s is not an added admin. `/coach admin list` shows who is.",
	"store.profile_not_found":    "I don't know the Slack profile of %s yet. Please try again in a moment.",
	"store.path_not_found":       "There is no path with %s yet.",
}

var storeNL = map[string]string{
	"store.director_not_found":   "%s is niet aangemeld als directeur. Met `/coach director list` zie je wie dat wel zijn.",
	"store.occurrence_not_found": "Dit seintje ken ik niet meer, dus je kunt er niet op reageren. Je volgende seintje werkt gewoon.",
	"store.schedule_not_found":   "Er is geen schema `%s`. Met `/coach schedule list` zie je de schema's en hun id's.",
	"store.admin_not_found":      "%s is geen toegevoegde beheerder. Met `/coach admin list` zie je wie dat wel zijn.",
	"store.profile_not_found":    "Ik ken het Slack-profiel van %s nog niet. Probeer het zo nog eens.",
	"store.path_not_found":       "Er is nog geen pad met %s.",
}

package i18n

var coreEN = map[string]string{
	"error.internal": "Something went wrong on our side. It has been logged; please try again.",
}

var coreNL = map[string]string{
	"error.internal": "Er ging bij ons iets mis. We hebben het vastgelegd; probeer het nog eens.",
}

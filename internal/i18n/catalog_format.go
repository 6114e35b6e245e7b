package i18n

// Names and patterns used by the formatting helpers in format.go. Dutch writes
// weekday and month names in lower case.

var formatEN = map[string]string{
	"format.date":     "%[1]s %[2]d %[3]s", // weekday, day of month, month: "Monday 7 December"
	"format.datetime": "%[1]s at %[2]s",    // date, time: "Monday 7 December at 08:45"
	"format.percent":  "%[1]d%%",           // "73%"
	"format.range":    "%[1]s to %[2]s",    // two dates, both included

	"format.weekday.sunday":    "Sunday",
	"format.weekday.monday":    "Monday",
	"format.weekday.tuesday":   "Tuesday",
	"format.weekday.wednesday": "Wednesday",
	"format.weekday.thursday":  "Thursday",
	"format.weekday.friday":    "Friday",
	"format.weekday.saturday":  "Saturday",

	"format.month.january":   "January",
	"format.month.february":  "February",
	"format.month.march":     "March",
	"format.month.april":     "April",
	"format.month.may":       "May",
	"format.month.june":      "June",
	"format.month.july":      "July",
	"format.month.august":    "August",
	"format.month.september": "September",
	"format.month.october":   "October",
	"format.month.november":  "November",
	"format.month.december":  "December",
}

var formatNL = map[string]string{
	"format.date":     "%[1]s %[2]d %[3]s",
	"format.datetime": "%[1]s om %[2]s", // "maandag 7 december om 08:45"
	"format.percent":  "%[1]d%%",
	"format.range":    "%[1]s t/m %[2]s", // tot en met: both dates included

	"format.weekday.sunday":    "zondag",
	"format.weekday.monday":    "maandag",
	"format.weekday.tuesday":   "dinsdag",
	"format.weekday.wednesday": "woensdag",
	"format.weekday.thursday":  "donderdag",
	"format.weekday.friday":    "vrijdag",
	"format.weekday.saturday":  "zaterdag",

	"format.month.january":   "januari",
	"format.month.february":  "februari",
	"format.month.march":     "maart",
	"format.month.april":     "april",
	"format.month.may":       "mei",
	"format.month.june":      "juni",
	"format.month.july":      "juli",
	"format.month.august":    "augustus",
	"format.month.september": "september",
	"format.month.october":   "oktober",
	"format.month.november":  "november",
	"format.month.december":  "december",
}

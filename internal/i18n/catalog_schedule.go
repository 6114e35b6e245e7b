package i18n

// Texts of schedules: the errors of a <when> rule that could not be read (each
// says what was wrong and shows a rule that works), and of sending a prompt.
var scheduleEN = map[string]string{
	"schedule.prompt.already_sent": "That prompt was already sent, so it was not sent again.",
	"schedule.prompt.busy":         "That prompt is being sent right now. Give it a moment.",
	"schedule.when.empty":          "Say when the prompt should go, for example `weekdays 08:45`.",
	"schedule.when.too_long":       "That rule is too long (at most %[1]d characters). For example: `weekdays 08:45`.",
	"schedule.when.unknown": "I can't read `%[1]s` as a time rule. Use one of: `daily 08:45`, `weekdays 08:45`, " +
		"`mon,wed,fri 08:45`, `weekly fri 15:00`, `monthly first mon 09:00`, `monthly first workday 09:00`, `quarterly second mon 09:00` or `cron \"0 9 * * 1-5\"`.",
	"schedule.when.time": "`%[1]s` is not a time of day. Use 24-hour HH:MM, for example `weekdays 08:45`.",
	"schedule.when.day": "`%[1]s` is not a day. Use mon, tue, wed, thu, fri, sat or sun, " +
		"for example `mon,wed,fri 08:45` or `mon-thu 08:45`; in a monthly or quarterly rule also workday, as in `monthly first workday 09:00`.",
	"schedule.when.nth": "`%[1]s` is not a week of the month. Use first, second, third, fourth or last, " +
		"for example `monthly last fri 16:00` or `monthly first workday 09:00`.",
	"schedule.when.cron_fields": "A cron rule has exactly five fields: minute, hour, day of month, month and day of week. " +
		"For example `cron \"0 9 * * 1-5\"` sends at 09:00 on weekdays.",
	"schedule.when.cron_invalid": "`%[1]s` is not a valid cron rule. Check each of the five fields; " +
		"for example `cron \"0 9 * * 1-5\"` sends at 09:00 on weekdays.",
	"schedule.when.cron_tz": "A rule can't set a time zone: prompts always go in each director's own Slack time zone. " +
		"Leave out TZ= and CRON_TZ=, for example `cron \"0 9 * * 1-5\"`.",
	"schedule.when.cron_descriptor": "Shortcuts such as @daily and @every are not supported. " +
		"Write the five fields, for example `cron \"0 9 * * *\"`.",
	"schedule.when.cron_often": "A prompt goes at most once a day, so minute and hour must each be a single number. " +
		"For example `cron \"30 8 * * 1-5\"` sends at 08:30 on weekdays.",
	"schedule.when.cron_never": "`%[1]s` would send less than once a year (or never, like 30 February). " +
		"For example `cron \"0 9 1 * *\"` sends at 09:00 on the first of every month.",
}

var scheduleNL = map[string]string{
	"schedule.prompt.already_sent": "Dat seintje is al verstuurd, dus ik stuur het niet nog een keer.",
	"schedule.prompt.busy":         "Dat seintje wordt op dit moment verstuurd. Even geduld.",
	"schedule.when.empty":          "Zeg wanneer het seintje moet komen, bijvoorbeeld `weekdays 08:45`.",
	"schedule.when.too_long":       "Die regel is te lang (hooguit %[1]d tekens). Bijvoorbeeld: `weekdays 08:45`.",
	"schedule.when.unknown": "Ik kan `%[1]s` niet lezen als tijdregel. Gebruik een van: `daily 08:45`, `weekdays 08:45`, " +
		"`mon,wed,fri 08:45`, `weekly fri 15:00`, `monthly first mon 09:00`, `monthly first workday 09:00`, `quarterly second mon 09:00` of `cron \"0 9 * * 1-5\"`.",
	"schedule.when.time": "`%[1]s` is geen tijdstip. Gebruik 24-uurs UU:MM, bijvoorbeeld `weekdays 08:45`.",
	"schedule.when.day": "`%[1]s` is geen dag. Gebruik de Engelse afkortingen mon, tue, wed, thu, fri, sat of sun, " +
		"bijvoorbeeld `mon,wed,fri 08:45` of `mon-thu 08:45`; in een maand- of kwartaalregel ook workday (werkdag), zoals in `monthly first workday 09:00`.",
	"schedule.when.nth": "`%[1]s` is geen week van de maand. Gebruik first, second, third, fourth of last, " +
		"bijvoorbeeld `monthly last fri 16:00` of `monthly first workday 09:00`.",
	"schedule.when.cron_fields": "Een cron-regel heeft precies vijf velden: minuut, uur, dag van de maand, maand en dag van de week. " +
		"Zo stuurt `cron \"0 9 * * 1-5\"` op werkdagen om 09:00.",
	"schedule.when.cron_invalid": "`%[1]s` is geen geldige cron-regel. Controleer alle vijf de velden; " +
		"zo stuurt `cron \"0 9 * * 1-5\"` op werkdagen om 09:00.",
	"schedule.when.cron_tz": "Een regel kan geen tijdzone instellen: seintjes gaan altijd in de eigen Slack-tijdzone van elke directeur. " +
		"Laat TZ= en CRON_TZ= weg, bijvoorbeeld `cron \"0 9 * * 1-5\"`.",
	"schedule.when.cron_descriptor": "Afkortingen zoals @daily en @every worden niet ondersteund. " +
		"Schrijf de vijf velden uit, bijvoorbeeld `cron \"0 9 * * *\"`.",
	"schedule.when.cron_often": "Een seintje komt hooguit één keer per dag, dus minuut en uur moeten elk één getal zijn. " +
		"Zo stuurt `cron \"30 8 * * 1-5\"` op werkdagen om 08:30.",
	"schedule.when.cron_never": "`%[1]s` zou minder dan één keer per jaar sturen (of nooit, zoals 30 februari). " +
		"Zo stuurt `cron \"0 9 1 * *\"` op de eerste van elke maand om 09:00.",
}

package i18n

// The texts of what comes back to a director: the monthly path review
// prompt's blocks, a compliment said in person, a habit's last note on its
// next prompt, and the notes in the weekly digest.

var reviewEN = map[string]string{
	"path.prompt.ask":  "How did the handover go? One click opens the review with your answer chosen.",
	"path.prompt.more": "…and %[1]d more Lean leaders: their paths are on your Home tab.",

	"prompt.outcome.path":      "✅ Reviewed, recorded on %[1]s. Every path is on your Home tab.",
	"prompt.outcome.in_person": "✅ Done: you said it in person. Recorded on %[1]s.",
	"prompt.button.in_person":  "I said it in person",
	"svc.err.not_compliment":   "Only a compliment prompt can be recorded as said in person.",
	"prompt.last_note":         "📝 Last time you noted: %[1]s",

	"modal.in_person.title": "In person",
	"modal.in_person.note":  "What did you say? (only for you)",
	"modal.reflect.note":    "What do you take from it?",

	"digest.notes":         "What you noted",
	"digest.note.line":     "%[1]s · %[2]s: %[3]s",
	"digest.came_up":       "What your Lean leaders came up with",
	"digest.notes.private": "Your notes are only for you: no one else sees this digest.",
}

var reviewNL = map[string]string{
	"path.prompt.ask":  "Hoe ging de overdracht? Eén klik opent de evaluatie met je antwoord al gekozen.",
	"path.prompt.more": "…en nog %[1]d Leanleiders: hun pad staat op je tabblad Home.",

	"prompt.outcome.path":      "✅ Geëvalueerd, vastgelegd op %[1]s. Elk pad staat op je tabblad Home.",
	"prompt.outcome.in_person": "✅ Gedaan: je zei het persoonlijk. Vastgelegd op %[1]s.",
	"prompt.button.in_person":  "Ik zei het persoonlijk",
	"svc.err.not_compliment":   "Alleen het seintje voor een compliment kun je vastleggen als persoonlijk gezegd.",
	"prompt.last_note":         "📝 De vorige keer noteerde je: %[1]s",

	"modal.in_person.title": "Persoonlijk gezegd",
	"modal.in_person.note":  "Wat zei je? (alleen voor jou)",
	"modal.reflect.note":    "Wat neem je ervan mee?",

	"digest.notes":         "Wat je noteerde",
	"digest.note.line":     "%[1]s · %[2]s: %[3]s",
	"digest.came_up":       "Waar je Leanleiders zelf mee kwamen",
	"digest.notes.private": "Je notities zijn alleen voor jou: niemand anders ziet dit overzicht.",
}

package i18n

// Habit texts, keyed by coach.Habit's NameKey, PromptKey, ReasonKey and
// ShortKey: "habit.<key>.name" (a short name), ".prompt" (what to do, sent as
// the prompt's first line to a busy director), ".reason" (one line on why it
// matters for the Lean leader) and ".short" (one line for /coach habits).
// The prompts are written for each habit's default cadence (see
// coach.Habit.DefaultWhen): "today" for frequent habits, "this week" or "this
// month" for the rarer ones.

var habitsEN = map[string]string{
	"habit.standup.name":   "Join the stand-up",
	"habit.standup.prompt": "Join your Lean leader's stand-up today. Watch how they work with the group, and give them one concrete piece of feedback afterwards.",
	"habit.standup.reason": "Your Lean leader watches how you show up, and feedback right after the stand-up is what helps them grow into leading on their own.",
	"habit.standup.short":  "Join the daily stand-up, watch the Lean leader with the group, and give feedback afterwards.",

	"habit.compliment.name":   "Give a compliment",
	"habit.compliment.prompt": "Name one thing your Lean leader did well lately and say it in public. A few concrete words in the kudos channel are enough.",
	"habit.compliment.reason": "Public praise shows the whole team which behaviour you value, and it builds the trust that delegating rests on.",
	"habit.compliment.short":  "Compliment the Lean leader, preferably in public.",

	"habit.question.name":   "Ask a coaching question",
	"habit.question.prompt": "Ask your Lean leader this question today and leave room for their own answer. Hold back your solution, even if you have one.",
	"habit.question.reason": "A good question helps them solve problems themselves, and they learn to ask their own people better questions in turn.",
	"habit.question.short":  "Ask the Lean leader a question from the library that helps them solve problems themselves.",

	"habit.path.name":   "Review the path",
	"habit.path.prompt": "Take a moment with each Lean leader to review your path toward delegating leadership: what was handed over, what comes next, and which style they need from you now.",
	"habit.path.reason": "You plot the path together and hand over step by step; a monthly review keeps the next responsibility concrete and shows your Lean leader you mean it.",
	"habit.path.short":  "Review the delegation path with each Lean leader every month: what was handed over, the next step, the style they need.",

	"habit.gemba.name":   "Go to the Gemba",
	"habit.gemba.prompt": "Spend some time on the Gemba today. See for yourself what goes well and what could be better, before anyone reports it to you.",
	"habit.gemba.reason": "You can only ask your Lean leader sharp questions when you know what is really happening in the teams.",
	"habit.gemba.short":  "Be on the Gemba regularly: see what goes well and what could be better.",

	"habit.feedback.name":   "Make feedback normal",
	"habit.feedback.prompt": "Give one piece of feedback in a group setting this week, and ask for one back. Show that it is simply part of the work.",
	"habit.feedback.reason": "When giving and receiving feedback is ordinary, the team improves itself, and your example sets that norm.",
	"habit.feedback.short":  "Foster a culture where giving and receiving feedback in the group is normal.",

	"habit.conversation.name":   "Have the open conversation",
	"habit.conversation.prompt": "Sit down face to face with your Lean leader this week for an open, honest conversation. Go see, ask why, show respect.",
	"habit.conversation.reason": "Honest talk with respect is how the two of you plot the path toward delegating leadership together.",
	"habit.conversation.short":  "Hold an open, respectful face-to-face conversation with the Lean leader.",

	"habit.spotlight.name":   "Put them in the spotlight",
	"habit.spotlight.prompt": "Find a moment this month where your Lean leader presents instead of you, even if it is only part of the story.",
	"habit.spotlight.reason": "When you step back so they can step forward, the organisation sees who carries the responsibility.",
	"habit.spotlight.short":  "Put the Lean leader in the foreground, e.g. let them give (part of) a presentation.",

	"habit.helpquestion.name":   "Ask for their help",
	"habit.helpquestion.prompt": "Ask your Lean leader for help in front of the team this week, on something they know more about than you do.",
	"habit.helpquestion.reason": "Asking for help in public plays to your Lean leader's strengths and shows the team whom to turn to.",
	"habit.helpquestion.short":  "Ask the Lean leader for help in front of the team.",

	"habit.cowork.name":   "Work on a project together",
	"habit.cowork.prompt": "Pick up a piece of project work together with your Lean leader this month. Explain why you do or skip things, and watch them in action.",
	"habit.cowork.reason": "Working side by side passes on your reasoning, not just your decisions, and gives you real moments to offer tips.",
	"habit.cowork.short":  "Work on a project together: explain your choices, watch the Lean leader at work, give tips.",

	"habit.weekreview.name":   "Join the weekly review",
	"habit.weekreview.prompt": "Join the weekly review today. Notice how your Lean leader runs it, and share what you saw one on one afterwards.",
	"habit.weekreview.reason": "Private feedback on a moment you saw yourself helps your Lean leader grow without losing face in front of the team.",
	"habit.weekreview.short":  "Join the weekly review, observe, and give feedback afterwards.",

	"habit.output.name":   "Manage by outcomes",
	"habit.output.prompt": "Review this month's results with your Lean leader against the strategic goals, then leave the how to them.",
	"habit.output.reason": "Managing by outcomes rather than tasks is what trust looks like, and it makes room for delegating leadership.",
	"habit.output.short":  "Manage by outcomes derived from the strategic goals, and give trust.",

	"habit.learning.name":   "Encourage learning",
	"habit.learning.prompt": "Talk with your Lean leader about a training, course or book for the coming quarter, and tell them what helped you most.",
	"habit.learning.reason": "Investing in their growth says you see a future for them, and your own story makes the advice real.",
	"habit.learning.short":  "Encourage training and advise what helped you.",

	"habit.reflect.name":   "Find a frame of reference",
	"habit.reflect.prompt": "Take fifteen minutes to compare how you lead your Lean leader with an outside reference: a fellow director, a coach or a model you trust. What will you take from it?",
	"habit.reflect.reason": "Your Lean leader mirrors the way you lead; a view from outside shows what you no longer see in your own example.",
	"habit.reflect.short":  "Compare how you lead your Lean leader with an outside reference: a fellow director, a coach or a model.",
}

var habitsNL = map[string]string{
	"habit.standup.name":   "Aansluiten bij de dagstart",
	"habit.standup.prompt": "Sluit vandaag aan bij de dagstart van je Leanleider. Kijk hoe je Leanleider met de groep omgaat en geef na afloop één concreet feedbackpunt.",
	"habit.standup.reason": "Je Leanleider kijkt hoe jij je opstelt, en feedback vlak na de dagstart helpt om door te groeien naar zelfstandig leidinggeven.",
	"habit.standup.short":  "Sluit aan bij de dagstart, kijk hoe de Leanleider met de groep omgaat en geef achteraf feedback.",

	"habit.compliment.name":   "Een compliment geven",
	"habit.compliment.prompt": "Noem één ding dat je Leanleider de laatste tijd goed deed en zeg het in het openbaar. Een paar concrete woorden in het kudos-kanaal zijn genoeg.",
	"habit.compliment.reason": "Waardering in het openbaar laat het hele team zien welk gedrag je belangrijk vindt, en bouwt aan het vertrouwen waarop delegeren rust.",
	"habit.compliment.short":  "Geef de Leanleider een compliment, het liefst in het openbaar.",

	"habit.question.name":   "Een coachende vraag stellen",
	"habit.question.prompt": "Stel je Leanleider vandaag deze vraag en laat ruimte voor een eigen antwoord. Houd je oplossing voor je, ook als je er een hebt.",
	"habit.question.reason": "Een goede vraag versterkt het zelf oplossend vermogen, en zo leert je Leanleider ook de eigen mensen betere vragen te stellen.",
	"habit.question.short":  "Stel de Leanleider een vraag uit de bibliotheek die het zelf oplossend vermogen versterkt.",

	"habit.path.name":   "Het pad bespreken",
	"habit.path.prompt": "Neem deze maand met elke Leanleider het pad naar delegerend leiderschap door: wat is overgedragen, wat is de volgende stap, en welke stijl heeft je Leanleider nu van je nodig?",
	"habit.path.reason": "Jullie stippelen het pad samen uit en dragen stap voor stap over; een maandelijkse bespreking houdt de volgende verantwoordelijkheid concreet en laat zien dat je het meent.",
	"habit.path.short":  "Bespreek elke maand met elke Leanleider het pad: wat is overgedragen, de volgende stap, de stijl die nodig is.",

	"habit.gemba.name":   "De Gemba op",
	"habit.gemba.prompt": "Loop vandaag even de Gemba op. Kijk met eigen ogen wat goed gaat en wat beter kan, voordat iemand het je komt vertellen.",
	"habit.gemba.reason": "Alleen als je weet wat er echt speelt in de teams, kun je je Leanleider gerichte vragen stellen.",
	"habit.gemba.short":  "Loop regelmatig de Gemba op: kijk wat goed gaat en wat beter kan.",

	"habit.feedback.name":   "Feedback vanzelfsprekend maken",
	"habit.feedback.prompt": "Geef deze week in de groep één feedbackpunt en vraag er zelf ook één terug. Laat zien dat het gewoon bij het werk hoort.",
	"habit.feedback.reason": "Als feedback geven en krijgen vanzelfsprekend is, verbetert het team zichzelf, en met jouw voorbeeld zet je de toon.",
	"habit.feedback.short":  "Bouw aan een cultuur waarin feedback geven en krijgen in de groep normaal is.",

	"habit.conversation.name":   "Het open gesprek aangaan",
	"habit.conversation.prompt": "Ga deze week onder vier ogen het open gesprek aan met je Leanleider, eerlijk en met respect. Go see, ask why, show respect.",
	"habit.conversation.reason": "In een eerlijk gesprek met respect stippelen jullie samen het pad naar delegerend leiderschap uit.",
	"habit.conversation.short":  "Voer een open, respectvol gesprek onder vier ogen met de Leanleider.",

	"habit.spotlight.name":   "Op de voorgrond zetten",
	"habit.spotlight.prompt": "Zoek deze maand een moment waarop niet jij maar je Leanleider presenteert, al is het maar een deel van het verhaal.",
	"habit.spotlight.reason": "Als jij een stap terug doet zodat je Leanleider naar voren kan, ziet de organisatie wie de verantwoordelijkheid draagt.",
	"habit.spotlight.short":  "Zet de Leanleider op de voorgrond, bijvoorbeeld met een (deel)presentatie.",

	"habit.helpquestion.name":   "Om hulp vragen",
	"habit.helpquestion.prompt": "Vraag je Leanleider deze week in het bijzijn van het team om hulp bij iets waar die meer verstand van heeft.",
	"habit.helpquestion.reason": "In het bijzijn van het team om hulp vragen zet je Leanleider in zijn of haar kracht en laat zien bij wie het team terechtkan.",
	"habit.helpquestion.short":  "Vraag de Leanleider om hulp in het bijzijn van het team.",

	"habit.cowork.name":   "Samen aan een project werken",
	"habit.cowork.prompt": "Pak deze maand samen met je Leanleider een stuk projectwerk op. Leg uit waarom je iets wel of juist niet doet, en kijk hoe je Leanleider het aanpakt.",
	"habit.cowork.reason": "Zij aan zij werken geeft je manier van denken door, niet alleen je besluiten, en levert echte momenten op om tips te geven.",
	"habit.cowork.short":  "Werk samen aan een project: leg je keuzes uit, kijk hoe de Leanleider het aanpakt en geef tips.",

	"habit.weekreview.name":   "Aansluiten bij de weekreview",
	"habit.weekreview.prompt": "Schuif vandaag aan bij de weekreview. Let op hoe je Leanleider die leidt, en deel na afloop onder vier ogen wat je opviel.",
	"habit.weekreview.reason": "Feedback onder vier ogen over een moment dat je zelf zag, helpt je Leanleider groeien zonder gezichtsverlies voor het team.",
	"habit.weekreview.short":  "Sluit aan bij de weekreview, kijk mee en geef achteraf feedback.",

	"habit.output.name":   "Sturen op output",
	"habit.output.prompt": "Bespreek deze maand met je Leanleider de resultaten, afgezet tegen de strategische doelen, en laat de aanpak daarna aan je Leanleider over.",
	"habit.output.reason": "Sturen op resultaat in plaats van op taken: zo ziet vertrouwen eruit, en het maakt ruimte voor delegerend leiderschap.",
	"habit.output.short":  "Stuur op output vanuit de strategische doelen en geef vertrouwen.",

	"habit.learning.name":   "Leren stimuleren",
	"habit.learning.prompt": "Praat met je Leanleider over een training, opleiding of boek voor het komende kwartaal, en vertel wat jou zelf het meest heeft geholpen.",
	"habit.learning.reason": "Investeren in groei laat zien dat je toekomst ziet in je Leanleider, en je eigen verhaal maakt het advies echt.",
	"habit.learning.short":  "Stimuleer opleidingen en adviseer wat jou heeft geholpen.",

	"habit.reflect.name":   "Een referentiekader zoeken",
	"habit.reflect.prompt": "Neem een kwartier om te vergelijken hoe jij je Leanleider leidt met een referentie van buiten: een collega-directeur, een coach of een model dat je vertrouwt. Wat neem je ervan mee?",
	"habit.reflect.reason": "Je Leanleider spiegelt zich aan jouw manier van leidinggeven; een blik van buiten laat zien wat je in je eigen voorbeeld niet meer ziet.",
	"habit.reflect.short":  "Zoek een referentiekader: vergelijk hoe jij je Leanleider leidt met een collega-directeur, een coach of een model.",
}

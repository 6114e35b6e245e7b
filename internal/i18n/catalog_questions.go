package i18n

// The question library: open questions a director asks a Lean leader, so
// that the leader (and, through the leader, the team) solves problems
// themselves. Keys are "question.<id>" for the IDs of coach.Questions, its
// follow-ups (coach.FollowUps) and its retired questions
// (coach.RetiredQuestions, kept so that a prompt sent before still shows its
// question), and "question.theme.<theme>" for the theme names. An ID is
// stable forever: the question history stores it, so a question is reworded
// under its ID only when its meaning stays.
//
// Every question stands on its own in a message that arrives cold: nothing
// it refers to is left out, it holds no premise the leader has to swallow
// first, it puts no label on people, and it asks for no rating. Within a
// theme the questions run in the order of Toyota Kata's coaching questions:
// the target, where you are now, what is in the way now, the next step, what
// you learned.

var questionsEN = map[string]string{
	"question.theme.pdca":     "PDCA",
	"question.theme.styles":   "Leadership styles",
	"question.theme.phases":   "Development phases",
	"question.theme.customer": "Customer value",
	"question.theme.gemba":    "The Gemba",

	// PDCA
	"question.q-pdca-11": "Which result do you want your current improvement to reach, and by when?",
	"question.q-pdca-12": "Which problem would you most like your team to have solved by the end of the quarter?",
	"question.q-pdca-01": "Which improvement are you working on right now, and where in plan, do, check, act is it?",
	"question.q-pdca-13": "What does your team measure about its own work today, and what does that show?",
	"question.q-pdca-07": "How do you help your team describe the problem before they pick a solution?",
	"question.q-pdca-14": "Which obstacles stand between your team and its next target, and which one are you tackling now?",
	"question.q-pdca-03": "How will you know next week whether the change you are trying now works?",
	"question.q-pdca-04": "What is the smallest experiment you could try tomorrow?",
	"question.q-pdca-15": "When shall we go and see together what your next step has taught you?",
	"question.q-pdca-02": "With your last improvement, what did you expect to happen, and what actually happened?",
	"question.q-pdca-06": "What did you learn from the last improvement that did not work out as planned?",
	"question.q-pdca-08": "Which improvement deserves to become the new standard, and who will make that happen?",

	// Leadership styles
	"question.q-style-04": "Who are you coaching at the moment, and what do you hope they will discover themselves?",
	"question.q-style-10": "What could you hand over completely to your team this month?",
	"question.q-style-15": "What would you like your team to decide without you a year from now?",
	"question.q-style-01": "Who in your team needs you to be directing right now, and why?",
	"question.q-style-09": "How do you make sure your team has the time and the means to improve?",
	"question.q-style-14": "Which of the four styles (directing, coaching, facilitating, delegating) do you use most these days?",
	"question.q-style-02": "Where are you still directing out of habit, while the team could already do it themselves?",
	"question.q-style-05": "How do you hold back your own answer when you are coaching someone?",
	"question.q-style-07": "Which task does your team still need you for, and what would they need to do it without you?",
	"question.q-style-11": "What needs to be in place before your team can choose its own route on something you still decide yourself?",
	"question.q-style-08": "Which obstacle could you remove for your team this week?",
	"question.q-style-16": "Which decision will you leave to your team this week that you would normally take yourself?",
	"question.q-style-03": "When did you last give clear direction, and how did you explain the why?",
	"question.q-style-12": "Which style do you fall back on under pressure, and what does that do to the team?",
	"question.q-style-13": "When did you last choose a different style on purpose, and what happened?",

	// Development phases
	"question.q-phase-05": "Who is ready for a next development step, and what would that step be?",
	"question.q-phase-06": "What are you developing in yourself this year, and does your team know?",
	"question.q-phase-09": "What would you like to see your team learn over the coming year?",
	"question.q-phase-02": "How do you react when someone admits a mistake?",
	"question.q-phase-04": "How do you help someone see their own strengths and blind spots?",
	"question.q-phase-10": "When something went wrong in your team lately, how did people talk about it?",
	"question.q-phase-11": "What makes it easy or hard in your team to say “I don't know”?",
	"question.q-phase-12": "When you let someone learn by doing, what do you find hardest?",
	"question.q-phase-07": "Who in your team could pass on what they have learned to others?",
	"question.q-phase-13": "Who could you give a task this month that stretches them a little, and how will you support them?",
	"question.q-phase-14": "What have you learned in the past month about how you help people develop?",
	"question.q-phase-15": "Which of your own lessons did you pass on to your team lately, and how did it land?",

	// Customer value
	"question.q-customer-01": "Whom does your team's work serve, and what does that customer really value?",
	"question.q-customer-09": "How do you connect your team's goals to what the customer needs?",
	"question.q-customer-03": "When did your team last hear a customer's voice directly?",
	"question.q-customer-05": "How does your team know whether today's work made a difference for the customer?",
	"question.q-customer-08": "If a customer watched your team for a day, what would surprise them?",
	"question.q-customer-02": "Which step in your process adds nothing the customer would pay for, and who will make sure it goes?",
	"question.q-customer-06": "Where is the customer waiting for us, and why?",
	"question.q-customer-07": "Which internal rule gets in the way of doing the best for the customer?",
	"question.q-customer-11": "What could your team change next week that a customer would notice?",
	"question.q-customer-12": "Which customer could your team ask for feedback this month, and who will ask?",
	"question.q-customer-04": "Which complaint or compliment from a customer taught you the most lately?",
	"question.q-customer-13": "What have you learned about your customers in the past month that you did not know before?",

	// The Gemba
	"question.q-gemba-11": "What would you like to see on the Gemba in three months that you don't see today?",
	"question.q-gemba-12": "Which standard on the Gemba would you most like your team to own?",
	"question.q-gemba-02": "Which questions do you ask your people when you walk the Gemba?",
	"question.q-gemba-03": "What is going well in your team right now, and how do you know?",
	"question.q-gemba-05": "Which part of your team's work can anyone see at a glance, and which part is hidden?",
	"question.q-gemba-07": "When someone brings you a problem, who leaves with the next action?",
	"question.q-gemba-10": "How do you show respect for the people doing the work when you visit them?",
	"question.q-gemba-04": "Where on the Gemba is the gap between the standard and daily practice the biggest?",
	"question.q-gemba-08": "Which problem did you keep asking “why” about today, and how far did you get?",
	"question.q-gemba-09": "Which signal from the Gemba do you wish reached you sooner?",
	"question.q-gemba-13": "Which part of the Gemba will you go and see this week, and what do you want to learn there?",
	"question.q-gemba-14": "Who in your team could join you on the Gemba next time, and what would you look at together?",
	"question.q-gemba-01": "What did you see on the Gemba today that surprised you?",
	"question.q-gemba-06": "Which problem did your team solve without you this week?",

	// Follow-ups: the prompt shows what the Lean leader came up with last
	// time above them.
	"question.q-pdca-followup":     "How far did you get with your idea from last time, and what did it teach you?",
	"question.q-style-followup":    "How have you led differently since your idea from last time, and how did the team respond?",
	"question.q-phase-followup":    "What did your idea from last time change for your people, and what do you see now?",
	"question.q-customer-followup": "What has the customer noticed so far of your idea from last time?",
	"question.q-gemba-followup":    "Where on the Gemba can you see your idea from last time at work, and what does that tell you?",

	// Retired: no longer drawn, kept for prompts sent before.
	"question.q-pdca-05":     "Which check did your team skip lately, and what did that cost?",
	"question.q-pdca-09":     "When your team gets stuck on a problem, which question do you ask them first?",
	"question.q-pdca-10":     "Where do you see the team act on a gut feeling instead of a measurement?",
	"question.q-style-06":    "Which of your questions helped one of your people most this week?",
	"question.q-phase-01":    "Who in your team is still learning to accept themselves as they are, and how do you support that?",
	"question.q-phase-03":    "Which of your people recently gained a new insight into themselves?",
	"question.q-phase-08":    "Which development phase is each of your people in, and what does that ask of you?",
	"question.q-customer-10": "Which waste do you see most often, and who makes sure it goes?",
}

var questionsNL = map[string]string{
	"question.theme.pdca":     "PDCA",
	"question.theme.styles":   "Leiderschapsstijlen",
	"question.theme.phases":   "Ontwikkelfasen",
	"question.theme.customer": "Klantwaarde",
	"question.theme.gemba":    "De Gemba",

	// PDCA
	"question.q-pdca-11": "Welk resultaat wil je met je huidige verbetering bereiken, en wanneer?",
	"question.q-pdca-12": "Welk probleem wil je het liefst dat je team aan het eind van het kwartaal heeft opgelost?",
	"question.q-pdca-01": "Aan welke verbetering werk je nu, en waar in plan, do, check, act zit die?",
	"question.q-pdca-13": "Wat meet je team op dit moment aan het eigen werk, en wat laat dat zien?",
	"question.q-pdca-07": "Hoe help je je team het probleem te beschrijven voordat ze meteen een oplossing kiezen?",
	"question.q-pdca-14": "Welke obstakels staan tussen je team en het volgende doel, en welk daarvan pak je nu aan?",
	"question.q-pdca-03": "Hoe weet je volgende week of de verandering die je nu uitprobeert, werkt?",
	"question.q-pdca-04": "Wat is het kleinste experiment dat je morgen kunt proberen?",
	"question.q-pdca-15": "Wanneer gaan we samen kijken wat je volgende stap je heeft geleerd?",
	"question.q-pdca-02": "Wat verwachtte je bij je laatste verbetering dat er zou gebeuren, en wat gebeurde er echt?",
	"question.q-pdca-06": "Wat heb je geleerd van de laatste verbetering die niet goed uitpakte?",
	"question.q-pdca-08": "Welke verbetering verdient het om de nieuwe standaard te worden, en wie zorgt daarvoor?",

	// Leiderschapsstijlen
	"question.q-style-04": "Wie coach je op dit moment, en wat hoop je dat diegene zelf ontdekt?",
	"question.q-style-10": "Wat kun je deze maand helemaal aan je team overdragen?",
	"question.q-style-15": "Wat wil je dat je team over een jaar zonder jou beslist?",
	"question.q-style-01": "Wie in je team heeft nu sturing van je nodig, en waarom?",
	"question.q-style-09": "Hoe zorg je dat je team de tijd en de middelen heeft om te verbeteren?",
	"question.q-style-14": "Welke van de vier stijlen (sturen, coachen, faciliteren, delegeren) gebruik je de laatste tijd het meest?",
	"question.q-style-02": "Waar stuur je nog uit gewoonte, terwijl het team het al zelf kan?",
	"question.q-style-05": "Hoe houd je je eigen antwoord in als je iemand coacht?",
	"question.q-style-07": "Voor welke taak heeft je team jou nog nodig, en wat hebben ze nodig om die zonder jou te doen?",
	"question.q-style-11": "Wat moet er geregeld zijn voordat je team zelf de route kiest bij iets waarover jij nu nog beslist?",
	"question.q-style-08": "Welk obstakel kun je deze week voor je team wegnemen?",
	"question.q-style-16": "Welk besluit laat je deze week aan je team dat je normaal zelf zou nemen?",
	"question.q-style-03": "Wanneer gaf je voor het laatst duidelijk richting, en hoe legde je het waarom uit?",
	"question.q-style-12": "Op welke stijl val je terug onder druk, en wat doet dat met het team?",
	"question.q-style-13": "Wanneer koos je voor het laatst bewust een andere stijl, en wat gebeurde er?",

	// Ontwikkelfasen
	"question.q-phase-05": "Wie is klaar voor een volgende ontwikkelstap, en wat zou die stap zijn?",
	"question.q-phase-06": "Wat ontwikkel je dit jaar in jezelf, en weet je team dat?",
	"question.q-phase-09": "Wat wil je je team het komende jaar zien leren?",
	"question.q-phase-02": "Hoe reageer je als iemand een fout toegeeft?",
	"question.q-phase-04": "Hoe help je iemand de eigen sterke kanten en blinde vlekken te zien?",
	"question.q-phase-10": "Toen er onlangs iets misging in je team, hoe werd daarover gepraat?",
	"question.q-phase-11": "Wat maakt het in je team makkelijk of moeilijk om “ik weet het niet” te zeggen?",
	"question.q-phase-12": "Als je iemand laat leren door te doen, wat vind je dan het lastigst?",
	"question.q-phase-07": "Wie in je team zou wat die heeft geleerd aan anderen kunnen doorgeven?",
	"question.q-phase-13": "Wie kun je deze maand een taak geven die net wat meer vraagt dan die gewend is, en hoe steun je diegene daarbij?",
	"question.q-phase-14": "Wat heb je de afgelopen maand geleerd over hoe jij mensen helpt zich te ontwikkelen?",
	"question.q-phase-15": "Welke eigen les heb je onlangs aan je team doorgegeven, en hoe kwam die aan?",

	// Klantwaarde
	"question.q-customer-01": "Voor wie doet je team het werk, en wat vindt die klant echt waardevol?",
	"question.q-customer-09": "Hoe verbind je de doelen van je team met wat de klant nodig heeft?",
	"question.q-customer-03": "Wanneer hoorde je team voor het laatst rechtstreeks de stem van een klant?",
	"question.q-customer-05": "Hoe weet je team of het werk van vandaag verschil maakte voor de klant?",
	"question.q-customer-08": "Als een klant een dag met je team meekeek, wat zou die verbazen?",
	"question.q-customer-02": "Welke stap in je proces voegt niets toe waarvoor de klant zou betalen, en wie zorgt dat die verdwijnt?",
	"question.q-customer-06": "Waar wacht de klant op ons, en waarom?",
	"question.q-customer-07": "Welke interne regel staat in de weg om het beste te doen voor de klant?",
	"question.q-customer-11": "Wat kan je team volgende week veranderen dat een klant zou merken?",
	"question.q-customer-12": "Welke klant kan je team deze maand om feedback vragen, en wie doet dat?",
	"question.q-customer-04": "Welke klacht of welk compliment van een klant heeft je de laatste tijd het meest geleerd?",
	"question.q-customer-13": "Wat heb je de afgelopen maand over je klanten geleerd dat je nog niet wist?",

	// De Gemba
	"question.q-gemba-11": "Wat wil je over drie maanden op de werkvloer zien dat je nu nog niet ziet?",
	"question.q-gemba-12": "Welke standaard op de werkvloer leg je het liefst in handen van je team?",
	"question.q-gemba-02": "Welke vragen stel je je mensen als je over de werkvloer loopt?",
	"question.q-gemba-03": "Wat gaat er nu goed in je team, en hoe weet je dat?",
	"question.q-gemba-05": "Welk deel van het werk van je team kan iedereen in één oogopslag zien, en welk deel blijft verborgen?",
	"question.q-gemba-07": "Als iemand met een probleem bij je komt, wie gaat er dan weg met de volgende actie?",
	"question.q-gemba-10": "Hoe laat je respect zien voor de mensen die het werk doen als je bij ze langsgaat?",
	"question.q-gemba-04": "Waar op de werkvloer is het verschil tussen de standaard en de dagelijkse praktijk het grootst?",
	"question.q-gemba-08": "Bij welk probleem bleef je vandaag doorvragen naar het waarom, en hoe ver kwam je?",
	"question.q-gemba-09": "Welk signaal van de werkvloer zou je eerder willen horen?",
	"question.q-gemba-13": "Welk deel van de werkvloer ga je deze week zelf bekijken, en wat wil je daar leren?",
	"question.q-gemba-14": "Wie uit je team neem je de volgende keer mee de werkvloer op, en waar kijken jullie samen naar?",
	"question.q-gemba-01": "Wat zag je vandaag op de werkvloer dat je verraste?",
	"question.q-gemba-06": "Welk probleem heeft je team deze week zonder jou opgelost?",

	// Vervolgvragen: het seintje toont erboven waar de Leanleider de vorige
	// keer zelf mee kwam.
	"question.q-pdca-followup":     "Hoe ver ben je gekomen met je idee van de vorige keer, en wat heeft het je geleerd?",
	"question.q-style-followup":    "Hoe heb je sinds je idee van de vorige keer anders leidinggegeven, en hoe reageerde het team?",
	"question.q-phase-followup":    "Wat heeft je idee van de vorige keer veranderd voor je mensen, en wat zie je nu?",
	"question.q-customer-followup": "Wat heeft de klant tot nu toe gemerkt van je idee van de vorige keer?",
	"question.q-gemba-followup":    "Waar op de werkvloer zie je je idee van de vorige keer terug, en wat zegt dat je?",

	// Niet meer in gebruik, bewaard voor seintjes van eerder.
	"question.q-pdca-05":     "Welke check heeft je team de laatste tijd overgeslagen, en wat heeft dat gekost?",
	"question.q-pdca-09":     "Als je team vastloopt op een probleem, welke vraag stel je dan als eerste?",
	"question.q-pdca-10":     "Waar zie je het team handelen op gevoel in plaats van op een meting?",
	"question.q-style-06":    "Welke vraag van jou heeft een van je mensen deze week het meest geholpen?",
	"question.q-phase-01":    "Wie in je team leert nog zichzelf te accepteren zoals die is, en hoe steun je dat?",
	"question.q-phase-03":    "Wie van je mensen kreeg onlangs een nieuw inzicht in zichzelf?",
	"question.q-phase-08":    "In welke ontwikkelfase zit ieder van je mensen, en wat vraagt dat van jou?",
	"question.q-customer-10": "Welke verspilling zie je het vaakst, en wie zorgt dat die verdwijnt?",
}

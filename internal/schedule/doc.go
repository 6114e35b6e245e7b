// Package schedule sends every scheduled prompt on time, in each director's
// own time zone, exactly once: recurrence rules (when.go), parsed once per
// text and shared with the domain as coach.Rule (rules.go), wall-clock
// resolution across daylight-saving changes (wall.go), the durable due-loop
// (loop.go), the weekly prompt budget (budget.go), snooze reminders
// (remind.go) and the two-phase send (deliver.go). robfig/cron serves only
// as a parser of validated cron specs.
//
// # Policies
//
//   - Zone: a rule is read in the director's own zone (Deps.Zones), and the
//     occurrence key holds the local date there, so a prompt goes at most once
//     per schedule, director and local date whatever clocks, restarts or
//     zone changes do.
//   - Daylight saving: a time that does not exist that day (spring forward)
//     goes at the first instant after the gap; a time that occurs twice (fall
//     back) goes once, at its first occurrence.
//   - Downtime: a prompt found due at most Deps.CatchUp (3 h) late goes late;
//     an older one is recorded Missed (with a log line and a metric) and never
//     sent. Record and advance share one transaction.
//   - Leave and pauses: a prompt due while the director is on leave, or its
//     schedule is paused, is skipped without a record: it neither counts nor
//     breaks a streak.
//   - New and changed plans: a new schedule, or a new director of a "to all"
//     schedule, is planned from now (no prompt for a time already passed). An
//     edited rule (or a changed zone) is planned from now too, except that an
//     edit made before today's prompt went never loses it: if today's new time
//     has already passed, today's prompt goes at once. Either way it goes only
//     once, because today's key is the same.
//   - Weekly budget (Deps.Budget, coach.Budget): a prompt that would take
//     the director's week over the budget, the core three and the path
//     first, is recorded Deferred, not sent, and weighed again a week later
//     at the same local time; it goes then, waits another week, or is
//     superseded by a later prompt of its habit (budget.go). It is never
//     recorded missed.
//   - Expiry: when a habit's prompt is sent, the director's earlier prompts
//     of that habit still open become Expired.
//   - Snooze: a prompt answered Snoozed comes back at SnoozeUntil as a new
//     message in the DM (ref key#rN) pointing at the same occurrence, once
//     per snooze; one that fell due more than CatchUp ago is skipped.
//   - Exactly once: an occurrence is recorded Sending before it is posted
//     (a store error fails closed: nothing is posted), posted with its key in
//     the message metadata, then marked Sent. A Sending record that no
//     goroutine of this process is sending (bbolt's file lock keeps other
//     processes out) came from a crash or an unclear outcome: Slack's history
//     is searched for its key before anything is posted again. A plan advances
//     only after its occurrence is settled, so a crash at any point replays
//     the pass and the key makes the replay harmless.
package schedule

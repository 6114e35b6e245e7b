// Package campaign proves leancoach's promises (product.md "Promises") under
// faults, bad input and load, following reliability.md section 7.
//
// Every fault test records a History (what the local Slack saw and what the
// database holds after the bot stopped) and checks it with one oracle
// (Check): I1 no lost prompt, I2 no duplicate prompt, I3 every acked
// interaction recorded exactly once with streaks equal to an independent
// reference model, I4 no panic, I5 goroutines and file descriptors back to
// their baseline, I6 no token or user canary text in any log.
//
// The bot under test is the production binary (cmd/bot, built once per test
// run and started as a child process), so SIGTERM and SIGKILL are real. Where
// a scenario needs another date (a DST night, downtime over a due time), the
// same binary is built with -tags campaign, which lets LEANCOACH_CAMPAIGN_CLOCK
// shift its clock; the production build has no such knob. Where the clock
// must jump while the bot runs (wall-clock steps, a paused process) or a test
// needs a direct look at goroutines, the bot runs in process, started by
// the one assembly (internal/bot) that cmd/bot starts (StartInProc).
package campaign

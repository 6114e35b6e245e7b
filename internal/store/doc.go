// Package store keeps leancoach's state in one bbolt file and implements
// every persistence port of internal/coach (coach.Store).
//
// # Key layout
//
// All values are JSON-encoded store-private records (never the coach types
// themselves, so renaming a domain field cannot silently break old files);
// every record carries "v", its record version. Keys are UTF-8 text so that
// `bbolt keys`/`bbolt get` show them readably, and every key that is scanned
// in order is built to sort correctly as bytes. "|" separates key parts; it
// never occurs in Slack IDs, habit keys or schedule IDs. Times in keys use
// the fixed-width UTC layout 2006-01-02T15:04:05.000000000Z (see timeKey), so
// byte order is time order (RFC3339Nano trims zeros and would not sort).
//
//	bucket        key                                   value
//	meta          "schema"                              decimal schema version ("3")
//	meta          "notes_pruned"                        prunePending: counts of a note
//	                                                    pruning not yet compacted and
//	                                                    audited (retention.go)
//	directors     <director>                            directorRec
//	users         <user>                                userRec (prefs, a Lean leader's check-ins
//	                                                    off, the cached Slack profile)
//	admins        <user>                                adminRec (who added them, when)
//	settings      <setting key>                         settingRec
//	schedules     <schedule id>                         scheduleRec; the bucket's sequence
//	                                                    numbers new IDs "s1", "s2"… and the
//	                                                    record's Seq gives creation order
//	occurrences   <occurrence key>                      occRec (prompt, send state, answer)
//	occ_by_due    <director>|<habit>|<due>|<occ key>    <occ key> (index for History)
//	kudos         <leader>|<at>|<kudos id>              kudosRec; the bucket's sequence
//	                                                    numbers IDs "k1", "k2"… when empty
//	questions     <director>|<seq, 20 digits>           questionRec (question shown, when);
//	                                                    seq is the bucket's sequence
//	audit         <at>|<seq, 20 digits>                 auditRec; seq is the bucket's sequence
//	due           owned by internal/schedule (store/due.go); created here so that it
//	              exists from the first Open. Forget deletes every entry whose key
//	              or value names the user's ID as a whole token (see forget.go).
//	paths         <director>|<leader>                   pathRec (path.go): the pair's delegation
//	              path, with its reviews and the responsibilities handed over;
//	              added in schema 2. The Lean leader's own records about a pair
//	              (comments, check-ins) are in buckets of their own keyed
//	              <director>|<leader>|…, not in pathRec: the leader's export and
//	              forget reach them without touching the director's record.
//	checkins      <director>|<leader>|<YYYY-MM>         checkInRec (checkin.go): a Lean leader's
//	              monthly check-in about a director, the month in the Lean
//	              leader's calendar; added in schema 3
//	comments      <director>|<leader>|<at>|<comment id> commentRec (checkin.go): a Lean leader's
//	              comment on their path; the bucket's sequence numbers IDs
//	              "c1", "c2"…; added in schema 3
//
// Invariants:
//   - occ_by_due holds exactly one entry per occurrence, built from its
//     current Director, Habit and Due; UpdateOccurrence moves it in the same
//     transaction when one of them changes.
//   - Every state change is one write transaction: a transaction of its own
//     (update), or, for the writes many callers make at once (answers, the
//     due-loop's send marks and reminders, kudos), its share of a group
//     commit (write, commit.go), which is durable before the call returns.
//     Never bbolt's Batch: it delays a lone writer, and when one function of
//     a batch fails it runs the others again, so results captured by closures
//     may come from a run that did not commit. A group-commit change decides
//     (reads) and then applies (writes); a refusal writes nothing and fails
//     only its caller; anything else that fails a group reruns each change
//     alone, so a change's decide may run more than once and must set every
//     result it reports on every run. Values read from bbolt are decoded
//     (copied) inside the transaction; no network call ever runs inside one.
//   - A use case reads the rest of the store in the transaction of its write
//     (RecordAnswer hands the decide step a coach.Snapshot of it) or in one
//     read transaction (ReadSnapshot): a click costs one of each.
//   - The schema version in meta is the version of the layout above. Open runs
//     the migrations from the stored version to the current one in a single
//     Update, so a file is never half migrated.
//
// Schema versions: 1 is the layout above without paths; 2 adds paths; 3
// adds checkins and comments (schema.go; a file's buckets per version are
// bucketsOf, which bot check verifies).
//
// Erasure (Forget) deletes the user's records from every bucket and index
// (and the check-ins and comments of every pair they are part of), removes
// the user from other records that name them (leader lists, schedule
// targets), keeps what other directors keep about them as a Lean leader
// (paths, kudos, compliment answers: the director's records), and keeps the
// audit log intact by replacing the user's ID with "erased" in entries. It
// then compacts the file so the erased bytes are no longer in it.
package store

package i18n

import "maps"

// Each area of the product keeps its texts in its own file as a pair of maps,
// one per language; they are merged here. Keys are dotted: "<area>.<name>".
var areas = []struct{ en, nl map[string]string }{
	{coreEN, coreNL},
	{storeEN, storeNL},
	{helpEN, helpNL},
	{habitsEN, habitsNL},
	{questionsEN, questionsNL},
	{formatEN, formatNL},
	{scheduleEN, scheduleNL},
	{schedcmdEN, schedcmdNL},
	{commandsEN, commandsNL},
	{promptsEN, promptsNL},
	{sandboxEN, sandboxNL},
	{adminEN, adminNL},
	{homeEN, homeNL},
	{pathEN, pathNL},
	{reviewEN, reviewNL},
	{leaderEN, leaderNL},
	{checkinMsgEN, checkinMsgNL},
	{focusEN, focusNL},
}

var merged = func() map[Lang]map[string]string {
	m := map[Lang]map[string]string{EN: {}, NL: {}}
	for _, a := range areas {
		maps.Copy(m[EN], a.en)
		maps.Copy(m[NL], a.nl)
	}
	return m
}()

func catalog(l Lang) map[string]string { return merged[l] }

// Keys returns every key of language l, for the completeness tests.
func Keys(l Lang) []string {
	out := make([]string, 0, len(merged[l]))
	for k := range merged[l] {
		out = append(out, k)
	}
	return out
}

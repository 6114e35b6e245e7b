package metrics

// other replaces label values that are not short fixed words.
const other = "other"

// label returns v if it is a short word of lowercase ASCII letters, digits and '_'
// (the shape of Slack's envelope types and error codes), else "other". This bounds
// the number of series whatever callers pass.
func label(v string) string {
	if v == "" || len(v) > 48 {
		return other
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return other
		}
	}
	return v
}

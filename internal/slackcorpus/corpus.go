// Package slackcorpus holds real Slack payloads (Socket Mode envelopes,
// interaction payloads, Web API answers) copied from Slack's documentation
// and SDK test suites, for tests: the local Slack is compared with them and
// fuzz targets are seeded with them. payloads/SOURCES.md says where each
// came from.
//
// The payloads are embedded, so any package's tests can read them without
// a path relative to their own directory; only tests import this package.
package slackcorpus

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

//go:embed payloads/*.json
var payloads embed.FS

// File is one payload: its file name (e.g. "socket-hello.json") and bytes.
type File struct {
	Name string
	Data []byte
}

// Read returns the payload called name.
func Read(name string) ([]byte, error) {
	b, err := payloads.ReadFile(path.Join("payloads", name))
	if err != nil {
		return nil, fmt.Errorf("read slack payload %s: %w", name, err)
	}
	return b, nil
}

// Glob returns the payloads whose names match pattern (path.Match syntax),
// in name order. It fails when the pattern matches nothing, so that a test
// seeded from the corpus never runs without its seeds.
func Glob(pattern string) ([]File, error) {
	names, err := fs.Glob(payloads, path.Join("payloads", pattern))
	if err != nil {
		return nil, fmt.Errorf("glob slack payloads %q: %w", pattern, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("glob slack payloads %q: no payload matches", pattern)
	}
	out := make([]File, 0, len(names))
	for _, n := range names {
		b, err := payloads.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("glob slack payloads %q: %w", pattern, err)
		}
		out = append(out, File{Name: path.Base(n), Data: b})
	}
	return out, nil
}

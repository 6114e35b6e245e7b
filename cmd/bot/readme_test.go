package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeStartsWithTheTwoCommands: a newcomer finds both commands near
// the top of a short README, and its test command is the one CI runs.
func TestReadmeStartsWithTheTwoCommands(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	lines := strings.Split(readme, "\n")
	if len(lines) > 151 { // 150 lines and the final newline
		t.Errorf("README.md has %d lines, want at most 150: details belong in docs/", len(lines)-1)
	}
	top := strings.Join(lines[:min(40, len(lines))], "\n")
	ci := regexp.MustCompile(`(?m)^go test [^\n]*\./\.\.\.$`).FindString(readRepoFile(t, ".ci/run"))
	if ci == "" {
		t.Fatal(".ci/run runs no `go test … ./...`")
	}
	for _, cmd := range []string{"go run ./cmd/bot sandbox", ci} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(cmd) + `( |$)`).MatchString(top) {
			t.Errorf("README.md's first 40 lines lack the command %q", cmd)
		}
	}
	if strings.Contains(readme, "go run ./cmd/bot run") || regexp.MustCompile(`(?m)^go run ./cmd/bot\s*(#|$)`).MatchString(readme) {
		t.Errorf("README.md runs production with go run; build the bot binary instead")
	}
}

// TestDocLinks: every relative link of the README and docs/ names a file
// of the repository, and a heading of it when it has an #anchor.
func TestDocLinks(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join("..", "..", "README.md"), filepath.Join("..", "..", "BENCHMARKS.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, page := range pages {
		text, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			path := page
			if file != "" {
				path = filepath.Join(filepath.Dir(page), file)
			}
			body, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s links to %s: %v", page, target, err)
				continue
			}
			if anchor != "" && !hasHeading(string(body), anchor) {
				t.Errorf("%s links to %s: %s has no heading #%s", page, target, path, anchor)
			}
		}
	}
}

// hasHeading tells whether markdown has a heading whose GitHub anchor is anchor.
func hasHeading(markdown, anchor string) bool {
	for _, l := range strings.Split(markdown, "\n") {
		h, ok := strings.CutPrefix(strings.TrimLeft(l, "#"), " ")
		if !ok || !strings.HasPrefix(l, "#") {
			continue
		}
		slug := strings.Map(func(r rune) rune {
			switch {
			case r == ' ' || r == '-':
				return '-'
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
				return r
			case r >= 'A' && r <= 'Z':
				return r + 'a' - 'A'
			}
			return -1
		}, h)
		if slug == anchor {
			return true
		}
	}
	return false
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

//go:build !unix

package store

import "os"

// mapFile reads the file at path; see mmap_unix.go.
func mapFile(path string) ([]byte, func(), error) {
	data, err := os.ReadFile(path)
	return data, func() {}, err
}

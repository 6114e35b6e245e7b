package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leancoach/leancoach/internal/store"
)

// copyFile copies the store file at src to a new file in a temp dir.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	must(t, err)
	dst := filepath.Join(t.TempDir(), "copy.db")
	must(t, os.WriteFile(dst, b, 0o600))
	return dst
}

func TestCheckSoundFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leancoach.db")
	fill(t, path)
	if err := store.Check(path); err != nil {
		t.Errorf("Check(sound file) = %v, want nil", err)
	}
}

// exactCopy returns a filled store file that ends at its last used page
// (a backup is exactly that long), so that any truncation cuts live data.
func exactCopy(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "leancoach.db")
	fill(t, path)
	db, err := store.Open(path, store.Options{})
	must(t, err)
	defer db.Close()
	exact := filepath.Join(t.TempDir(), "exact.db")
	must(t, db.BackupFile(exact, false))
	return exact
}

func TestCheckTruncated(t *testing.T) {
	path := exactCopy(t)
	fi, err := os.Stat(path)
	must(t, err)
	for _, size := range []int64{0, 100, 4096, 4096*2 + 10, fi.Size() / 2, fi.Size() - 4096, fi.Size() - 1} {
		cp := copyFile(t, path)
		must(t, os.Truncate(cp, size))
		if err := store.Check(cp); !errors.Is(err, store.ErrDamaged) {
			t.Errorf("Check(truncated to %d of %d bytes) = %v, want ErrDamaged", size, fi.Size(), err)
		}
	}
}

func TestCheckNotAFile(t *testing.T) {
	dir := t.TempDir()
	if err := store.Check(dir); !errors.Is(err, store.ErrDamaged) {
		t.Errorf("Check(directory) = %v, want ErrDamaged", err)
	}
	if err := store.Check(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("Check(missing file) = nil, want an error")
	}
}

// TestCheckFlippedBytes flips bytes all over copies of a file: Check must
// return (never panic or crash), and it must report the damage that bbolt
// can see: the page headers and the tree.
func TestCheckFlippedBytes(t *testing.T) {
	orig, err := os.ReadFile(exactCopy(t))
	must(t, err)
	cp := filepath.Join(t.TempDir(), "flipped.db")

	// Both meta pages' magic numbers: nothing left to open.
	b := append([]byte(nil), orig...)
	b[16] ^= 0xff
	b[4096+16] ^= 0xff
	must(t, os.WriteFile(cp, b, 0o600))
	if err := store.Check(cp); !errors.Is(err, store.ErrDamaged) {
		t.Errorf("Check(both meta pages flipped) = %v, want ErrDamaged", err)
	}

	// One byte at a time all over the file. Flips in free space or inside
	// a JSON value are invisible to bbolt; the rest must be reported, and
	// none may crash the process.
	var damaged, total int
	for off := 0; off < len(orig); off += 211 {
		b := append([]byte(nil), orig...)
		b[off] ^= 0xff
		must(t, os.WriteFile(cp, b, 0o600))
		total++
		if err := store.Check(cp); err != nil {
			damaged++
		}
	}
	t.Logf("Check found %d of %d single-byte flips", damaged, total)
	if damaged == 0 {
		t.Errorf("Check found none of %d flipped files damaged", total)
	}
}

package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leancoach/leancoach/internal/store"
)

// An empty bucket is stored inline, in its entry in the root page: the
// bucket header and a page of its own with no elements. bbolt's tx.Check
// does not look at inline pages, and the structure walk checked an inline
// page's type only per element, so an empty one of the wrong type passed.
// bbolt then reads it as a branch and follows element 0 of a page that has
// none: with -race the process dies (checkptr), without it a read of the
// bucket ran away with memory until the kernel killed it. Found by
// TestPowerLossLyingDisk (a torn root page under a new meta page). Every
// page, real or inline, must be a branch or a leaf; an inline one a leaf.
func TestCheckInlinePageType(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leancoach.db")
	db, err := store.Open(path, store.Options{})
	must(t, err)
	must(t, db.Close())
	orig := readFile(t, path)
	ps := pageSizeOf(t, orig)

	// The root page of the newest meta, and the entry of the (empty)
	// users bucket in it: key, then the 16-byte bucket header (root page 0
	// = inline), then the inline page's header, whose flags sit at +8.
	newest := 0
	if binary.LittleEndian.Uint64(orig[ps+metaTxid:]) > binary.LittleEndian.Uint64(orig[metaTxid:]) {
		newest = 1
	}
	root := int(binary.LittleEndian.Uint64(orig[newest*ps+pageHeader+16:]))
	page := orig[root*ps : (root+1)*ps]
	at := bytes.Index(page, []byte("users"))
	if at < 0 {
		t.Fatalf("no users bucket in root page %d", root)
	}
	flags := root*ps + at + len("users") + 16 + 8
	if got := binary.LittleEndian.Uint16(orig[flags:]); got != 0x02 {
		t.Fatalf("the users bucket's inline page has flags %#x, want a leaf (0x02): the test reads the wrong bytes", got)
	}
	for _, tc := range []struct {
		name  string
		flags uint16
	}{
		{"no type", 0x00},
		{"branch without elements", 0x01},
		{"meta", 0x04},
		{"freelist", 0x10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := bytes.Clone(orig)
			binary.LittleEndian.PutUint16(b[flags:], tc.flags)
			cp := filepath.Join(t.TempDir(), "inline.db")
			must(t, os.WriteFile(cp, b, 0o600))
			if err := store.Check(cp); !errors.Is(err, store.ErrDamaged) {
				// Stop here: opening it and reading the bucket is what kills
				// the process.
				t.Fatalf("Check(inline page of type %#x) = %v, want ErrDamaged", tc.flags, err)
			}
			if db, err := store.Open(cp, store.Options{}); !errors.Is(err, store.ErrDamaged) {
				if err == nil {
					db.Close()
				}
				t.Errorf("Open(inline page of type %#x) = %v, want ErrDamaged", tc.flags, err)
			}
		})
	}
}

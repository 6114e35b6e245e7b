package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"

	bolt "go.etcd.io/bbolt"
)

// bbolt's on-disk page format (go.etcd.io/bbolt/internal/common/page.go),
// in the machine's byte order as bbolt writes it.
const (
	pageHeaderSize  = 16 // id u64, flags u16, count u16, overflow u32
	elementSize     = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	branchPageFlag  = 0x01
	leafPageFlag    = 0x02
	bucketLeafFlag  = 0x01
	bucketHeaderLen = 16 // root pgid u64, sequence u64; an inline page follows when root == 0
	maxTreeDepth    = 64
)

// checkStructure maps the file and verifies that every page
// reachable from the root lies inside the file and that every element's key
// and value lie inside their page.
//
// Why: tx.Check reads the same structure straight from the mmap in a
// goroutine of its own, where a bogus length or page ID on a damaged page
// faults at an address no recover can catch, and the process dies. This
// walk reads the file through a slice of the file's length, bounds-checked,
// in the caller's guarded goroutine; once it passed, tx.Check only reads
// memory that exists.
func checkStructure(tx *bolt.Tx) error {
	data, unmap, err := mapFile(tx.DB().Path())
	if err != nil {
		return err
	}
	defer unmap()
	ps := tx.DB().Info().PageSize
	w := structWalker{data: data, pageSize: uint64(ps), hwm: uint64(tx.Size()) / uint64(ps)}
	if uint64(len(data)) < w.hwm*w.pageSize {
		return fmt.Errorf("file is truncated: %d bytes, its header says %d", len(data), w.hwm*w.pageSize)
	}
	w.seen = make([]bool, w.hwm) // bounded by the file's size, just checked
	if err := w.freelist(); err != nil {
		return err
	}
	root, err := w.page(uint64(tx.Cursor().Bucket().RootPage()))
	if err != nil {
		return err
	}
	return w.node(root, 0)
}

// Meta page fields, from the start of the meta (after the page header).
const (
	metaMagic     = 0xED0CDAED
	metaVersion   = 2
	metaFreelist  = 32 // u64, after magic, version, page size, flags, root bucket
	metaTxid      = 48
	metaChecksum  = 56 // FNV-64a of the bytes before it
	metaLen       = 64
	noFreelist    = ^uint64(0)
	freelistFlag  = 0x10
	freelistIDLen = 8
)

// meta returns the meta bbolt uses: the valid one with the higher txid.
func (w *structWalker) meta() ([]byte, error) {
	var best []byte
	for _, off := range []uint64{0, w.pageSize} {
		if off+pageHeaderSize+metaLen > uint64(len(w.data)) {
			continue
		}
		m := w.data[off+pageHeaderSize : off+pageHeaderSize+metaLen]
		h := fnv.New64a()
		h.Write(m[:metaChecksum])
		if ne.Uint32(m[0:4]) != metaMagic || ne.Uint32(m[4:8]) != metaVersion || ne.Uint64(m[metaChecksum:]) != h.Sum64() {
			continue
		}
		if best == nil || ne.Uint64(m[metaTxid:]) > ne.Uint64(best[metaTxid:]) {
			best = m
		}
	}
	if best == nil {
		return nil, errors.New("no valid meta page")
	}
	return best, nil
}

// freelist checks that the freelist page and its overflow lie inside the
// file and hold no more IDs than fit: tx.Check loops over its overflow
// count, and a damaged one would run it for ever.
func (w *structWalker) freelist() error {
	m, err := w.meta()
	if err != nil {
		return err
	}
	id := ne.Uint64(m[metaFreelist:])
	if id == noFreelist {
		return nil
	}
	p, err := w.page(id)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	if flags := ne.Uint16(p[8:10]); flags != freelistFlag {
		return fmt.Errorf("freelist page %d: unexpected page type %#x", id, flags)
	}
	n, start := uint64(ne.Uint16(p[10:12])), uint64(pageHeaderSize)
	if n == 0xFFFF { // the real count is in the first element
		if len(p) < pageHeaderSize+freelistIDLen {
			return fmt.Errorf("freelist page %d: too short", id)
		}
		n, start = ne.Uint64(p[pageHeaderSize:]), pageHeaderSize+freelistIDLen
	}
	if n > (uint64(len(p))-start)/freelistIDLen {
		return fmt.Errorf("freelist page %d: %d IDs do not fit", id, n)
	}
	return nil
}

type structWalker struct {
	data     []byte
	pageSize uint64
	hwm      uint64 // pages below this ID are in use
	seen     []bool // by page ID: reached already
}

var ne = binary.NativeEndian

// page returns the bytes of page id with its overflow pages.
func (w *structWalker) page(id uint64) ([]byte, error) {
	if id < 2 || id >= w.hwm {
		return nil, fmt.Errorf("page %d: out of bounds (high water mark %d)", id, w.hwm)
	}
	if w.seen[id] {
		return nil, fmt.Errorf("page %d: referenced twice", id)
	}
	w.seen[id] = true
	off := id * w.pageSize
	hdr := w.data[off : off+pageHeaderSize]
	span := (uint64(ne.Uint32(hdr[12:16])) + 1) * w.pageSize
	if span > uint64(len(w.data))-off {
		return nil, fmt.Errorf("page %d: overflow reaches past the end of the file", id)
	}
	return w.data[off : off+span], nil
}

// node checks a branch or leaf page p (a real page or an inline bucket's).
func (w *structWalker) node(p []byte, depth int) error {
	if depth > maxTreeDepth {
		return errors.New("tree is nested too deep")
	}
	if len(p) < pageHeaderSize {
		return errors.New("page shorter than its header")
	}
	flags, count := ne.Uint16(p[8:10]), uint64(ne.Uint16(p[10:12]))
	// The type is checked even when there are no elements: bbolt reads a
	// page that is not a leaf as a branch and follows its first element,
	// present or not (an empty inline page of another type made a read of
	// its bucket run away).
	if flags != branchPageFlag && flags != leafPageFlag {
		return fmt.Errorf("page %d: unexpected page type %#x", ne.Uint64(p[0:8]), flags)
	}
	if pageHeaderSize+count*elementSize > uint64(len(p)) {
		return fmt.Errorf("page %d: %d elements do not fit", ne.Uint64(p[0:8]), count)
	}
	for i := range count {
		e := pageHeaderSize + i*elementSize
		el := p[e : e+elementSize]
		var err error
		switch flags {
		case branchPageFlag:
			err = w.branchElement(p, e, el, depth)
		case leafPageFlag:
			err = w.leafElement(p, e, el, depth)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *structWalker) branchElement(p []byte, e uint64, el []byte, depth int) error {
	pos, ksize := uint64(ne.Uint32(el[0:4])), uint64(ne.Uint32(el[4:8]))
	if e+pos+ksize > uint64(len(p)) {
		return fmt.Errorf("page %d: branch key outside the page", ne.Uint64(p[0:8]))
	}
	child, err := w.page(ne.Uint64(el[8:16]))
	if err != nil {
		return err
	}
	return w.node(child, depth+1)
}

func (w *structWalker) leafElement(p []byte, e uint64, el []byte, depth int) error {
	flags := ne.Uint32(el[0:4])
	pos, ksize, vsize := uint64(ne.Uint32(el[4:8])), uint64(ne.Uint32(el[8:12])), uint64(ne.Uint32(el[12:16]))
	start := e + pos
	if start+ksize+vsize > uint64(len(p)) {
		return fmt.Errorf("page %d: leaf key or value outside the page", ne.Uint64(p[0:8]))
	}
	if flags&bucketLeafFlag == 0 {
		return nil
	}
	v := p[start+ksize : start+ksize+vsize]
	if len(v) < bucketHeaderLen {
		return fmt.Errorf("page %d: bucket header too short", ne.Uint64(p[0:8]))
	}
	if root := ne.Uint64(v[0:8]); root != 0 {
		child, err := w.page(root)
		if err != nil {
			return err
		}
		return w.node(child, depth+1)
	}
	// bbolt writes an inline bucket only as a single leaf.
	inline := v[bucketHeaderLen:]
	if len(inline) >= pageHeaderSize && ne.Uint16(inline[8:10]) != leafPageFlag {
		return fmt.Errorf("page %d: inline bucket of page type %#x, want a leaf", ne.Uint64(p[0:8]), ne.Uint16(inline[8:10]))
	}
	return w.node(inline, depth+1)
}

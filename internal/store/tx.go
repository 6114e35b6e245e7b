package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bucket names (see doc.go for what each holds).
var (
	bucketMeta        = []byte("meta")
	bucketDirectors   = []byte("directors")
	bucketUsers       = []byte("users")
	bucketAdmins      = []byte("admins")
	bucketSettings    = []byte("settings")
	bucketSchedules   = []byte("schedules")
	bucketOccurrences = []byte("occurrences")
	bucketOccByDue    = []byte("occ_by_due")
	bucketKudos       = []byte("kudos")
	bucketQuestions   = []byte("questions")
	bucketAudit       = []byte("audit")
	bucketDue         = []byte("due")
	bucketPaths       = []byte("paths")    // from schema 2
	bucketCheckIns    = []byte("checkins") // from schema 3
	bucketComments    = []byte("comments") // from schema 3
)

// allBuckets are created at open; every one of them exists in every
// transaction afterwards, so bucket() never returns nil.
func allBuckets() [][]byte { return bucketsOf(currentVersion()) }

// bucketsOf returns the buckets a file of schema version v has (see
// schema.go): a bucket added by a migration is listed from its version on.
func bucketsOf(v int) [][]byte {
	bs := [][]byte{bucketMeta, bucketDirectors, bucketUsers, bucketAdmins,
		bucketSettings, bucketSchedules, bucketOccurrences, bucketOccByDue,
		bucketKudos, bucketQuestions, bucketAudit, bucketDue}
	if v >= 2 {
		bs = append(bs, bucketPaths)
	}
	if v >= 3 {
		bs = append(bs, bucketCheckIns, bucketComments)
	}
	return bs
}

// sep separates the parts of composite keys.
const sep = "|"

// timeLayout is fixed width so that byte order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// timeKey formats t for use in a key.
func timeKey(t time.Time) string { return t.UTC().Format(timeLayout) }

// seqKey formats a sequence number for use in a key (fixed width, sortable).
func seqKey(n uint64) string { return fmt.Sprintf("%020d", n) }

// key joins parts with sep.
func key(parts ...string) []byte {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.Bytes()
}

// bucket returns the named top-level bucket, which Open created.
func bucket(tx *bolt.Tx, name []byte) *bolt.Bucket {
	b := tx.Bucket(name)
	if b == nil {
		// Only reachable if the file was changed behind our back.
		panic(fmt.Sprintf("store: bucket %q missing", name))
	}
	return b
}

// getJSON decodes the value at k into v. It reports false when k is absent.
// json.Unmarshal copies, so v never aliases the mmap.
func getJSON(b *bolt.Bucket, k []byte, v any) (bool, error) {
	raw := b.Get(k)
	if raw == nil {
		return false, nil
	}
	return true, decodeJSON(k, raw, v)
}

// decodeJSON decodes the value raw stored at k into v (a copy: v never
// aliases the mmap).
func decodeJSON(k, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode record %q: %w", k, err)
	}
	return nil
}

// putJSON encodes v and stores it at k.
func putJSON(b *bolt.Bucket, k []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", k, err)
	}
	return b.Put(k, raw)
}

// forEachPrefix calls fn for every key in b that starts with prefix, in key
// order. k and v are only valid during the call.
func forEachPrefix(b *bolt.Bucket, prefix []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// deletePrefix deletes every key in b that starts with prefix.
func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	var keys [][]byte
	if err := forEachPrefix(b, prefix, func(k, _ []byte) error {
		keys = append(keys, bytes.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forEachFrom is forEachPrefix starting at the first key >= from.
func forEachFrom(b *bolt.Bucket, prefix, from []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(from); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// settingRec is the stored form of one workspace setting.
type settingRec struct {
	V     int    `json:"v"`
	Value string `json:"value"`
}

// Setting returns the setting's value; "" and nil when it is unset.
func (db *DB) Setting(ctx context.Context, k string) (string, error) {
	var r settingRec
	err := db.view(ctx, func(tx *bolt.Tx) error {
		_, err := getJSON(bucket(tx, bucketSettings), []byte(k), &r)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("get setting %s: %w", k, err)
	}
	return r.Value, nil
}

// PutSetting stores the setting; an empty value unsets it.
func (db *DB) PutSetting(ctx context.Context, k, value string) error {
	if k == "" {
		return fmt.Errorf("put setting: empty key")
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, bucketSettings)
		if value == "" {
			return b.Delete([]byte(k))
		}
		return putJSON(b, []byte(k), settingRec{V: 1, Value: value})
	})
	if err != nil {
		return fmt.Errorf("put setting %s: %w", k, err)
	}
	return nil
}

//go:build plan9

package imports

// #include <stdlib.h>
import "C"

import bolt "go.etcd.io/bbolt"

var _ = bolt.Open

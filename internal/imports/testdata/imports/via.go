package imports

import "example.com/allowed"

var _ = allowed.Name

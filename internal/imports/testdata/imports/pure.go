package imports

import (
	"strings"
	"time"

	"example.com/allowed"
)

var _ = strings.Cut
var _ = time.Now
var _ = allowed.Name

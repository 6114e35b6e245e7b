package allowed

import (
	"strings"

	"github.com/rs/zerolog"
)

var Name = strings.ToLower("allowed")
var _ = zerolog.Nop

package main

import (
	"context"
	"errors"
	"io"
)

func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("export: not available yet")
}

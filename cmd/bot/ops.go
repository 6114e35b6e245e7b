package main

import (
	"context"
	"errors"
	"io"
)

// Placeholders until the operations commands land.

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("backup: not available yet")
}

func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("check: not available yet")
}

func runManifest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("manifest: not available yet")
}

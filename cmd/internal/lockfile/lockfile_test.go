package lockfile

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSecondHolderIsRefusedWithTheHolderNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "LOCK")
	ctx := context.Background()
	first, err := Acquire(ctx, path, time.Second, "newsgraph ingest")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		wait time.Duration
	}{
		{"no wait", 0},
		{"short wait", 300 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Acquire(ctx, path, tc.wait, "newsgraph search")
			if !errors.Is(err, ErrHeld) {
				t.Fatalf("second Acquire: got %v, want ErrHeld", err)
			}
			if !strings.Contains(err.Error(), "newsgraph ingest") {
				t.Errorf("message %q does not name the holder", err)
			}
			if time.Since(start) < tc.wait {
				t.Errorf("gave up after %v, before the wait of %v", time.Since(start), tc.wait)
			}
		})
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	second, err := Acquire(ctx, path, 0, "newsgraph search")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	second.Release()
}

func TestAcquireHonoursCancellation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "LOCK")
	first, err := Acquire(context.Background(), path, 0, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err = Acquire(ctx, path, time.Minute, "b")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want deadline exceeded", err)
	}
}

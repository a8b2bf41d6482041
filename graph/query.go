package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
)

// DefaultQueryLimit is the result limit of Query when limit <= 0.
const DefaultQueryLimit = 1000

// Query runs a Gizmo query and passes each result to emit: for node results a
// map like {"id": "<agency:bsi>"} plus any tags, otherwise the value the
// query emitted. limit <= 0 means DefaultQueryLimit. emit must not call
// back into the Store.
func (s *Store) Query(ctx context.Context, gizmoQuery string, limit int, emit func(any) error) error {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer unlock()
	if limit <= 0 {
		limit = DefaultQueryLimit
	}
	sess := gizmo.NewSession(s.qs)
	it, err := sess.Execute(ctx, gizmoQuery, query.Options{Collation: query.JSON, Limit: limit})
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer func() {
		// Close interrupts the script; draining waits for its goroutine to
		// stop, so that it does not read the store after the lock is released.
		it.Close()
		for it.Next(context.Background()) {
		}
	}()
	n := 0
	for n < limit && it.Next(ctx) {
		r := it.Result()
		if r == nil {
			continue // the script's own return value
		}
		n++
		if err := emit(r); err != nil {
			return fmt.Errorf("query: emit: %w", err)
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return nil
}

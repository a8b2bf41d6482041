package graph

import (
	"context"
	"errors"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
)

// pattern selects quads; a nil field matches any value.
type pattern struct {
	S, P, O, L quad.Value
}

func (p pattern) get(d quad.Direction) quad.Value {
	switch d {
	case quad.Subject:
		return p.S
	case quad.Predicate:
		return p.P
	case quad.Object:
		return p.O
	case quad.Label:
		return p.L
	}
	return nil
}

// errStop ends a scan early without error.
var errStop = errors.New("stop scan")

// Cayley's kv store keeps the indexes it was initialised with; Open always
// initialises with the defaults: (subject, predicate) and
// (object, predicate, subject). Its optimiser cannot use an index prefix
// shorter than the index (an (object, predicate) lookup falls back to a
// scan of all quads of the object), so scans build the prefix themselves.
var (
	indexSP  = kv.DefaultQuadIndexes[0]
	indexOPS = kv.DefaultQuadIndexes[1]
)

// dirRef constrains one direction of a quad to a node.
type dirRef struct {
	dir quad.Direction
	ref cgraph.Ref
}

// resolve turns a pattern into node refs; ok is false when some value is not
// in the graph, so nothing can match.
func (s *Store) resolve(p pattern) (wants []dirRef, ok bool, err error) {
	for _, d := range quad.Directions {
		v := p.get(d)
		if v == nil {
			continue
		}
		var r cgraph.Ref
		var err error
		if d == quad.Predicate {
			r, err = s.vocabRef(v)
		} else {
			r, err = s.qs.ValueOf(v)
		}
		if err != nil {
			return nil, false, fmt.Errorf("look up %v: %w", v, err)
		}
		if r == nil {
			return nil, false, nil
		}
		wants = append(wants, dirRef{d, r})
	}
	return wants, true, nil
}

// scanRefs calls fn with the ref of every quad matching p, at most limit
// quads (limit <= 0: all). It reports whether it stopped at the limit.
func (s *Store) scanRefs(ctx context.Context, p pattern, limit int, fn func(cgraph.Ref) error) (truncated bool, err error) {
	wants, ok, err := s.resolve(p)
	if err != nil || !ok {
		return false, err
	}
	return s.scanWants(ctx, wants, limit, fn)
}

// scanWants is scanRefs on resolved refs.
func (s *Store) scanWants(ctx context.Context, wants []dirRef, limit int, fn func(cgraph.Ref) error) (truncated bool, err error) {
	if len(wants) == 0 {
		return false, errors.New("scan without constraint")
	}
	sc := s.iteratorFor(ctx, wants).Iterate()
	defer sc.Close()
	n := 0
	for sc.Next(ctx) {
		r := sc.Result()
		ok := true
		for _, w := range wants {
			got, err := s.qs.QuadDirection(r, w.dir)
			if err != nil {
				return false, fmt.Errorf("read quad: %w", err)
			}
			if got == nil || refs.ToKey(got) != refs.ToKey(w.ref) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if limit > 0 && n >= limit {
			return true, nil
		}
		n++
		if err := fn(r); err != nil {
			if errors.Is(err, errStop) {
				return false, nil
			}
			return false, err
		}
		if n%512 == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("scan quads: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return false, nil
}

// iteratorFor picks the narrowest index for a set of constraints.
func (s *Store) iteratorFor(ctx context.Context, wants []dirRef) iterator.Shape {
	ref := func(d quad.Direction) cgraph.Ref {
		for _, w := range wants {
			if w.dir == d {
				return w.ref
			}
		}
		return nil
	}
	if kqs, ok := s.qs.(*kv.QuadStore); ok {
		id := func(d quad.Direction) uint64 { return uint64(ref(d).(kv.Int64Value)) }
		sub, pred, obj := ref(quad.Subject), ref(quad.Predicate), ref(quad.Object)
		switch {
		case obj != nil && pred != nil && sub != nil:
			vals := []uint64{id(quad.Object), id(quad.Predicate), id(quad.Subject)}
			return kv.IndexScan{Index: indexOPS, Values: vals}.BuildIterator(kqs)
		case sub != nil:
			vals := []uint64{id(quad.Subject)}
			if pred != nil {
				vals = append(vals, id(quad.Predicate))
			}
			return kv.IndexScan{Index: indexSP, Values: vals}.BuildIterator(kqs)
		case obj != nil:
			vals := []uint64{id(quad.Object)}
			if pred != nil {
				vals = append(vals, id(quad.Predicate))
			}
			return kv.IndexScan{Index: indexOPS, Values: vals}.BuildIterator(kqs)
		}
		return s.qs.QuadIterator(wants[0].dir, wants[0].ref)
	}
	// Other stores: the direction with the fewest quads.
	best, bestSize := wants[0], int64(-1)
	for _, w := range wants {
		sz, err := s.qs.QuadIteratorSize(ctx, w.dir, w.ref)
		if err != nil {
			continue
		}
		if bestSize < 0 || sz.Value < bestSize {
			best, bestSize = w, sz.Value
		}
	}
	return s.qs.QuadIterator(best.dir, best.ref)
}

// quads returns the quads matching p (at most limit; limit <= 0: all).
func (s *Store) quads(ctx context.Context, p pattern, limit int) ([]quad.Quad, bool, error) {
	var rs []cgraph.Ref
	trunc, err := s.scanRefs(ctx, p, limit, func(r cgraph.Ref) error {
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	qs, err := s.readQuads(ctx, rs)
	return qs, trunc, err
}

// count counts the quads matching p, up to limit (limit <= 0: all).
func (s *Store) count(ctx context.Context, p pattern, limit int) (int64, bool, error) {
	var n int64
	trunc, err := s.scanRefs(ctx, p, limit, func(cgraph.Ref) error { n++; return nil })
	return n, trunc, err
}

// readQuads resolves quad refs to quads, fetching each distinct node once.
func (s *Store) readQuads(ctx context.Context, rs []cgraph.Ref) ([]quad.Quad, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	index := make(map[any]int)
	var nodes []cgraph.Ref
	dirRefs := make([][4]int, len(rs))
	for i, r := range rs {
		for j, d := range quad.Directions {
			n, err := s.qs.QuadDirection(r, d)
			if err != nil {
				return nil, fmt.Errorf("read quad: %w", err)
			}
			if n == nil {
				dirRefs[i][j] = -1
				continue
			}
			k := refs.ToKey(n)
			at, ok := index[k]
			if !ok {
				at = len(nodes)
				index[k] = at
				nodes = append(nodes, n)
			}
			dirRefs[i][j] = at
		}
	}
	vals, err := cgraph.ValuesOf(ctx, s.qs, nodes)
	if err != nil {
		return nil, fmt.Errorf("read values: %w", err)
	}
	out := make([]quad.Quad, len(rs))
	for i := range rs {
		for j, d := range quad.Directions {
			if at := dirRefs[i][j]; at >= 0 {
				out[i].Set(d, vals[at])
			}
		}
	}
	return out, nil
}

// values returns the objects of subject -pred-> *, global and labelled alike.
func (s *Store) values(ctx context.Context, subject, pred quad.Value) ([]quad.Value, error) {
	qs, _, err := s.quads(ctx, pattern{S: subject, P: pred}, 0)
	if err != nil {
		return nil, err
	}
	out := make([]quad.Value, 0, len(qs))
	for _, q := range qs {
		out = append(out, q.Object)
	}
	return out, nil
}

// keyOf returns a comparable key for a node ref.
func keyOf(r cgraph.Ref) any { return refs.ToKey(r) }

package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// importBatch is the number of articles written per transaction group.
const importBatch = 1000

// ImportResult summarises an Import.
type ImportResult struct {
	Quads    int `json:"quads"`    // quads read
	Articles int `json:"articles"` // articles imported (replacing stored versions)
	Added    int `json:"added"`    // quads written
	Removed  int `json:"removed"`  // quads deleted
}

// Import reads N-Quads as ExportNQuads writes them and stores them. Each
// article's facts (the quads labelled with it) replace the stored ones, as
// Put does; entity descriptions are added where missing (a second
// canonical name becomes an alias). Counters and aggregates are recomputed,
// never read.
func (s *Store) Import(ctx context.Context, r io.Reader) (ImportResult, error) {
	var res ImportResult
	byArticle := make(map[string]*quadSet)
	var globals []quad.Quad
	rd := nquads.NewReader(r, false)
	for {
		q, err := rd.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("import: line %d: %w", res.Quads+1, err)
		}
		res.Quads++
		q = nativeQuad(q)
		if isDerived(q) {
			continue
		}
		if err := checkImported(q); err != nil {
			return res, fmt.Errorf("import: line %d: %w", res.Quads, err)
		}
		if q.Label == nil {
			globals = append(globals, q)
			continue
		}
		label := iriString(q.Label)
		set, ok := byArticle[label]
		if !ok {
			set = newQuadSet()
			byArticle[label] = set
		}
		set.add(q)
	}
	unlock, err := s.begin(ctx, true)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer unlock()
	defer s.resetCaches()

	if err := s.checkTyped(ctx, byArticle, globals); err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	adds, err := s.missingGlobals(ctx, globals)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	ids := make([]string, 0, len(byArticle))
	for id := range byArticle {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for start := 0; start < len(ids) || len(adds) > 0; start += importBatch {
		batch := ids[start:min(start+importBatch, len(ids))]
		oldSet := newQuadSet()
		oldMentioned := make(map[string]bool)
		newSet := newQuadSet()
		newMentioned := make(map[string]bool)
		for _, id := range batch {
			if err := s.articleFacts(ctx, id, oldSet, oldMentioned); err != nil {
				return res, fmt.Errorf("import: read stored %s: %w", id, err)
			}
			for _, q := range byArticle[id].list {
				newSet.add(q)
				if q.Predicate == predMentions {
					newMentioned[iriString(q.Object)] = true
				}
			}
		}
		var dels []quad.Quad
		for _, q := range oldSet.list {
			if !newSet.has(q) {
				dels = append(dels, q)
			}
		}
		for _, q := range newSet.list {
			if !oldSet.has(q) {
				adds = append(adds, q)
			}
		}
		var gone []string
		for id := range oldMentioned {
			if !newMentioned[id] {
				gone = append(gone, id)
			}
		}
		if err := s.write(ctx, dels, adds, gone, oldSet.list, newSet.list); err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
		res.Articles += len(batch)
		res.Added += len(adds)
		res.Removed += len(dels)
		adds = nil
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
	}
	return res, nil
}

// nativeQuad turns typed literals (dates, numbers) into native values, as
// the graph stores them.
func nativeQuad(q quad.Quad) quad.Quad {
	if ts, ok := q.Object.(quad.TypedString); ok {
		if v, err := ts.ParseValue(); err == nil {
			q.Object = v
		}
	}
	return q
}

// missingGlobals returns the unlabelled facts not stored yet. An entity that
// already has a canonical name keeps it; a different imported name becomes
// an alias.
func (s *Store) missingGlobals(ctx context.Context, globals []quad.Quad) ([]quad.Quad, error) {
	var out []quad.Quad
	seen := newQuadSet()
	for _, q := range globals {
		if q.Predicate == predName {
			names, _, err := s.quads(ctx, pattern{S: q.Subject, P: predName}, 0)
			if err != nil {
				return nil, err
			}
			if hasGlobal(names) && !hasGlobalValue(names, q.Object) {
				q.Predicate = predAlias
			}
		}
		if seen.has(q) {
			continue
		}
		seen.add(q)
		qs, _, err := s.quads(ctx, pattern{S: q.Subject, P: q.Predicate, O: q.Object}, 0)
		if err != nil {
			return nil, err
		}
		if !hasGlobal(qs) {
			out = append(out, q)
		}
	}
	return out, nil
}

func hasGlobal(qs []quad.Quad) bool {
	for _, q := range qs {
		if q.Label == nil {
			return true
		}
	}
	return false
}

func hasGlobalValue(qs []quad.Quad, v quad.Value) bool {
	for _, q := range qs {
		if q.Label == nil && quad.StringOf(q.Object) == quad.StringOf(v) {
			return true
		}
	}
	return false
}

// checkImported rejects quads the graph never holds, which would corrupt
// its counts: facts must be about IRIs, labels must be articles, and
// relation edges must join entities.
func checkImported(q quad.Quad) error {
	if iriString(q.Subject) == "" {
		return fmt.Errorf("quad %v: the subject is not an IRI", q)
	}
	if _, ok := q.Predicate.(quad.IRI); !ok {
		return fmt.Errorf("quad %v: the predicate is not an IRI", q)
	}
	if q.Label == nil {
		return nil
	}
	if !strings.HasPrefix(iriString(q.Label), "article:") {
		return fmt.Errorf("quad %v: the label is not an article IRI", q)
	}
	if isRelationEdge(q) && (!isEntityID(iriString(q.Subject)) || !isEntityID(iriString(q.Object))) {
		return fmt.Errorf("quad %v: a relation must join two entity IRIs", q)
	}
	return nil
}

// checkTyped makes sure every entity a relation joins has a type, imported
// or stored: the graph counts relations between typed entities only.
func (s *Store) checkTyped(ctx context.Context, byArticle map[string]*quadSet, globals []quad.Quad) error {
	typed := make(map[string]bool)
	for _, q := range globals {
		if q.Predicate == predType {
			typed[iriString(q.Subject)] = true
		}
	}
	for _, set := range byArticle {
		for _, q := range set.list {
			if !isRelationEdge(q) {
				continue
			}
			for _, id := range []string{iriString(q.Subject), iriString(q.Object)} {
				if typed[id] {
					continue
				}
				n, _, err := s.count(ctx, pattern{S: entityIRI(id), P: predType}, 1)
				if err != nil {
					return err
				}
				if n == 0 {
					return fmt.Errorf("quad %v: entity %s has no <type>", q, id)
				}
				typed[id] = true
			}
		}
	}
	return nil
}

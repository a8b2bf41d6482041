package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Stats would otherwise scan the whole graph, so writers keep the counts in
// one global quad, <newsgraph:stats> <counters> "{json}", updated from the
// exact differences each write applies. When the quad is missing (a store
// from before counters, or a crash between a write's transactions) the
// counts are recomputed by a scan and stored again on the next write.
var (
	statsNode    = quad.IRI("newsgraph:stats")
	predCounters = quad.IRI("counters")
)

// counters are the stored counts behind Stats (all but the quad count).
type counters struct {
	Articles   int64            `json:"articles"`
	Statements int64            `json:"statements"`
	Evidence   int64            `json:"evidence"`
	Relations  int64            `json:"relations"`
	ByType     map[string]int64 `json:"entities_by_type"`
	// Aggregates is aggregatesVersion when every entity's aggregate quads
	// are complete and current (kept since the store was empty, or rebuilt).
	Aggregates int `json:"aggregates,omitempty"`
}

// empty reports whether the counts describe an empty graph.
func (c *counters) empty() bool {
	if c.Articles != 0 || c.Statements != 0 || c.Evidence != 0 || c.Relations != 0 {
		return false
	}
	for _, n := range c.ByType {
		if n != 0 {
			return false
		}
	}
	return true
}

func (c *counters) clone() *counters {
	n := *c
	n.ByType = maps.Clone(c.ByType)
	if n.ByType == nil {
		n.ByType = make(map[string]int64)
	}
	return &n
}

func (c *counters) stats() Stats {
	st := Stats{Articles: c.Articles, Statements: c.Statements, Evidence: c.Evidence,
		Relations: c.Relations, EntitiesByType: make(map[string]int64)}
	for t, n := range c.ByType {
		if n > 0 {
			st.EntitiesByType[t] = n
			st.Entities += n
		}
	}
	return st
}

// readCounters returns the stored counters and their quad, or nil.
func (s *Store) readCounters(ctx context.Context) (*counters, quad.Quad, error) {
	qs, _, err := s.quads(ctx, pattern{S: statsNode, P: predCounters}, 2)
	if err != nil {
		return nil, quad.Quad{}, fmt.Errorf("read counters: %w", err)
	}
	if len(qs) != 1 {
		return nil, quad.Quad{}, nil
	}
	var c counters
	if err := json.Unmarshal([]byte(plainString(qs[0].Object)), &c); err != nil {
		return nil, quad.Quad{}, nil // unreadable: recount
	}
	if c.ByType == nil {
		c.ByType = make(map[string]int64)
	}
	return &c, qs[0], nil
}

// baseCounters returns the stored counters and their quad (nil when they
// were missing and have been recounted).
func (s *Store) baseCounters(ctx context.Context) (*counters, *quad.Quad, error) {
	c, q, err := s.readCounters(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c != nil {
		return c, &q, nil
	}
	st, err := s.recount(ctx)
	if err != nil {
		return nil, nil, err
	}
	return &counters{Articles: st.Articles, Statements: st.Statements, Evidence: st.Evidence,
		Relations: st.Relations, ByType: maps.Clone(st.EntitiesByType)}, nil, nil
}

// writeCounters replaces the stored counters quad (or all of them, if
// several crept in). Deleting and adding in one call is safe here: every
// node of the added quad gains at least as many quads as it loses.
func (s *Store) writeCounters(ctx context.Context, c *counters) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode counters: %w", err)
	}
	next := quad.Make(statsNode, predCounters, quad.String(string(b)), nil)
	old, _, err := s.quads(ctx, pattern{S: statsNode, P: predCounters}, 0)
	if err != nil {
		return fmt.Errorf("read counters: %w", err)
	}
	var deltas []cgraph.Delta
	for _, q := range old {
		if quadKey(q) == quadKey(next) {
			if len(old) == 1 {
				return nil // unchanged
			}
			continue
		}
		deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Delete})
	}
	deltas = append(deltas, cgraph.Delta{Quad: next, Action: cgraph.Add})
	if err := s.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return fmt.Errorf("write counters: %w", err)
	}
	return nil
}

// vocabulary holds the predicates that are not entity→entity relations.
var vocabulary = map[quad.IRI]bool{
	predType: true, predName: true, predAlias: true, predWikidata: true, predLookup: true,
	predURL: true, predTitle: true, predPublished: true, predSite: true, predLanguage: true,
	predByline: true, predContentHash: true, predMentions: true, predSpeaker: true, predText: true,
	predAbout: true, predArticle: true, predSubject: true, predPredicate: true, predObject: true,
	predSentence: true, predConfidence: true, predEntityType: true, predRelationPred: true,
	predCounters: true, predAggMentions: true, predAggRelations: true,
}

// isRelationEdge reports whether q is a direct entity→entity edge.
func isRelationEdge(q quad.Quad) bool {
	p, ok := q.Predicate.(quad.IRI)
	return ok && q.Label != nil && !vocabulary[p]
}

// countTypes adds sign × the typed nodes among quads to c.
func (c *counters) countTypes(quads []quad.Quad, sign int64) {
	for _, q := range quads {
		if q.Predicate != predType {
			continue
		}
		t := plainString(q.Object)
		if q.Label == nil {
			c.ByType[t] += sign
			continue
		}
		switch t {
		case typeArticle:
			c.Articles += sign
		case typeStatement:
			c.Statements += sign
		case typeEvidence:
			c.Evidence += sign
		}
	}
}

// edgeKeys lists the distinct subject-predicate-object triples of the
// relation edges among quads.
func edgeKeys(lists ...[]quad.Quad) []quad.Quad {
	seen := make(map[string]bool)
	var out []quad.Quad
	for _, l := range lists {
		for _, q := range l {
			if !isRelationEdge(q) {
				continue
			}
			t := quad.Make(q.Subject, q.Predicate, q.Object, nil)
			if k := quadKey(t); !seen[k] {
				seen[k] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// countExisting counts the triples with at least one supporting edge.
func (s *Store) countExisting(ctx context.Context, triples []quad.Quad) (int64, error) {
	var n int64
	for _, t := range triples {
		c, _, err := s.count(ctx, pattern{S: t.Subject, P: t.Predicate, O: t.Object}, 1)
		if err != nil {
			return 0, fmt.Errorf("count relation edges: %w", err)
		}
		n += c
	}
	return n, nil
}

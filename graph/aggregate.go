package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Per-entity aggregates make profiles, related lists and path searches
// independent of how many articles mention an entity. Each entity has up
// to two unlabelled quads, kept current by every write:
//
//	<E> <newsgraph:mentions>  "{"n":…, "first":…, "last":…}"
//	<E> <newsgraph:relations> "out\tsues\tvendor:x\t3\tarticle:…\t1712145600000000000\n…"
//
// The relations aggregate is one line per direction, predicate and
// partner (count, latest article, its time): a hub's value holds thousands
// of lines, and this form decodes several times faster than JSON.
// n counts articles, first/last/t are publication times (Unix ns, 0 when
// unknown) and a is the latest supporting article. Writes apply the
// difference between an article's old and new facts; only when the
// article holding an extreme (first, last or latest) goes away is the value
// recomputed from the graph. The counters record (Aggregates) whether the
// aggregates are complete; stores written before them fall back to walks
// until RebuildAggregates.
var (
	predAggMentions  = quad.IRI("newsgraph:mentions")
	predAggRelations = quad.IRI("newsgraph:relations")
)

// aggregatesVersion is the layout of the aggregate quads.
const aggregatesVersion = 2

func init() {
	derivedPredicates[predAggMentions] = true
	derivedPredicates[predAggRelations] = true
}

type mentionAgg struct {
	N     int64 `json:"n"`
	First int64 `json:"first,omitempty"`
	Last  int64 `json:"last,omitempty"`
}

type groupAgg struct {
	N      int64  `json:"n"`
	Latest string `json:"a,omitempty"`
	T      int64  `json:"t,omitempty"`
}

// relationAgg maps direction ("out", "in") → predicate → partner id.
type relationAgg map[string]map[string]map[string]*groupAgg

func (r relationAgg) group(dir, pred, other string, create bool) *groupAgg {
	byPred, ok := r[dir]
	if !ok {
		if !create {
			return nil
		}
		byPred = make(map[string]map[string]*groupAgg)
		r[dir] = byPred
	}
	byOther, ok := byPred[pred]
	if !ok {
		if !create {
			return nil
		}
		byOther = make(map[string]*groupAgg)
		byPred[pred] = byOther
	}
	g, ok := byOther[other]
	if !ok && create {
		g = &groupAgg{}
		byOther[other] = g
	}
	return g
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// aggregatesOn reports whether the stored aggregates are complete. The
// answer is cached until the next write.
func (s *Store) aggregatesOn(ctx context.Context) (bool, error) {
	switch s.aggState.Load() {
	case aggOn:
		return true, nil
	case aggOff:
		return false, nil
	}
	c, _, err := s.readCounters(ctx)
	if err != nil {
		return false, err
	}
	on := c != nil && c.Aggregates == aggregatesVersion
	if on {
		s.aggState.Store(aggOn)
	} else {
		s.aggState.Store(aggOff)
	}
	return on, nil
}

// Values of Store.aggState.
const (
	aggUnknown int32 = iota
	aggOn
	aggOff
)

// readAgg decodes the aggregate quad pred of entity id into v; ok is false
// when there is none.
func (s *Store) readAgg(ctx context.Context, id string, pred quad.IRI, v any) (quad.Quad, bool, error) {
	qs, _, err := s.quads(ctx, pattern{S: entityIRI(id), P: pred}, 2)
	if err != nil {
		return quad.Quad{}, false, fmt.Errorf("read aggregate of %s: %w", id, err)
	}
	if len(qs) == 0 {
		return quad.Quad{}, false, nil
	}
	text := plainString(qs[0].Object)
	var derr error
	if rel, ok := v.(*relationAgg); ok {
		derr = eachRelationLine(text, func(dir, pred, other string, g groupAgg) {
			*rel.group(dir, pred, other, true) = g
		})
	} else {
		derr = json.Unmarshal([]byte(text), v)
	}
	if derr != nil {
		return quad.Quad{}, false, fmt.Errorf("decode aggregate of %s: %w", id, derr)
	}
	return qs[0], true, nil
}

// encode writes the relations aggregate, one sorted line per group.
func (r relationAgg) encode() string {
	var lines []string
	for dir, byPred := range r {
		for pred, byOther := range byPred {
			for other, g := range byOther {
				lines = append(lines, dir+"\t"+pred+"\t"+other+"\t"+strconv.FormatInt(g.N, 10)+"\t"+g.Latest+"\t"+strconv.FormatInt(g.T, 10))
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// eachRelationLine decodes a relations aggregate.
func eachRelationLine(text string, fn func(dir, pred, other string, g groupAgg)) error {
	for text != "" {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		var f [6]string
		for k := 0; k < 5; k++ {
			i := strings.IndexByte(line, '\t')
			if i < 0 {
				return fmt.Errorf("bad relations line %q", line)
			}
			f[k], line = line[:i], line[i+1:]
		}
		f[5] = line
		n, err1 := strconv.ParseInt(f[3], 10, 64)
		t, err2 := strconv.ParseInt(f[5], 10, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad relations counts %q %q", f[3], f[5])
		}
		fn(f[0], f[1], f[2], groupAgg{N: n, Latest: f[4], T: t})
	}
	return nil
}

// contribution is one article's part in an aggregate.
type contribution struct {
	article string
	t       int64
}

// factContributions reads, from article-labelled facts, each entity's
// mentions and each relation triple's support, with the articles' dates.
func factContributions(facts []quad.Quad) (mentions map[string]map[contribution]bool, triples map[[3]string]map[contribution]bool) {
	dates := make(map[string]int64)
	for _, q := range facts {
		if q.Predicate == predPublished && iriString(q.Subject) == iriString(q.Label) {
			if t, ok := q.Object.(quad.Time); ok {
				dates[iriString(q.Label)] = time.Time(t).UnixNano()
			}
		}
	}
	mentions = make(map[string]map[contribution]bool)
	triples = make(map[[3]string]map[contribution]bool)
	for _, q := range facts {
		a := iriString(q.Label)
		c := contribution{a, dates[a]}
		switch {
		case q.Predicate == predMentions:
			e := iriString(q.Object)
			if mentions[e] == nil {
				mentions[e] = make(map[contribution]bool)
			}
			mentions[e][c] = true
		case isRelationEdge(q):
			k := [3]string{iriString(q.Subject), iriString(q.Predicate), iriString(q.Object)}
			if triples[k] == nil {
				triples[k] = make(map[contribution]bool)
			}
			triples[k][c] = true
		}
	}
	return mentions, triples
}

// diff returns the contributions only in old and only in new.
func diff(old, new map[contribution]bool) (gone, added []contribution) {
	for c := range old {
		if !new[c] {
			gone = append(gone, c)
		}
	}
	for c := range new {
		if !old[c] {
			added = append(added, c)
		}
	}
	return gone, added
}

// entityAggs are the aggregates of one entity being updated.
type entityAggs struct {
	mentions    mentionAgg
	relations   relationAgg
	oldM, oldR  *quad.Quad
	recountM    bool
	recountRels [][3]string // triples to recount
	touchedM    bool
	touchedR    bool
}

// updateAggregates applies the difference between old and new article
// facts (already written) to the aggregates of the entities involved.
func (s *Store) updateAggregates(ctx context.Context, oldFacts, newFacts []quad.Quad) error {
	oldM, oldT := factContributions(oldFacts)
	newM, newT := factContributions(newFacts)
	aggs := make(map[string]*entityAggs)
	load := func(id string) (*entityAggs, error) {
		if a, ok := aggs[id]; ok {
			return a, nil
		}
		a := &entityAggs{relations: relationAgg{}}
		qm, ok, err := s.readAgg(ctx, id, predAggMentions, &a.mentions)
		if err != nil {
			return nil, err
		}
		if ok {
			a.oldM = &qm
		}
		qr, ok, err := s.readAgg(ctx, id, predAggRelations, &a.relations)
		if err != nil {
			return nil, err
		}
		if ok {
			a.oldR = &qr
		}
		aggs[id] = a
		return a, nil
	}
	entities := make(map[string]bool)
	for e := range oldM {
		entities[e] = true
	}
	for e := range newM {
		entities[e] = true
	}
	for e := range entities {
		gone, added := diff(oldM[e], newM[e])
		if len(gone) == 0 && len(added) == 0 {
			continue
		}
		a, err := load(e)
		if err != nil {
			return err
		}
		a.touchedM = true
		m := &a.mentions
		for _, c := range gone {
			m.N--
			if c.t != 0 && (c.t == m.First || c.t == m.Last) {
				a.recountM = true
			}
		}
		for _, c := range added {
			m.N++
			if c.t != 0 {
				if m.First == 0 || c.t < m.First {
					m.First = c.t
				}
				if c.t > m.Last {
					m.Last = c.t
				}
			}
		}
	}
	triples := make(map[[3]string]bool)
	for k := range oldT {
		triples[k] = true
	}
	for k := range newT {
		triples[k] = true
	}
	for k := range triples {
		gone, added := diff(oldT[k], newT[k])
		if len(gone) == 0 && len(added) == 0 {
			continue
		}
		for _, side := range []struct{ id, dir, other string }{{k[0], "out", k[2]}, {k[2], "in", k[0]}} {
			a, err := load(side.id)
			if err != nil {
				return err
			}
			a.touchedR = true
			g := a.relations.group(side.dir, k[1], side.other, true)
			recount := false
			for _, c := range gone {
				g.N--
				if c.article == g.Latest {
					recount = true
				}
			}
			for _, c := range added {
				g.N++
				if g.Latest == "" || c.t > g.T || (c.t == g.T && c.article < g.Latest) {
					g.Latest, g.T = c.article, c.t
				}
			}
			if recount {
				a.recountRels = append(a.recountRels, k)
			}
		}
	}

	// Recount what lost an extreme, then write.
	ids := make([]string, 0, len(aggs))
	for id := range aggs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var dels, adds []cgraph.Delta
	for _, id := range ids {
		a := aggs[id]
		if a.recountM {
			m, err := s.countMentions(ctx, id)
			if err != nil {
				return err
			}
			a.mentions = m
		}
		for _, k := range a.recountRels {
			g, err := s.countTriple(ctx, k)
			if err != nil {
				return err
			}
			dir, other := "out", k[2]
			if k[0] != id {
				dir, other = "in", k[0]
			}
			*a.relations.group(dir, k[1], other, true) = g
		}
		// Drop empty groups.
		for dir, byPred := range a.relations {
			for pred, byOther := range byPred {
				for other, g := range byOther {
					if g.N <= 0 {
						delete(byOther, other)
					}
				}
				if len(byOther) == 0 {
					delete(byPred, pred)
				}
			}
			if len(byPred) == 0 {
				delete(a.relations, dir)
			}
		}
		E := entityIRI(id)
		if a.touchedM {
			if a.oldM != nil {
				dels = append(dels, cgraph.Delta{Quad: *a.oldM, Action: cgraph.Delete})
			}
			if a.mentions.N > 0 {
				b, _ := json.Marshal(a.mentions)
				adds = append(adds, cgraph.Delta{Quad: quad.Make(E, predAggMentions, quad.String(b), nil), Action: cgraph.Add})
			}
		}
		if a.touchedR {
			if a.oldR != nil {
				dels = append(dels, cgraph.Delta{Quad: *a.oldR, Action: cgraph.Delete})
			}
			if len(a.relations) > 0 {
				adds = append(adds, cgraph.Delta{Quad: quad.Make(E, predAggRelations, quad.String(a.relations.encode()), nil), Action: cgraph.Add})
			}
		}
	}
	if err := s.apply(dels, adds); err != nil {
		return fmt.Errorf("write aggregates: %w", err)
	}
	return nil
}

// countMentions computes an entity's mention aggregate by a full walk.
func (s *Store) countMentions(ctx context.Context, id string) (mentionAgg, error) {
	var m mentionAgg
	var arts []cgraph.Ref
	_, err := s.scanRefs(ctx, pattern{O: entityIRI(id), P: predMentions}, 0, func(r cgraph.Ref) error {
		a, err := s.qs.QuadDirection(r, quad.Subject)
		arts = append(arts, a)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("count mentions of %s: %w", id, err)
	}
	dates, err := s.newArticleDates()
	if err != nil {
		return m, err
	}
	if err := dates.of(ctx, arts); err != nil {
		return m, err
	}
	m.N = int64(len(arts))
	m.addDates(arts, dates)
	return m, nil
}

// countTriple computes the support of subject-predicate-object by a walk
// of its edges.
func (s *Store) countTriple(ctx context.Context, k [3]string) (groupAgg, error) {
	var g groupAgg
	var arts []cgraph.Ref
	_, err := s.scanRefs(ctx, pattern{S: entityIRI(k[0]), P: relationIRI(k[1]), O: entityIRI(k[2])}, 0, func(r cgraph.Ref) error {
		l, err := s.qs.QuadDirection(r, quad.Label)
		if err != nil || l == nil {
			return err
		}
		arts = append(arts, l)
		return nil
	})
	if err != nil {
		return g, fmt.Errorf("count %v: %w", k, err)
	}
	dates, err := s.newArticleDates()
	if err != nil {
		return g, err
	}
	if err := dates.of(ctx, arts); err != nil {
		return g, err
	}
	vals, err := cgraph.ValuesOf(ctx, s.qs, arts)
	if err != nil {
		return g, fmt.Errorf("count %v: %w", k, err)
	}
	for i, a := range arts {
		g.N++
		t, id := unixNano(dates.get(a)), iriString(vals[i])
		if g.Latest == "" || t > g.T || (t == g.T && id < g.Latest) {
			g.Latest, g.T = id, t
		}
	}
	return g, nil
}

// aggregateGroups returns an entity's relation groups from its aggregate.
func (s *Store) aggregateGroups(ctx context.Context, id string, f relFilter) ([]*relGroup, error) {
	qs, _, err := s.quads(ctx, pattern{S: entityIRI(id), P: predAggRelations}, 1)
	if err != nil || len(qs) == 0 {
		return nil, err
	}
	var wantPred map[string]bool
	if f.preds != nil {
		wantPred = make(map[string]bool)
		for _, p := range f.preds {
			wantPred[p] = true
		}
	}
	var out []*relGroup
	err = eachRelationLine(plainString(qs[0].Object), func(dir, pred, other string, g groupAgg) {
		if (wantPred != nil && !wantPred[pred]) || (f.dirs != nil && !slices.Contains(f.dirs, dir)) {
			return
		}
		out = append(out, &relGroup{pred: pred, dir: dir, other: other, articles: int(g.N), latest: g.Latest, latestT: fromUnixNano(g.T)})
	})
	if err != nil {
		return nil, fmt.Errorf("decode aggregate of %s: %w", id, err)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.pred != b.pred {
			return a.pred < b.pred
		}
		if a.dir != b.dir {
			return a.dir == "out"
		}
		return a.other < b.other
	})
	return out, nil
}

// RebuildAggregates recomputes every entity's aggregates by walking the
// graph (time linear in its size) and marks them complete. Stores written
// before aggregates existed need it once; until then queries walk edges.
func (s *Store) RebuildAggregates(ctx context.Context) error {
	unlock, err := s.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	defer unlock()
	base, stored, err := s.baseCounters(ctx)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	types, err := s.entityTypes(ctx)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	preds, err := s.relationPredicates(ctx)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	var ids []string
	for _, t := range types {
		qs, _, err := s.quads(ctx, pattern{O: quad.String(t), P: predType}, 0)
		if err != nil {
			return fmt.Errorf("rebuild aggregates: %w", err)
		}
		for _, q := range qs {
			if q.Label == nil {
				ids = append(ids, iriString(q.Subject))
			}
		}
	}
	if stored != nil { // a crash from here on leaves no counters, hence no claim of complete aggregates
		if err := s.qs.ApplyDeltas([]cgraph.Delta{{Quad: *stored, Action: cgraph.Delete}}, cgraph.IgnoreOpts{IgnoreMissing: true}); err != nil {
			return fmt.Errorf("rebuild aggregates: %w", err)
		}
	}
	var dels, adds []cgraph.Delta
	for _, id := range ids {
		for _, p := range []quad.IRI{predAggMentions, predAggRelations} {
			old, _, err := s.quads(ctx, pattern{S: entityIRI(id), P: p}, 0)
			if err != nil {
				return fmt.Errorf("rebuild aggregates: %w", err)
			}
			dels = append(dels, deltas(old, cgraph.Delete)...)
		}
		m, err := s.countMentions(ctx, id)
		if err != nil {
			return fmt.Errorf("rebuild aggregates: %w", err)
		}
		if m.N > 0 {
			b, _ := json.Marshal(m)
			adds = append(adds, cgraph.Delta{Quad: quad.Make(entityIRI(id), predAggMentions, quad.String(b), nil), Action: cgraph.Add})
		}
		saved := s.hubLimit
		s.hubLimit = 0 // walk every edge
		groups, _, err := s.walkRelations(ctx, id, relFilter{preds: preds})
		s.hubLimit = saved
		if err != nil {
			return fmt.Errorf("rebuild aggregates: %w", err)
		}
		rel := relationAgg{}
		for _, g := range groups {
			*rel.group(g.dir, g.pred, g.other, true) = groupAgg{N: int64(g.articles), Latest: g.latest, T: unixNano(g.latestT)}
		}
		if len(rel) > 0 {
			adds = append(adds, cgraph.Delta{Quad: quad.Make(entityIRI(id), predAggRelations, quad.String(rel.encode()), nil), Action: cgraph.Add})
		}
	}
	if err := s.apply(dels, adds); err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	c := base.clone()
	c.Aggregates = aggregatesVersion
	if err := s.writeCounters(context.WithoutCancel(ctx), c); err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	return nil
}

// addDates widens the first and last dates to those of the given articles.
func (m *mentionAgg) addDates(arts []cgraph.Ref, dates *articleDates) {
	for _, a := range arts {
		t := unixNano(dates.get(a))
		if t == 0 {
			continue
		}
		if m.First == 0 || t < m.First {
			m.First = t
		}
		if t > m.Last {
			m.Last = t
		}
	}
}

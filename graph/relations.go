package graph

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// relGroup is one relation of an entity with a partner: all direct edges
// of one predicate and direction, one per supporting article.
type relGroup struct {
	pred, dir string
	other     string // partner entity id
	articles  int    // supporting articles (within the date window, if any)
	latest    string // id of the latest supporting article
	latestT   time.Time
}

// relFilter restricts a relation walk.
type relFilter struct {
	preds        []string // nil: every predicate in use
	dirs         []string // nil: "out" and "in"
	since, until time.Time
}

func (f relFilter) dated() bool { return !f.since.IsZero() || !f.until.IsZero() }

// inWindow reports whether t falls in [since, until]; undated support never
// matches a window.
func inWindow(t, since, until time.Time) bool {
	if since.IsZero() && until.IsZero() {
		return true
	}
	if t.IsZero() {
		return false
	}
	return (since.IsZero() || !t.Before(since)) && (until.IsZero() || !t.After(until))
}

// walkRelations groups the direct edges of entity id by predicate,
// direction and partner, walking at most the hub limit of edges per
// predicate and direction (truncated reports a stop).
func (s *Store) walkRelations(ctx context.Context, id string, f relFilter) ([]*relGroup, bool, error) {
	E := entityIRI(id)
	preds := f.preds
	if preds == nil {
		var err error
		if preds, err = s.relationPredicates(ctx); err != nil {
			return nil, false, err
		}
	}
	dirs := f.dirs
	if dirs == nil {
		dirs = []string{"out", "in"}
	}
	type edge struct {
		pred, dir string
		other     cgraph.Ref
		article   cgraph.Ref
	}
	var edges []edge
	truncated := false
	for _, pred := range preds {
		for _, dir := range dirs {
			p, otherDir := pattern{S: E, P: relationIRI(pred)}, quad.Object
			if dir == "in" {
				p, otherDir = pattern{O: E, P: relationIRI(pred)}, quad.Subject
			}
			trunc, err := s.scanRefs(ctx, p, s.hubLimit, func(r cgraph.Ref) error {
				l, err := s.qs.QuadDirection(r, quad.Label)
				if err != nil || l == nil {
					return err
				}
				other, err := s.qs.QuadDirection(r, otherDir)
				if err != nil {
					return err
				}
				edges = append(edges, edge{pred: pred, dir: dir, other: other, article: l})
				return nil
			})
			if err != nil {
				return nil, false, fmt.Errorf("walk %s relations: %w", pred, err)
			}
			truncated = truncated || trunc
		}
	}
	dates, err := s.newArticleDates()
	if err != nil {
		return nil, false, err
	}
	arts := make([]cgraph.Ref, 0, len(edges))
	for _, e := range edges {
		arts = append(arts, e.article)
	}
	if err := dates.of(ctx, arts); err != nil {
		return nil, false, err
	}
	type key struct {
		pred, dir string
		other     any
	}
	groups := make(map[key]int)
	var list []*relGroup
	var otherRefs, latestRefs []cgraph.Ref // per group: partner and latest article
	for _, e := range edges {
		t := dates.get(e.article)
		if f.dated() && !inWindow(t, f.since, f.until) {
			continue
		}
		k := key{e.pred, e.dir, refs.ToKey(e.other)}
		i, ok := groups[k]
		if !ok {
			i = len(list)
			groups[k] = i
			list = append(list, &relGroup{pred: e.pred, dir: e.dir})
			otherRefs = append(otherRefs, e.other)
			latestRefs = append(latestRefs, nil)
		}
		g := list[i]
		g.articles++
		if latestRefs[i] == nil || t.After(g.latestT) {
			latestRefs[i], g.latestT = e.article, t
		}
	}
	vals, err := cgraph.ValuesOf(ctx, s.qs, append(slices.Clone(otherRefs), latestRefs...))
	if err != nil {
		return nil, false, fmt.Errorf("read related entities: %w", err)
	}
	for i, g := range list {
		g.other = iriString(vals[i])
		g.latest = iriString(vals[len(list)+i])
	}
	return list, truncated, nil
}

// relationGroups returns the relations of entity id (see walkRelations).
// With complete aggregates and no date window it reads them instead.
func (s *Store) relationGroups(ctx context.Context, id string, f relFilter) ([]*relGroup, bool, error) {
	if !f.dated() {
		on, err := s.aggregatesOn(ctx)
		if err != nil {
			return nil, false, err
		}
		if on {
			groups, err := s.aggregateGroups(ctx, id, f)
			return groups, false, err
		}
	}
	return s.walkRelations(ctx, id, f)
}

// rankGroups sorts groups by predicate (schema order), direction (out
// first), support (most first) and partner id.
func rankGroups(list []*relGroup, preds []string) {
	rank := make(map[string]int)
	for i, p := range preds {
		rank[p] = i
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.pred != b.pred {
			ra, oka := rank[a.pred]
			rb, okb := rank[b.pred]
			if oka != okb {
				return oka
			}
			if ra != rb {
				return ra < rb
			}
			return a.pred < b.pred
		}
		if a.dir != b.dir {
			return a.dir == "out"
		}
		if a.articles != b.articles {
			return a.articles > b.articles
		}
		return a.other < b.other
	})
}

// describer names entities and articles for display, reading each once.
type describer struct {
	s        *Store
	entities map[string]model.Entity
	articles map[string]*ArticleRef
}

func (s *Store) newDescriber() *describer {
	return &describer{s: s, entities: make(map[string]model.Entity), articles: make(map[string]*ArticleRef)}
}

func (d *describer) entity(ctx context.Context, id string) (model.Entity, error) {
	if e, ok := d.entities[id]; ok {
		return e, nil
	}
	e, err := d.s.entityHeader(ctx, id)
	if err != nil {
		return e, err
	}
	d.entities[id] = e
	return e, nil
}

func (d *describer) ref(ctx context.Context, id string) (EntityRef, error) {
	e, err := d.entity(ctx, id)
	return EntityRef{ID: e.ID, Type: string(e.Type), Name: e.Name}, err
}

func (d *describer) article(ctx context.Context, id string) (*ArticleRef, error) {
	if a, ok := d.articles[id]; ok {
		return a, nil
	}
	a, err := d.s.articleRef(ctx, id)
	if err != nil {
		return nil, err
	}
	d.articles[id] = &a
	return &a, nil
}

// relation turns a group into a ProfileRelation with partner and latest
// article described.
func (d *describer) relation(ctx context.Context, g *relGroup) (ProfileRelation, error) {
	r := ProfileRelation{Predicate: g.pred, Direction: g.dir, Evidence: g.articles}
	var err error
	if r.Other, err = d.entity(ctx, g.other); err != nil {
		return r, err
	}
	if g.latest != "" {
		if r.Latest, err = d.article(ctx, g.latest); err != nil {
			return r, err
		}
	}
	return r, nil
}

// EntityRef names an entity in query results.
type EntityRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// RelatedOptions filter Related. Zero values select everything.
type RelatedOptions struct {
	Predicates []string  // only these relation predicates
	Types      []string  // only partners of these entity types
	Direction  string    // "out" (entity → partner), "in" (partner → entity) or "" for both
	Since      time.Time // only support published at or after this instant
	Until      time.Time // only support published at or before this instant
	Limit      int       // at most this many relations, best supported first; <= 0: all
}

// Related lists the entities related to entity id by a direct relation,
// each with the predicate, direction, number of supporting articles and the
// latest of them, best supported first. With a date window only support
// published inside it counts. The walk through a hub stops at the hub limit.
func (s *Store) Related(ctx context.Context, id string, opt RelatedOptions) ([]ProfileRelation, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("related %s: %w", id, err)
	}
	defer unlock()
	if _, ok, err := s.loadEntity(ctx, id); err != nil {
		return nil, fmt.Errorf("related %s: %w", id, err)
	} else if !ok {
		return nil, fmt.Errorf("related %s: %w", id, ErrNotFound)
	}
	f := relFilter{preds: opt.Predicates, since: opt.Since, until: opt.Until}
	switch opt.Direction {
	case "":
	case "out", "in":
		f.dirs = []string{opt.Direction}
	default:
		return nil, fmt.Errorf("related %s: direction %q (want out, in or empty)", id, opt.Direction)
	}
	groups, _, err := s.relationGroups(ctx, id, f)
	if err != nil {
		return nil, fmt.Errorf("related %s: %w", id, err)
	}
	var kept []*relGroup
	for _, g := range groups {
		if len(opt.Types) > 0 && !slices.Contains(opt.Types, string(model.TypeOfID(g.other))) {
			continue
		}
		kept = append(kept, g)
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.articles != b.articles {
			return a.articles > b.articles
		}
		if !a.latestT.Equal(b.latestT) {
			return a.latestT.After(b.latestT)
		}
		if a.pred != b.pred {
			return a.pred < b.pred
		}
		if a.dir != b.dir {
			return a.dir == "out"
		}
		return a.other < b.other
	})
	if opt.Limit > 0 && len(kept) > opt.Limit {
		kept = kept[:opt.Limit]
	}
	d := s.newDescriber()
	out := make([]ProfileRelation, 0, len(kept))
	for _, g := range kept {
		r, err := d.relation(ctx, g)
		if err != nil {
			return nil, fmt.Errorf("related %s: %w", id, err)
		}
		if len(opt.Types) > 0 && !slices.Contains(opt.Types, string(r.Other.Type)) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

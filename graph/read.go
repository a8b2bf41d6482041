package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Stats counts what the graph holds.
type Stats struct {
	Articles       int64            `json:"articles"`
	Entities       int64            `json:"entities"`
	Relations      int64            `json:"relations"` // distinct subject-predicate-object edges between entities
	Statements     int64            `json:"statements"`
	Quads          int64            `json:"quads"`
	EntitiesByType map[string]int64 `json:"entities_by_type"`
	Evidence       int64            `json:"evidence"` // relation readings (one per sentence and article)
}

// Profile is an entity with its coverage and relations.
type Profile struct {
	model.Entity
	Articles  int               `json:"articles"`
	FirstSeen time.Time         `json:"first_seen,omitzero"`
	LastSeen  time.Time         `json:"last_seen,omitzero"`
	Relations []ProfileRelation `json:"relations"`
	// Truncated reports that a walk through this node stopped at the hub
	// limit: counts and dates cover only the edges walked.
	Truncated bool `json:"truncated,omitempty"`
	// RelationsOmitted counts the less supported relations left out beyond
	// Options.MaxRelations per predicate and direction.
	RelationsOmitted int `json:"relations_omitted,omitempty"`
}

// ProfileRelation is one relation of a profiled entity with another entity.
type ProfileRelation struct {
	Predicate string       `json:"predicate"`
	Direction string       `json:"direction"` // "out": entity → other; "in": other → entity
	Other     model.Entity `json:"other"`
	Evidence  int          `json:"evidence"` // articles supporting the relation
	Latest    *ArticleRef  `json:"latest,omitempty"`
}

// ArticleRef identifies an article for display.
type ArticleRef struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Site      string    `json:"site"`
	Published time.Time `json:"published,omitzero"`
}

// EvidenceItem is one sentence supporting a relation.
type EvidenceItem struct {
	Sentence   string     `json:"sentence"`
	Confidence float64    `json:"confidence"`
	Article    ArticleRef `json:"article"`
}

// loadEntity reads an entity's global facts. ok is false when the graph
// holds neither a type nor a name for id.
func (s *Store) loadEntity(ctx context.Context, id string) (e model.Entity, ok bool, err error) {
	E := entityIRI(id)
	e = model.Entity{ID: id, Aliases: []string{}}
	for _, p := range []quad.IRI{predType, predName, predAlias, predWikidata} {
		qs, _, err := s.quads(ctx, pattern{S: E, P: p}, 0)
		if err != nil {
			return e, false, fmt.Errorf("read entity %s: %w", id, err)
		}
		var vals []string
		for _, q := range qs {
			if q.Label == nil {
				vals = append(vals, plainString(q.Object))
			}
		}
		if len(vals) == 0 {
			continue
		}
		sort.Strings(vals)
		switch p {
		case predType:
			e.Type = model.EntityType(vals[0])
		case predName:
			e.Name = vals[0]
		case predAlias:
			e.Aliases = vals
		case predWikidata:
			e.Wikidata = vals[0]
		}
	}
	if e.Type == "" {
		e.Type = model.TypeOfID(id)
		return e, e.Name != "", nil
	}
	return e, true, nil
}

// Resolve finds entities by id ("agency:bsi"), canonical name or alias,
// case-insensitively. No match gives ErrNotFound; several matches are
// returned for the caller to disambiguate (most mentioned first).
func (s *Store) Resolve(ctx context.Context, nameOrID string) ([]model.Entity, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", nameOrID, err)
	}
	defer unlock()
	q := strings.TrimSpace(nameOrID)
	if q == "" {
		return nil, fmt.Errorf("resolve %q: %w", nameOrID, ErrNotFound)
	}
	var ids []string
	seen := make(map[string]bool)
	if strings.Contains(q, ":") {
		id := strings.ToLower(q)
		if _, ok, err := s.loadEntity(ctx, id); err != nil {
			return nil, fmt.Errorf("resolve %q: %w", nameOrID, err)
		} else if ok {
			ids = append(ids, id)
			seen[id] = true
		}
	}
	_, err = s.scanRefs(ctx, pattern{O: quad.String(lookupKey(q)), P: predLookup}, 0, func(r cgraph.Ref) error {
		v, err := s.nodeOf(r, quad.Subject)
		if err != nil {
			return err
		}
		if id := iriString(v); id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", nameOrID, err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("resolve %q: %w", nameOrID, ErrNotFound)
	}
	out := make([]model.Entity, 0, len(ids))
	for _, id := range ids {
		e, _, err := s.loadEntity(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("resolve %q: %w", nameOrID, err)
		}
		m, _, err := s.mentionCount(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("resolve %q: %w", nameOrID, err)
		}
		e.Mentions = int(m)
		out = append(out, e)
	}
	if len(out) > 1 {
		exact := out[0].ID == strings.ToLower(q)
		rest := out
		if exact {
			rest = out[1:]
		}
		sort.SliceStable(rest, func(i, j int) bool {
			if rest[i].Mentions != rest[j].Mentions {
				return rest[i].Mentions > rest[j].Mentions
			}
			return rest[i].ID < rest[j].ID
		})
	}
	return out, nil
}

// nodeOf returns the value in one direction of a quad ref.
func (s *Store) nodeOf(r cgraph.Ref, d quad.Direction) (quad.Value, error) {
	n, err := s.qs.QuadDirection(r, d)
	if err != nil || n == nil {
		return nil, err
	}
	return s.qs.NameOf(n)
}

// articleDates memoises the publication dates of articles by node ref.
type articleDates struct {
	s     *Store
	pred  cgraph.Ref // ref of <published>; nil when no article has a date
	dates map[any]time.Time
}

func (s *Store) newArticleDates() (*articleDates, error) {
	r, err := s.vocabRef(predPublished)
	if err != nil {
		return nil, fmt.Errorf("look up %v: %w", predPublished, err)
	}
	return &articleDates{s: s, pred: r, dates: make(map[any]time.Time)}, nil
}

// of returns the publication dates of article nodes, reading the unknown
// ones in one batch.
func (a *articleDates) of(ctx context.Context, articles []cgraph.Ref) error {
	if a.pred == nil {
		return nil
	}
	var objs []cgraph.Ref
	var keys []any
	for _, art := range articles {
		k := refs.ToKey(art)
		if _, ok := a.dates[k]; ok {
			continue
		}
		a.dates[k] = time.Time{}
		_, err := a.s.scanWants(ctx, []dirRef{{quad.Subject, art}, {quad.Predicate, a.pred}}, 1, func(r cgraph.Ref) error {
			o, err := a.s.qs.QuadDirection(r, quad.Object)
			if err != nil {
				return err
			}
			objs = append(objs, o)
			keys = append(keys, k)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read publication date: %w", err)
		}
	}
	vals, err := cgraph.ValuesOf(ctx, a.s.qs, objs)
	if err != nil {
		return fmt.Errorf("read publication dates: %w", err)
	}
	for i, v := range vals {
		if t, ok := v.(quad.Time); ok {
			a.dates[keys[i]] = time.Time(t)
		}
	}
	return nil
}

func (a *articleDates) get(r cgraph.Ref) time.Time { return a.dates[refs.ToKey(r)] }

// articleRef reads the display facts of an article in one subject scan,
// reading the values of the wanted facts only.
func (s *Store) articleRef(ctx context.Context, id string) (ArticleRef, error) {
	ref := ArticleRef{ID: id}
	vals, err := s.objectsOf(ctx, articleIRI(id), predURL, predTitle, predSite, predPublished)
	if err != nil {
		return ref, fmt.Errorf("read article %s: %w", id, err)
	}
	ref.URL = plainString(vals[predURL])
	ref.Title = plainString(vals[predTitle])
	ref.Site = plainString(vals[predSite])
	if t, ok := vals[predPublished].(quad.Time); ok {
		ref.Published = time.Time(t)
	}
	return ref, nil
}

// objectsOf scans a node's out-quads once and returns the object of each
// wanted predicate (the first one met). Only for nodes with few out-quads
// (articles, statements, evidence), never for entities.
func (s *Store) objectsOf(ctx context.Context, subject quad.Value, preds ...quad.IRI) (map[quad.IRI]quad.Value, error) {
	want := make(map[any]quad.IRI, len(preds))
	for _, p := range preds {
		r, err := s.vocabRef(p)
		if err != nil {
			return nil, err
		}
		if r != nil {
			want[keyOf(r)] = p
		}
	}
	var objs []cgraph.Ref
	var got []quad.IRI
	done := make(map[quad.IRI]bool)
	_, err := s.scanRefs(ctx, pattern{S: subject}, 0, func(r cgraph.Ref) error {
		pr, err := s.qs.QuadDirection(r, quad.Predicate)
		if err != nil {
			return err
		}
		p, ok := want[keyOf(pr)]
		if !ok || done[p] {
			return nil
		}
		o, err := s.qs.QuadDirection(r, quad.Object)
		if err != nil {
			return err
		}
		done[p] = true
		objs = append(objs, o)
		got = append(got, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	vals, err := cgraph.ValuesOf(ctx, s.qs, objs)
	if err != nil {
		return nil, err
	}
	out := make(map[quad.IRI]quad.Value, len(vals))
	for i, v := range vals {
		out[got[i]] = v
	}
	return out, nil
}

// relationPredicates lists the schema's predicates and any others stored.
func (s *Store) relationPredicates(ctx context.Context) ([]string, error) {
	var out []string
	seen := make(map[string]bool)
	for _, p := range model.Predicates {
		seen[string(p)] = true
		out = append(out, string(p))
	}
	vals, err := s.values(ctx, schemaNode, predRelationPred)
	if err != nil {
		return nil, err
	}
	var extra []string
	for _, v := range vals {
		if p := plainString(v); !seen[p] {
			seen[p] = true
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	return append(out, extra...), nil
}

// entityTypes lists the schema's entity types and any others stored.
func (s *Store) entityTypes(ctx context.Context) ([]string, error) {
	var out []string
	seen := make(map[string]bool)
	for _, t := range model.EntityTypes {
		seen[string(t)] = true
		out = append(out, string(t))
	}
	vals, err := s.values(ctx, schemaNode, predEntityType)
	if err != nil {
		return nil, err
	}
	var extra []string
	for _, v := range vals {
		if t := plainString(v); !seen[t] {
			seen[t] = true
			extra = append(extra, t)
		}
	}
	sort.Strings(extra)
	return append(out, extra...), nil
}

// Entity returns the profile of the entity with the given id. Every walk
// through the node (mentions, relations per predicate) stops after the hub
// limit; Truncated then reports that the figures are partial.
func (s *Store) Entity(ctx context.Context, id string) (*Profile, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("entity %s: %w", id, err)
	}
	defer unlock()
	p, err := s.profile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("entity %s: %w", id, err)
	}
	return p, nil
}

func (s *Store) profile(ctx context.Context, id string) (*Profile, error) {
	e, ok, err := s.loadEntity(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	prof := &Profile{Entity: e, Relations: []ProfileRelation{}}

	// Articles mentioning the entity.
	m, trunc, err := s.mentionSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	prof.Truncated = trunc
	prof.Articles, prof.Mentions = int(m.N), int(m.N)
	prof.FirstSeen, prof.LastSeen = fromUnixNano(m.First), fromUnixNano(m.Last)

	// Relations grouped by predicate, direction and partner; only the best
	// supported MaxRelations per predicate and direction are described.
	preds, err := s.relationPredicates(ctx)
	if err != nil {
		return nil, err
	}
	groups, trunc, err := s.relationGroups(ctx, id, relFilter{preds: preds})
	if err != nil {
		return nil, err
	}
	prof.Truncated = prof.Truncated || trunc
	rankGroups(groups, preds)
	d := s.newDescriber()
	kept := 0
	for i, g := range groups {
		if i > 0 && (g.pred != groups[i-1].pred || g.dir != groups[i-1].dir) {
			kept = 0
		}
		if kept >= s.maxRelations {
			prof.RelationsOmitted++
			continue
		}
		kept++
		r, err := d.relation(ctx, g)
		if err != nil {
			return nil, err
		}
		prof.Relations = append(prof.Relations, r)
	}
	return prof, nil
}

// mentionSummary counts the articles mentioning an entity and their first
// and last dates: from its aggregate, else by a walk bounded by the hub
// limit (truncated reports a stop).
func (s *Store) mentionSummary(ctx context.Context, id string) (mentionAgg, bool, error) {
	on, err := s.aggregatesOn(ctx)
	if err != nil {
		return mentionAgg{}, false, err
	}
	if on {
		var m mentionAgg
		_, _, err := s.readAgg(ctx, id, predAggMentions, &m)
		return m, false, err
	}
	saved := s.hubLimit
	var arts []cgraph.Ref
	trunc, err := s.scanRefs(ctx, pattern{O: entityIRI(id), P: predMentions}, saved, func(r cgraph.Ref) error {
		a, err := s.qs.QuadDirection(r, quad.Subject)
		arts = append(arts, a)
		return err
	})
	if err != nil {
		return mentionAgg{}, false, fmt.Errorf("walk mentions: %w", err)
	}
	dates, err := s.newArticleDates()
	if err != nil {
		return mentionAgg{}, false, err
	}
	if err := dates.of(ctx, arts); err != nil {
		return mentionAgg{}, false, err
	}
	m := mentionAgg{N: int64(len(arts))}
	m.addDates(arts, dates)
	return m, trunc, nil
}

// mentionCount counts the articles mentioning an entity (up to the hub
// limit without aggregates).
func (s *Store) mentionCount(ctx context.Context, id string) (int64, bool, error) {
	on, err := s.aggregatesOn(ctx)
	if err != nil {
		return 0, false, err
	}
	if on {
		var m mentionAgg
		_, _, err := s.readAgg(ctx, id, predAggMentions, &m)
		return m.N, false, err
	}
	return s.count(ctx, pattern{O: entityIRI(id), P: predMentions}, s.hubLimit)
}

// entityHeader reads an entity's id, type and name: one (subject,
// predicate) lookup for the name, and one for the type unless the id says it.
func (s *Store) entityHeader(ctx context.Context, id string) (model.Entity, error) {
	e := model.Entity{ID: id, Type: model.TypeOfID(id)}
	preds := []quad.IRI{predName}
	if !e.Type.Valid() {
		preds = append(preds, predType)
	}
	for _, p := range preds {
		var obj cgraph.Ref
		_, err := s.scanRefs(ctx, pattern{S: entityIRI(id), P: p}, 1, func(r cgraph.Ref) error {
			var err error
			obj, err = s.qs.QuadDirection(r, quad.Object)
			return err
		})
		if err != nil {
			return e, fmt.Errorf("read entity %s: %w", id, err)
		}
		if obj == nil {
			continue
		}
		v, err := s.qs.NameOf(obj)
		if err != nil {
			return e, fmt.Errorf("read entity %s: %w", id, err)
		}
		if p == predType {
			e.Type = model.EntityType(plainString(v))
		} else {
			e.Name = plainString(v)
		}
	}
	return e, nil
}

// Evidence lists the sentences and articles supporting
// subject -predicate-> object, newest article first, then by confidence. No support gives
// ErrNotFound.
func (s *Store) Evidence(ctx context.Context, subjectID, predicate, objectID string) ([]EvidenceItem, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	defer unlock()
	items, err := s.evidence(ctx, subjectID, predicate, objectID)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("evidence for %s %s %s: %w", subjectID, predicate, objectID, ErrNotFound)
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if !a.Article.Published.Equal(b.Article.Published) {
			return a.Article.Published.After(b.Article.Published)
		}
		if a.Article.ID != b.Article.ID {
			return a.Article.ID < b.Article.ID
		}
		if a.Confidence != b.Confidence {
			return a.Confidence > b.Confidence
		}
		return a.Sentence < b.Sentence
	})
	return items, nil
}

// evidence finds the readings of a relation through the articles of its
// direct edges (at most the hub limit), comparing node refs and reading
// values only for the matching readings.
func (s *Store) evidence(ctx context.Context, subjectID, predicate, objectID string) ([]EvidenceItem, error) {
	refOf := func(v quad.Value) (cgraph.Ref, error) { return s.qs.ValueOf(v) }
	var want [3]cgraph.Ref // subject, predicate string, object
	for i, v := range []quad.Value{entityIRI(subjectID), quad.String(predicate), entityIRI(objectID)} {
		r, err := refOf(v)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, nil
		}
		want[i] = r
	}
	preds := make(map[any]quad.IRI)
	for _, p := range []quad.IRI{predType, predSubject, predPredicate, predObject, predSentence, predConfidence, predArticle} {
		r, err := s.vocabRef(p)
		if err != nil {
			return nil, err
		}
		if r != nil {
			preds[keyOf(r)] = p
		}
	}
	var labels []cgraph.Ref
	seen := make(map[any]bool)
	_, err := s.scanRefs(ctx, pattern{S: entityIRI(subjectID), P: relationIRI(predicate), O: entityIRI(objectID)}, s.hubLimit, func(r cgraph.Ref) error {
		l, err := s.qs.QuadDirection(r, quad.Label)
		if err != nil || l == nil || seen[keyOf(l)] {
			return err
		}
		seen[keyOf(l)] = true
		labels = append(labels, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	articleVals, err := cgraph.ValuesOf(ctx, s.qs, labels)
	if err != nil {
		return nil, err
	}
	var items []EvidenceItem
	var sentRefs, confRefs []cgraph.Ref
	for i, l := range labels {
		aid := iriString(articleVals[i])
		if aid == "" {
			continue
		}
		var parts []cgraph.Ref
		if err := s.scanWantsIRI(ctx, predArticle, l, func(r cgraph.Ref) error {
			p, err := s.qs.QuadDirection(r, quad.Subject)
			parts = append(parts, p)
			return err
		}); err != nil {
			return nil, err
		}
		var ref *ArticleRef
		for _, part := range parts {
			objs := make(map[quad.IRI]cgraph.Ref)
			_, err := s.scanWants(ctx, []dirRef{{quad.Subject, part}}, 0, func(r cgraph.Ref) error {
				pr, err := s.qs.QuadDirection(r, quad.Predicate)
				if err != nil {
					return err
				}
				if p, ok := preds[keyOf(pr)]; ok {
					o, err := s.qs.QuadDirection(r, quad.Object)
					objs[p] = o
					return err
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			if !sameRef(objs[predSubject], want[0]) || !sameRef(objs[predPredicate], want[1]) || !sameRef(objs[predObject], want[2]) {
				continue
			}
			if ref == nil {
				r, err := s.articleRef(ctx, aid)
				if err != nil {
					return nil, err
				}
				ref = &r
			}
			items = append(items, EvidenceItem{Article: *ref})
			sentRefs = append(sentRefs, objs[predSentence])
			confRefs = append(confRefs, objs[predConfidence])
		}
	}
	for i := range items {
		for _, rv := range []struct {
			r   cgraph.Ref
			set func(quad.Value)
		}{
			{sentRefs[i], func(v quad.Value) { items[i].Sentence = plainString(v) }},
			{confRefs[i], func(v quad.Value) {
				if f, ok := v.(quad.Float); ok {
					items[i].Confidence = float64(f)
				}
			}},
		} {
			if rv.r == nil {
				continue
			}
			v, err := s.qs.NameOf(rv.r)
			if err != nil {
				return nil, err
			}
			rv.set(v)
		}
	}
	return items, nil
}

func sameRef(a, b cgraph.Ref) bool { return a != nil && b != nil && keyOf(a) == keyOf(b) }

// scanWantsIRI scans the quads (* pred node) for a node given by ref.
func (s *Store) scanWantsIRI(ctx context.Context, pred quad.IRI, node cgraph.Ref, fn func(cgraph.Ref) error) error {
	pr, err := s.vocabRef(pred)
	if err != nil || pr == nil {
		return err
	}
	_, err = s.scanWants(ctx, []dirRef{{quad.Object, node}, {quad.Predicate, pr}}, 0, fn)
	return err
}

// Stats counts articles, entities, relations, statements and quads, from
// the counters writers keep; without them it recounts by a scan.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	defer unlock()
	c, _, err := s.readCounters(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	if c == nil {
		return s.recount(ctx)
	}
	st := c.stats()
	if st.Quads, err = s.quadCount(ctx); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

func (s *Store) quadCount(ctx context.Context) (int64, error) {
	// Not exact: Cayley's exact mode counts nodes by a full scan; the quad
	// count is exact either way.
	cs, err := s.qs.Stats(ctx, false)
	if err != nil && !errors.Is(err, kv.ErrNoBucket) { // an empty kv store has no size yet
		return 0, err
	}
	return cs.Quads.Value, nil
}

// recount computes Stats by scanning the type index and every entity's
// out-edges: time linear in the graph.
func (s *Store) recount(ctx context.Context) (Stats, error) {
	st := Stats{EntitiesByType: make(map[string]int64)}
	var err error
	if st.Quads, err = s.quadCount(ctx); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	for _, c := range []struct {
		typ string
		n   *int64
	}{{typeArticle, &st.Articles}, {typeStatement, &st.Statements}, {typeEvidence, &st.Evidence}} {
		if *c.n, _, err = s.count(ctx, pattern{O: quad.String(c.typ), P: predType}, 0); err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
	}
	types, err := s.entityTypes(ctx)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	for _, t := range types {
		var ents []cgraph.Ref
		_, err := s.scanRefs(ctx, pattern{O: quad.String(t), P: predType}, 0, func(r cgraph.Ref) error {
			l, err := s.qs.QuadDirection(r, quad.Label)
			if err != nil || l != nil {
				return err // labelled: an article, statement or evidence node
			}
			sub, err := s.qs.QuadDirection(r, quad.Subject)
			ents = append(ents, sub)
			return err
		})
		if err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		if len(ents) == 0 {
			continue
		}
		st.EntitiesByType[t] = int64(len(ents))
		st.Entities += int64(len(ents))
		for _, e := range ents {
			n, err := s.distinctOutEdges(ctx, e)
			if err != nil {
				return st, fmt.Errorf("stats: %w", err)
			}
			st.Relations += n
		}
	}
	return st, nil
}

// distinctOutEdges counts an entity's distinct (predicate, object) pairs
// among its labelled out-quads (the direct relation edges).
func (s *Store) distinctOutEdges(ctx context.Context, e cgraph.Ref) (int64, error) {
	type po struct{ p, o any }
	seen := make(map[po]bool)
	_, err := s.scanWants(ctx, []dirRef{{quad.Subject, e}}, 0, func(r cgraph.Ref) error {
		l, err := s.qs.QuadDirection(r, quad.Label)
		if err != nil || l == nil {
			return err
		}
		p, err := s.qs.QuadDirection(r, quad.Predicate)
		if err != nil {
			return err
		}
		o, err := s.qs.QuadDirection(r, quad.Object)
		if err != nil {
			return err
		}
		seen[po{refs.ToKey(p), refs.ToKey(o)}] = true
		return nil
	})
	return int64(len(seen)), err
}

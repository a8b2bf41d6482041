package graph

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Export formats.
const (
	FormatNQuads  = "nquads"  // Cayley's native form; re-importable with Import
	FormatJSONLD  = "jsonld"  // JSON-LD with schema.org terms
	FormatGraphML = "graphml" // entity graph for Gephi and yEd
	FormatCSV     = "csv"     // node and relationship files for neo4j-admin import
	FormatSTIX    = "stix"    // STIX 2.1 bundle
)

// ExportFormats lists the formats Export writes.
var ExportFormats = []string{FormatNQuads, FormatJSONLD, FormatGraphML, FormatCSV, FormatSTIX}

// DefaultExportHops is the neighbourhood radius of an entity export.
const DefaultExportHops = 2

// ExportOptions select what to export; the zero value exports everything.
type ExportOptions struct {
	// Since keeps only articles published at or after it (undated ones
	// are left out).
	Since time.Time
	// Entity, an entity id, keeps only its neighbourhood: the entities
	// within Hops relations of it, the articles supporting the relations
	// among them and the articles mentioning it.
	Entity string
	Hops   int // default DefaultExportHops
}

// Every export writes whole articles: all facts read from a selected
// article, with the global facts (type, names, aliases) of every entity they
// refer to. The derived quads (counters, per-entity aggregates) are left
// out; Import recomputes them.

// isDerived reports whether a quad is bookkeeping recomputed on import.
func isDerived(q quad.Quad) bool {
	p, _ := q.Predicate.(quad.IRI)
	return p == predCounters || derivedPredicates[p]
}

// derivedPredicates are the predicates of per-entity aggregates.
var derivedPredicates = map[quad.IRI]bool{}

// selectQuads returns the quads to export, sorted by label, subject,
// predicate and object (global facts first).
func (s *Store) selectQuads(ctx context.Context, opt ExportOptions) ([]quad.Quad, error) {
	var out []quad.Quad
	if opt.Entity == "" && opt.Since.IsZero() {
		all, err := s.allQuads(ctx)
		if err != nil {
			return nil, err
		}
		for _, q := range all {
			if !isDerived(q) {
				out = append(out, q)
			}
		}
	} else {
		arts, err := s.selectArticles(ctx, opt)
		if err != nil {
			return nil, err
		}
		set := newQuadSet()
		mentioned := make(map[string]bool)
		for _, a := range arts {
			if err := s.articleFacts(ctx, a, set, mentioned); err != nil {
				return nil, fmt.Errorf("read article %s: %w", a, err)
			}
		}
		if opt.Entity != "" {
			mentioned[opt.Entity] = true
		}
		for _, q := range set.list {
			for _, v := range []quad.Value{q.Subject, q.Object} {
				if id := iriString(v); isEntityID(id) {
					mentioned[id] = true
				}
			}
		}
		out = set.list
		ids := make([]string, 0, len(mentioned))
		for id := range mentioned {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range append(ids, string(schemaNode)) {
			for _, p := range []quad.IRI{predType, predName, predAlias, predWikidata, predLookup, predEntityType, predRelationPred} {
				qs, _, err := s.quads(ctx, pattern{S: quad.IRI(id), P: p}, 0)
				if err != nil {
					return nil, fmt.Errorf("read entity %s: %w", id, err)
				}
				for _, q := range qs {
					if q.Label == nil {
						out = append(out, q)
					}
				}
			}
		}
	}
	keyed := make([]struct {
		k string
		q quad.Quad
	}, len(out))
	for i, q := range out {
		keyed[i].k, keyed[i].q = sortKey(q), q
	}
	sort.Slice(keyed, func(i, j int) bool { return keyed[i].k < keyed[j].k })
	for i := range keyed {
		out[i] = keyed[i].q
	}
	return out, nil
}

func sortKey(q quad.Quad) string {
	var b strings.Builder
	for _, d := range []quad.Direction{quad.Label, quad.Subject, quad.Predicate, quad.Object} {
		if v := q.Get(d); v != nil {
			b.WriteString(quad.StringOf(v))
		}
		b.WriteByte(0)
	}
	return b.String()
}

// isEntityID reports whether a node id names an entity (not an article,
// statement, evidence or bookkeeping node).
func isEntityID(id string) bool {
	t, rest, ok := strings.Cut(id, ":")
	if !ok || t == "" || rest == "" {
		return false
	}
	switch t {
	case "article", "statement", "evidence", "newsgraph", "content":
		return false
	}
	return true
}

// allQuads reads every quad of the store.
func (s *Store) allQuads(ctx context.Context) ([]quad.Quad, error) {
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	var out []quad.Quad
	var batch []cgraph.Ref
	flush := func() error {
		qs, err := s.readQuads(ctx, batch)
		if err != nil {
			return err
		}
		out = append(out, qs...)
		batch = batch[:0]
		return nil
	}
	for it.Next(ctx) {
		batch = append(batch, it.Result())
		if len(batch) == 10000 {
			if err := flush(); err != nil {
				return nil, fmt.Errorf("read quads: %w", err)
			}
		}
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read quads: %w", err)
	}
	if err := flush(); err != nil {
		return nil, fmt.Errorf("read quads: %w", err)
	}
	return out, ctx.Err()
}

// selectArticles returns the ids of the articles an export covers.
func (s *Store) selectArticles(ctx context.Context, opt ExportOptions) ([]string, error) {
	var ids []string
	if opt.Entity != "" {
		if err := s.requireEntity(ctx, opt.Entity); err != nil {
			return nil, err
		}
		hops := opt.Hops
		if hops <= 0 {
			hops = DefaultExportHops
		}
		members := map[string]bool{opt.Entity: true}
		frontier := []string{opt.Entity}
		for h := 0; h < hops; h++ {
			var next []string
			for _, u := range frontier {
				ns, err := s.neighbours(ctx, u, nil)
				if err != nil {
					return nil, err
				}
				for _, n := range ns {
					if !members[n.other] {
						members[n.other] = true
						next = append(next, n.other)
					}
				}
			}
			frontier = next
		}
		seen := make(map[string]bool)
		add := func(id string) {
			if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		preds, err := s.relationPredicates(ctx)
		if err != nil {
			return nil, err
		}
		for m := range members {
			for _, p := range preds {
				qs, _, err := s.quads(ctx, pattern{S: entityIRI(m), P: relationIRI(p)}, 0)
				if err != nil {
					return nil, err
				}
				for _, q := range qs {
					if members[iriString(q.Object)] {
						add(iriString(q.Label))
					}
				}
			}
		}
		arts, _, err := s.subjectsOf(ctx, predMentions, entityIRI(opt.Entity), 0)
		if err != nil {
			return nil, err
		}
		for _, a := range arts {
			add(a)
		}
	} else {
		var err error
		if ids, _, err = s.subjectsOf(ctx, predType, quad.String(typeArticle), 0); err != nil {
			return nil, err
		}
	}
	if !opt.Since.IsZero() {
		kept := ids[:0]
		for _, id := range ids {
			ref, err := s.articleRef(ctx, id)
			if err != nil {
				return nil, err
			}
			if inWindow(ref.Published, opt.Since, time.Time{}) {
				kept = append(kept, id)
			}
		}
		ids = kept
	}
	sort.Strings(ids)
	return ids, nil
}

// ExportNQuads writes the selected facts as N-Quads and returns their number.
func (s *Store) ExportNQuads(ctx context.Context, w io.Writer, opt ExportOptions) (int, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	defer unlock()
	qs, err := s.selectQuads(ctx, opt)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	nw := nquads.NewWriter(w)
	n, err := nw.WriteQuads(qs)
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if err := nw.Close(); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// exportGraph is the selected part of the graph, read from its quads, for
// the formats that are not quads.
type exportGraph struct {
	entities   []*exportEntity // by id
	entityByID map[string]*exportEntity
	articles   []*exportArticle // by id
	articleBy  map[string]*exportArticle
	relations  []*exportRelation // by subject, predicate, object
	statements []*node           // by id
	earliest   time.Time         // earliest article date, zero if none
}

type exportEntity struct {
	model.Entity
	articles            int // selected articles mentioning it
	firstSeen, lastSeen time.Time
}

type exportArticle struct {
	ArticleRef
	Language, Byline string
	mentions         []string
	relations        []*exportRelation
}

// exportRelation is one subject-predicate-object edge with its readings.
type exportRelation struct {
	subject, predicate, object string
	articles                   []string // supporting article ids
	readings                   []*node  // evidence nodes, oldest article first
	first, last                time.Time
}

// loadExportGraph reads the selection into an exportGraph.
func (s *Store) loadExportGraph(ctx context.Context, opt ExportOptions) (*exportGraph, error) {
	qs, err := s.selectQuads(ctx, opt)
	if err != nil {
		return nil, err
	}
	return buildExportGraph(qs), nil
}

func buildExportGraph(qs []quad.Quad) *exportGraph {
	g := &exportGraph{entityByID: make(map[string]*exportEntity), articleBy: make(map[string]*exportArticle)}
	nodes := make(map[string]*node)
	nodeOf := func(id string) *node {
		n, ok := nodes[id]
		if !ok {
			n = &node{id: id}
			nodes[id] = n
		}
		return n
	}
	entity := func(id string) *exportEntity {
		e, ok := g.entityByID[id]
		if !ok {
			e = &exportEntity{Entity: model.Entity{ID: id, Type: model.TypeOfID(id), Aliases: []string{}}}
			g.entityByID[id] = e
		}
		return e
	}
	article := func(id string) *exportArticle {
		a, ok := g.articleBy[id]
		if !ok {
			a = &exportArticle{ArticleRef: ArticleRef{ID: id}}
			g.articleBy[id] = a
		}
		return a
	}
	type triple struct{ s, p, o string }
	rels := make(map[triple]*exportRelation)
	var typedNames = map[string]bool{}
	for _, q := range qs {
		sub := iriString(q.Subject)
		if q.Label == nil {
			if !isEntityID(sub) {
				continue
			}
			e := entity(sub)
			v := plainString(q.Object)
			switch q.Predicate {
			case predType:
				e.Type = model.EntityType(v)
			case predName:
				if !typedNames[sub] || v < e.Name {
					e.Name = v
				}
				typedNames[sub] = true
			case predAlias:
				e.Aliases = append(e.Aliases, v)
			case predWikidata:
				e.Wikidata = v
			}
			continue
		}
		label := iriString(q.Label)
		switch {
		case sub == label:
			a := article(label)
			switch q.Predicate {
			case predURL:
				a.URL = plainString(q.Object)
			case predTitle:
				a.Title = plainString(q.Object)
			case predSite:
				a.Site = plainString(q.Object)
			case predLanguage:
				a.Language = plainString(q.Object)
			case predByline:
				a.Byline = plainString(q.Object)
			case predPublished:
				if t, ok := q.Object.(quad.Time); ok {
					a.Published = time.Time(t).UTC()
				}
			case predMentions:
				a.mentions = append(a.mentions, iriString(q.Object))
			}
		case strings.HasPrefix(sub, "evidence:") || strings.HasPrefix(sub, "statement:"):
			nodeOf(sub).set(q)
		case isRelationEdge(q):
			k := triple{sub, iriString(q.Predicate), iriString(q.Object)}
			r, ok := rels[k]
			if !ok {
				r = &exportRelation{subject: k.s, predicate: k.p, object: k.o}
				rels[k] = r
			}
			r.articles = append(r.articles, label)
		}
	}
	for _, a := range g.articleBy {
		g.articles = append(g.articles, a)
		if t := a.Published; !t.IsZero() && (g.earliest.IsZero() || t.Before(g.earliest)) {
			g.earliest = t
		}
		for _, m := range a.mentions {
			e := entity(m)
			e.articles++
			if t := a.Published; !t.IsZero() {
				if e.firstSeen.IsZero() || t.Before(e.firstSeen) {
					e.firstSeen = t
				}
				if t.After(e.lastSeen) {
					e.lastSeen = t
				}
			}
		}
	}
	sort.Slice(g.articles, func(i, j int) bool { return g.articles[i].ID < g.articles[j].ID })
	for _, r := range rels {
		entity(r.subject)
		entity(r.object)
		sort.Strings(r.articles)
		for _, aid := range r.articles {
			a := article(aid)
			if t := a.Published; !t.IsZero() {
				if r.first.IsZero() || t.Before(r.first) {
					r.first = t
				}
				if t.After(r.last) {
					r.last = t
				}
			}
		}
		g.relations = append(g.relations, r)
	}
	sort.Slice(g.relations, func(i, j int) bool {
		a, b := g.relations[i], g.relations[j]
		if a.subject != b.subject {
			return a.subject < b.subject
		}
		if a.predicate != b.predicate {
			return a.predicate < b.predicate
		}
		return a.object < b.object
	})
	for _, r := range g.relations {
		for _, aid := range r.articles {
			a := g.articleBy[aid]
			a.relations = append(a.relations, r)
		}
	}
	var ids []string
	for id := range nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		n := nodes[id]
		sort.Strings(n.about)
		switch n.typ {
		case typeEvidence:
			if r, ok := rels[triple{n.subject, n.pred, n.object}]; ok {
				r.readings = append(r.readings, n)
			}
		case typeStatement:
			g.statements = append(g.statements, n)
			for _, x := range append([]string{n.speaker}, n.about...) {
				if x != "" {
					entity(x)
				}
			}
		}
	}
	for _, r := range g.relations {
		sort.SliceStable(r.readings, func(i, j int) bool {
			ta, tb := g.articleBy[r.readings[i].article].Published, g.articleBy[r.readings[j].article].Published
			if !ta.Equal(tb) {
				return ta.Before(tb)
			}
			return r.readings[i].sentence < r.readings[j].sentence
		})
	}
	for _, e := range g.entityByID {
		sort.Strings(e.Aliases)
		if e.Name == "" {
			e.Name = e.ID
		}
		g.entities = append(g.entities, e)
	}
	sort.Slice(g.entities, func(i, j int) bool { return g.entities[i].ID < g.entities[j].ID })
	return g
}

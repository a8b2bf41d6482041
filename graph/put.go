package graph

import (
	"context"
	"fmt"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// maxDeltas bounds one ApplyDeltas call: large enough to amortise the
// commit (Cayley on bbolt writes ~47k quads/s at 10k per transaction, 1.6k
// at 1), small enough to keep a transaction's memory modest.
const maxDeltas = 50000

// maxCachedEntities bounds the entity-facts cache; it is dropped when full.
const maxCachedEntities = 200000

// PutResult summarises one Put.
type PutResult struct {
	Articles int `json:"articles"` // documents stored (after dropping in-batch duplicates)
	Quads    int `json:"quads"`    // quads describing them, incl. new global entity facts
	// Replaced lists article IDs whose old facts were removed: earlier
	// versions of the same article and content duplicates under another ID.
	Replaced []string `json:"replaced"`
	Added    int      `json:"added"`   // quads written
	Removed  int      `json:"removed"` // quads deleted
}

// entityFacts are the global (unlabelled) facts stored for one entity.
type entityFacts struct {
	typ, name, wikidata string
	aliases             map[string]bool // lookupKey of each stored alias
	keys                map[string]bool // stored <lookup> values
}

// quadSet is an insertion-ordered set of quads.
type quadSet struct {
	index map[string]int
	list  []quad.Quad
}

func newQuadSet() *quadSet { return &quadSet{index: make(map[string]int)} }

// quadKey identifies a quad by its values' canonical strings (times are
// stored in UTC, so equal instants print alike).
func quadKey(q quad.Quad) string {
	var b strings.Builder
	for _, d := range quad.Directions {
		b.WriteString(quad.StringOf(q.Get(d)))
		b.WriteByte(0)
	}
	return b.String()
}

func (s *quadSet) add(q quad.Quad) {
	k := quadKey(q)
	if _, ok := s.index[k]; ok {
		return
	}
	s.index[k] = len(s.list)
	s.list = append(s.list, q)
}

func (s *quadSet) has(q quad.Quad) bool {
	_, ok := s.index[quadKey(q)]
	return ok
}

// documentQuads returns the article-labelled facts of one document and the
// entity ids it mentions.
func documentQuads(doc *model.Document) (*quadSet, []string) {
	a := doc.Article
	id := a.ID()
	A := articleIRI(id)
	set := newQuadSet()
	add := func(s quad.Value, p quad.IRI, o quad.Value) { set.add(quad.Make(s, p, o, A)) }
	str := func(s quad.Value, p quad.IRI, v string) {
		if v = strings.TrimSpace(v); v != "" {
			add(s, p, quad.String(v))
		}
	}
	add(A, predType, quad.String(typeArticle))
	str(A, predURL, a.URL)
	str(A, predTitle, a.Title)
	if !a.Published.IsZero() {
		add(A, predPublished, quad.Time(a.Published.UTC()))
	}
	str(A, predSite, a.Site)
	str(A, predLanguage, a.Language)
	str(A, predByline, a.Byline)
	add(A, predContentHash, quad.String(a.ContentHash()))
	relations, statements := doc.Relations, doc.Statements
	if a.DuplicateOf != "" {
		// A near-duplicate (agency copy, small edits) is linked to its
		// original and adds no relation evidence or statements of its own.
		add(A, predDuplicateOf, articleIRI(a.DuplicateOf))
		relations, statements = nil, nil
	}

	var mentioned []string
	seen := make(map[string]bool)
	for _, e := range doc.Entities {
		if e.ID == "" || seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		mentioned = append(mentioned, e.ID)
		add(A, predMentions, entityIRI(e.ID))
	}
	for _, r := range relations {
		if r.Subject == "" || r.Object == "" || r.Predicate == "" {
			continue
		}
		S, O := entityIRI(r.Subject), entityIRI(r.Object)
		add(S, relationIRI(string(r.Predicate)), O)
		ev := quad.IRI(evidenceID(id, r.Subject, string(r.Predicate), r.Object, r.Evidence))
		add(ev, predType, quad.String(typeEvidence))
		add(ev, predSubject, S)
		add(ev, predPredicate, quad.String(string(r.Predicate)))
		add(ev, predObject, O)
		str(ev, predSentence, r.Evidence)
		add(ev, predConfidence, quad.Float(r.Confidence))
		add(ev, predArticle, A)
	}
	for _, st := range statements {
		if strings.TrimSpace(st.Text) == "" {
			continue
		}
		n := quad.IRI(st.ID(id))
		add(n, predType, quad.String(typeStatement))
		if st.Speaker != "" {
			add(n, predSpeaker, entityIRI(st.Speaker))
		}
		str(n, predText, st.Text)
		for _, about := range st.About {
			if about != "" {
				add(n, predAbout, entityIRI(about))
			}
		}
		str(n, predSentence, st.Evidence)
		add(n, predArticle, A)
	}
	return set, mentioned
}

// Put writes documents. Each article's earlier facts (same article ID, or
// another ID with the same content hash) are replaced, never duplicated.
// Only the difference between old and new facts is written, in large
// transactions; documents should be batched many per call.
func (s *Store) Put(ctx context.Context, docs []model.Document) (PutResult, error) {
	unlock, err := s.begin(ctx, true)
	if err != nil {
		return PutResult{}, fmt.Errorf("put: %w", err)
	}
	defer unlock()
	start := time.Now()

	keep := dedupeBatch(docs)
	var res PutResult
	res.Articles = len(keep)

	// Articles whose stored facts are replaced.
	oldIDs := []string{}
	oldSeen := make(map[string]bool)
	for _, d := range keep {
		id := d.Article.ID()
		olds, err := s.storedVersions(ctx, id, d.Article.ContentHash())
		if err != nil {
			return PutResult{}, fmt.Errorf("put: %w", err)
		}
		for _, o := range olds {
			if !oldSeen[o] {
				oldSeen[o] = true
				oldIDs = append(oldIDs, o)
			}
		}
	}
	oldSet := newQuadSet()
	oldMentioned := make(map[string]bool)
	for _, id := range oldIDs {
		if err := s.articleFacts(ctx, id, oldSet, oldMentioned); err != nil {
			return PutResult{}, fmt.Errorf("put: read stored facts of %s: %w", id, err)
		}
	}
	res.Replaced = oldIDs

	newSet := newQuadSet()
	newMentioned := make(map[string]bool)
	for i := range keep {
		set, mentioned := documentQuads(&keep[i])
		for _, q := range set.list {
			newSet.add(q)
		}
		for _, m := range mentioned {
			newMentioned[m] = true
		}
	}
	global, err := s.globalFacts(ctx, keep)
	if err != nil {
		s.resetCaches()
		return PutResult{}, fmt.Errorf("put: %w", err)
	}
	res.Quads = len(newSet.list) + len(global)

	var delQuads, addQuads []quad.Quad
	for _, q := range oldSet.list {
		if !newSet.has(q) {
			delQuads = append(delQuads, q)
		}
	}
	for _, q := range newSet.list {
		if !oldSet.has(q) {
			addQuads = append(addQuads, q)
		}
	}
	addQuads = append(addQuads, global...)
	var gone []string
	for id := range oldMentioned {
		if !newMentioned[id] {
			gone = append(gone, id)
		}
	}
	if err := s.write(ctx, delQuads, addQuads, gone, oldSet.list, newSet.list); err != nil {
		s.resetCaches()
		return PutResult{}, fmt.Errorf("put: %w", err)
	}
	res.Added, res.Removed = len(addQuads), len(delQuads)
	s.log.Debug("graph put", "articles", res.Articles, "quads", res.Quads, "added", res.Added,
		"removed", res.Removed, "replaced", len(res.Replaced), "took", time.Since(start))
	return res, nil
}

// dedupeBatch keeps the last document per article ID and per content hash.
func dedupeBatch(docs []model.Document) []model.Document {
	lastByID := make(map[string]int)
	lastByHash := make(map[string]int)
	for i := range docs {
		lastByID[docs[i].Article.ID()] = i
		lastByHash[docs[i].Article.ContentHash()] = i
	}
	keep := make([]model.Document, 0, len(docs))
	for i := range docs {
		if lastByID[docs[i].Article.ID()] == i && lastByHash[docs[i].Article.ContentHash()] == i {
			keep = append(keep, docs[i])
		}
	}
	return keep
}

// storedVersions returns the stored articles a new version of id replaces:
// id itself if stored, and other articles with the same content hash.
func (s *Store) storedVersions(ctx context.Context, id, hash string) ([]string, error) {
	var out []string
	n, _, err := s.count(ctx, pattern{S: articleIRI(id), P: predType}, 1)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		out = append(out, id)
	}
	_, err = s.scanRefs(ctx, pattern{O: quad.String(hash), P: predContentHash}, 0, func(r cgraph.Ref) error {
		sub, err := s.qs.QuadDirection(r, quad.Subject)
		if err != nil {
			return err
		}
		v, err := s.qs.NameOf(sub)
		if err != nil {
			return err
		}
		if other := iriString(v); other != "" && other != id {
			out = append(out, other)
		}
		return nil
	})
	return out, err
}

// articleFacts adds every quad labelled with the article to set (found
// through the article node, its evidence and statement nodes, and the direct
// edges the evidence describes) and records the entities it mentions.
func (s *Store) articleFacts(ctx context.Context, id string, set *quadSet, mentioned map[string]bool) error {
	A := articleIRI(id)
	own := func(q quad.Quad) bool { return iriString(q.Label) == id }
	qs, _, err := s.quads(ctx, pattern{S: A}, 0)
	if err != nil {
		return err
	}
	for _, q := range qs {
		if !own(q) {
			continue
		}
		set.add(q)
		if q.Predicate == predMentions {
			mentioned[iriString(q.Object)] = true
		}
	}
	parts, _, err := s.quads(ctx, pattern{O: A, P: predArticle}, 0)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if !own(p) {
			continue
		}
		nqs, _, err := s.quads(ctx, pattern{S: p.Subject}, 0)
		if err != nil {
			return err
		}
		var sub, obj quad.Value
		var pred string
		isEvidence := false
		for _, q := range nqs {
			if !own(q) {
				continue
			}
			set.add(q)
			switch q.Predicate {
			case predType:
				isEvidence = plainString(q.Object) == typeEvidence
			case predSubject:
				sub = q.Object
			case predObject:
				obj = q.Object
			case predPredicate:
				pred = plainString(q.Object)
			}
		}
		if isEvidence && sub != nil && obj != nil && pred != "" {
			set.add(quad.Make(sub, relationIRI(pred), obj, A))
		}
	}
	return nil
}

// globalFacts returns the unlabelled entity and schema facts of docs that
// are not stored yet. The first name stored for an id stays canonical;
// other names become aliases.
func (s *Store) globalFacts(ctx context.Context, docs []model.Document) ([]quad.Quad, error) {
	if len(s.entities) > maxCachedEntities {
		s.entities = make(map[string]*entityFacts)
	}
	var out []quad.Quad
	add := func(sub quad.Value, p quad.IRI, o quad.Value) { out = append(out, quad.Make(sub, p, o, nil)) }
	schema := func(kind string, p quad.IRI, v string) {
		if k := kind + v; !s.schema[k] {
			s.schema[k] = true
			add(schemaNode, p, quad.String(v))
		}
	}
	for di := range docs {
		for _, e := range docs[di].Entities {
			if e.ID == "" {
				continue
			}
			f, err := s.cachedEntity(ctx, e.ID)
			if err != nil {
				return nil, err
			}
			E := entityIRI(e.ID)
			if typ := string(e.Type); f.typ == "" && typ != "" {
				f.typ = typ
				add(E, predType, quad.String(typ))
			}
			if f.typ != "" {
				schema("t:", predEntityType, f.typ)
			}
			name := strings.TrimSpace(e.Name)
			if f.name == "" && name != "" {
				f.name = name
				add(E, predName, quad.String(name))
			}
			for _, n := range append([]string{name}, e.Aliases...) {
				n = strings.TrimSpace(n)
				k := lookupKey(n)
				if k == "" {
					continue
				}
				if !f.keys[k] {
					f.keys[k] = true
					add(E, predLookup, quad.String(k))
				}
				if k != lookupKey(f.name) && !f.aliases[k] {
					f.aliases[k] = true
					add(E, predAlias, quad.String(n))
				}
			}
			if f.wikidata == "" && e.Wikidata != "" {
				f.wikidata = e.Wikidata
				add(E, predWikidata, quad.String(e.Wikidata))
			}
		}
		for _, r := range docs[di].Relations {
			if r.Predicate != "" {
				schema("p:", predRelationPred, string(r.Predicate))
			}
		}
	}
	return out, nil
}

func (s *Store) cachedEntity(ctx context.Context, id string) (*entityFacts, error) {
	if f, ok := s.entities[id]; ok {
		return f, nil
	}
	f, err := s.loadEntityFacts(ctx, id)
	if err != nil {
		return nil, err
	}
	s.entities[id] = f
	return f, nil
}

// loadEntityFacts reads an entity's global facts with one (subject,
// predicate) scan per predicate, never through its (possibly many) edges.
func (s *Store) loadEntityFacts(ctx context.Context, id string) (*entityFacts, error) {
	E := entityIRI(id)
	f := &entityFacts{aliases: make(map[string]bool), keys: make(map[string]bool)}
	for _, p := range []quad.IRI{predType, predName, predAlias, predLookup, predWikidata} {
		qs, _, err := s.quads(ctx, pattern{S: E, P: p}, 0)
		if err != nil {
			return nil, fmt.Errorf("read entity %s: %w", id, err)
		}
		for _, q := range qs {
			if q.Label != nil {
				continue
			}
			v := plainString(q.Object)
			switch p {
			case predType:
				if f.typ == "" {
					f.typ = v
				}
			case predName:
				if f.name == "" {
					f.name = v
				}
			case predAlias:
				f.aliases[lookupKey(v)] = true
			case predLookup:
				f.keys[v] = true
			case predWikidata:
				f.wikidata = v
			}
		}
	}
	return f, nil
}

func (s *Store) resetCaches() {
	s.entities = make(map[string]*entityFacts)
	s.schema = make(map[string]bool)
}

// apply writes deletions, then additions. They cannot share one
// ApplyDeltas: Cayley's kv store drops the directions of added quads whose
// node loses more quads than it gains in the same call (the node's net
// reference change is negative, so it is never resolved for the additions).
func (s *Store) apply(dels, adds []cgraph.Delta) error {
	for _, step := range []struct {
		deltas []cgraph.Delta
		opts   cgraph.IgnoreOpts
	}{
		{dels, cgraph.IgnoreOpts{IgnoreMissing: true}},
		{adds, cgraph.IgnoreOpts{IgnoreDup: true}},
	} {
		for len(step.deltas) > 0 {
			n := min(len(step.deltas), maxDeltas)
			if err := s.qs.ApplyDeltas(step.deltas[:n], step.opts); err != nil {
				return fmt.Errorf("write %d quads: %w", n, err)
			}
			step.deltas = step.deltas[n:]
		}
	}
	return nil
}

// DeleteArticle removes every fact read from the article. Entities no other
// article mentions are removed too.
func (s *Store) DeleteArticle(ctx context.Context, articleID string) error {
	unlock, err := s.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("delete article: %w", err)
	}
	defer unlock()
	n, _, err := s.count(ctx, pattern{S: articleIRI(articleID), P: predType}, 1)
	if err != nil {
		return fmt.Errorf("delete article %s: %w", articleID, err)
	}
	if n == 0 {
		return fmt.Errorf("delete article %s: %w", articleID, ErrNotFound)
	}
	set := newQuadSet()
	mentioned := make(map[string]bool)
	if err := s.articleFacts(ctx, articleID, set, mentioned); err != nil {
		return fmt.Errorf("delete article %s: %w", articleID, err)
	}
	var ids []string
	for id := range mentioned {
		ids = append(ids, id)
	}
	if err := s.write(ctx, set.list, nil, ids, set.list, nil); err != nil {
		s.resetCaches()
		return fmt.Errorf("delete article %s: %w", articleID, err)
	}
	return nil
}

// write applies one change to the graph: deletions, additions, removal of
// the candidates that became orphans, and the stored counters. The old
// counters quad goes with the first deletions, so that a write that fails
// half-way leaves no counters (and the next one recounts) rather than wrong
// ones. Once writing has begun it runs to the end despite cancellation.
// oldFacts and newFacts are the whole article-labelled facts before and
// after (a superset of dels and adds), from which the per-entity aggregates
// are updated.
func (s *Store) write(ctx context.Context, dels, adds []quad.Quad, orphanCandidates []string, oldFacts, newFacts []quad.Quad) error {
	base, stored, err := s.baseCounters(ctx)
	if err != nil {
		return err
	}
	if len(dels) == 0 && len(adds) == 0 && len(orphanCandidates) == 0 {
		if stored != nil {
			return nil // nothing changes
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return s.writeCounters(context.WithoutCancel(ctx), base)
	}
	triples := edgeKeys(dels, adds)
	before, err := s.countExisting(ctx, triples)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	allDels := deltas(dels, cgraph.Delete)
	if stored != nil {
		allDels = append(allDels, cgraph.Delta{Quad: *stored, Action: cgraph.Delete})
	}
	if err := s.apply(allDels, deltas(adds, cgraph.Add)); err != nil {
		return err
	}
	orphaned, err := s.collectOrphans(ctx, orphanCandidates)
	if err != nil {
		return err
	}
	after, err := s.countExisting(ctx, triples)
	if err != nil {
		return err
	}
	c := base.clone()
	if base.Aggregates == aggregatesVersion || base.empty() {
		if err := s.updateAggregates(ctx, oldFacts, newFacts); err != nil {
			return err
		}
		c.Aggregates = aggregatesVersion
	} else {
		c.Aggregates = 0
	}
	c.countTypes(adds, +1)
	c.countTypes(dels, -1)
	c.countTypes(orphaned, -1)
	c.Relations += after - before
	return s.writeCounters(ctx, c)
}

func deltas(qs []quad.Quad, action cgraph.Procedure) []cgraph.Delta {
	out := make([]cgraph.Delta, 0, len(qs))
	for _, q := range qs {
		out = append(out, cgraph.Delta{Quad: q, Action: action})
	}
	return out
}

// collectOrphans removes the global facts of entities that nothing points to
// any more and that point to nothing read from an article, and returns them.
func (s *Store) collectOrphans(ctx context.Context, ids []string) ([]quad.Quad, error) {
	var dels []quad.Quad
	for _, id := range ids {
		E := entityIRI(id)
		in, _, err := s.count(ctx, pattern{O: E}, 1)
		if err != nil {
			return nil, fmt.Errorf("check entity %s: %w", id, err)
		}
		if in > 0 {
			continue
		}
		out, _, err := s.quads(ctx, pattern{S: E}, 0)
		if err != nil {
			return nil, fmt.Errorf("check entity %s: %w", id, err)
		}
		orphan := true
		for _, q := range out {
			if q.Label != nil {
				orphan = false
				break
			}
		}
		if !orphan {
			continue
		}
		dels = append(dels, out...)
		delete(s.entities, id)
	}
	if err := s.apply(deltas(dels, cgraph.Delete), nil); err != nil {
		return nil, fmt.Errorf("remove orphaned entities: %w", err)
	}
	return dels, nil
}

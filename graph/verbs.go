package graph

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// node is one statement or evidence node read in full.
type node struct {
	id       string
	typ      string
	subject  string // evidence: subject entity id
	pred     string // evidence: predicate
	object   string // evidence: object entity id
	speaker  string // statement: speaker entity id
	text     string // statement: the words
	about    []string
	sentence string
	conf     float64
	article  string
}

// set records one fact of a statement or evidence node.
func (n *node) set(q quad.Quad) {
	switch q.Predicate {
	case predType:
		n.typ = plainString(q.Object)
	case predSubject:
		n.subject = iriString(q.Object)
	case predObject:
		n.object = iriString(q.Object)
	case predPredicate:
		n.pred = plainString(q.Object)
	case predSpeaker:
		n.speaker = iriString(q.Object)
	case predText:
		n.text = plainString(q.Object)
	case predAbout:
		n.about = append(n.about, iriString(q.Object))
	case predSentence:
		n.sentence = plainString(q.Object)
	case predConfidence:
		if f, ok := q.Object.(quad.Float); ok {
			n.conf = float64(f)
		}
	case predArticle:
		n.article = iriString(q.Object)
	}
}

// readNode reads a statement or evidence node by its IRI.
func (s *Store) readNode(ctx context.Context, id string) (node, error) {
	n := node{id: id}
	qs, _, err := s.quads(ctx, pattern{S: quad.IRI(id)}, 0)
	if err != nil {
		return n, fmt.Errorf("read %s: %w", id, err)
	}
	for _, q := range qs {
		n.set(q)
	}
	sort.Strings(n.about)
	return n, nil
}

// subjectsOf lists the subjects of quads (* pred obj), at most limit
// (<= 0: all), and whether the walk stopped at the limit.
func (s *Store) subjectsOf(ctx context.Context, pred, obj quad.Value, limit int) ([]string, bool, error) {
	var rs []cgraph.Ref
	trunc, err := s.scanRefs(ctx, pattern{O: obj, P: pred}, limit, func(r cgraph.Ref) error {
		sub, err := s.qs.QuadDirection(r, quad.Subject)
		rs = append(rs, sub)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	vals, err := cgraph.ValuesOf(ctx, s.qs, rs)
	if err != nil {
		return nil, false, fmt.Errorf("read nodes: %w", err)
	}
	out := make([]string, 0, len(vals))
	seen := make(map[string]bool, len(vals))
	for _, v := range vals {
		if id := iriString(v); id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, trunc, nil
}

// evidenceIn lists the readings of subject -predicate-> object in one article.
func (s *Store) evidenceIn(ctx context.Context, articleID, subjectID, predicate, objectID string) ([]node, error) {
	parts, _, err := s.subjectsOf(ctx, predArticle, articleIRI(articleID), 0)
	if err != nil {
		return nil, err
	}
	var out []node
	for _, p := range parts {
		if !strings.HasPrefix(p, "evidence:") {
			continue
		}
		n, err := s.readNode(ctx, p)
		if err != nil {
			return nil, err
		}
		if n.subject == subjectID && n.object == objectID && n.pred == predicate {
			out = append(out, n)
		}
	}
	return out, nil
}

func (s *Store) requireEntity(ctx context.Context, id string) error {
	_, ok, err := s.loadEntity(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("entity %s: %w", id, ErrNotFound)
	}
	return nil
}

// Hop is one step of a path: a relation between From and To.
type Hop struct {
	From      EntityRef `json:"from"`
	Predicate string    `json:"predicate"`
	// Direction "out": From -predicate-> To; "in": To -predicate-> From.
	Direction string        `json:"direction"`
	To        EntityRef     `json:"to"`
	Articles  int           `json:"articles"` // articles supporting the relation
	Evidence  *EvidenceItem `json:"evidence,omitempty"`
}

// Path is a chain of relations from one entity to another.
type Path struct {
	Length int   `json:"length"`
	Hops   []Hop `json:"hops"`
}

// PathOptions bound Paths.
type PathOptions struct {
	MaxHops    int      // longest path considered (default 4)
	Limit      int      // at most this many paths (default 10)
	Predicates []string // only these relation predicates; empty: all
}

// Default bounds of Paths.
const (
	DefaultPathHops  = 4
	DefaultPathLimit = 10
)

// neighbour is one relation of a node in a path search.
type neighbour struct {
	other     string
	pred, dir string
	articles  int
	latest    string
}

// neighbours returns the partners of an entity, one per partner (its best
// supported relation), in a stable order.
func (s *Store) neighbours(ctx context.Context, id string, preds []string) ([]neighbour, error) {
	groups, _, err := s.relationGroups(ctx, id, relFilter{preds: preds})
	if err != nil {
		return nil, err
	}
	best := make(map[string]*relGroup)
	for _, g := range groups {
		if g.other == id {
			continue
		}
		b, ok := best[g.other]
		if !ok || g.articles > b.articles || (g.articles == b.articles && (g.pred < b.pred || (g.pred == b.pred && g.dir == "out"))) {
			best[g.other] = g
		}
	}
	out := make([]neighbour, 0, len(best))
	for _, g := range best {
		out = append(out, neighbour{other: g.other, pred: g.pred, dir: g.dir, articles: g.articles, latest: g.latest})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].other < out[j].other })
	return out, nil
}

// bfsSide is one end of a bidirectional breadth-first search.
type bfsSide struct {
	dist     map[string]int
	parents  map[string][]neighbour // node -> relations to nodes one step closer to this side's origin
	frontier []string
	depth    int
}

func newSide(origin string) *bfsSide {
	return &bfsSide{dist: map[string]int{origin: 0}, parents: map[string][]neighbour{}, frontier: []string{origin}}
}

// expand visits the next layer.
func (s *Store) expand(ctx context.Context, b *bfsSide, preds []string) error {
	b.depth++
	var next []string
	for _, u := range b.frontier {
		ns, err := s.neighbours(ctx, u, preds)
		if err != nil {
			return err
		}
		for _, n := range ns {
			d, seen := b.dist[n.other]
			if !seen {
				b.dist[n.other] = b.depth
				next = append(next, n.other)
				d = b.depth
			}
			if d == b.depth {
				// n seen from u: the parent relation points back to u.
				back := neighbour{other: u, pred: n.pred, dir: flip(n.dir), articles: n.articles, latest: n.latest}
				b.parents[n.other] = append(b.parents[n.other], back)
			}
		}
	}
	b.frontier = next
	return nil
}

func flip(dir string) string {
	if dir == "out" {
		return "in"
	}
	return "out"
}

// Paths finds the shortest chains of relations (in either direction)
// between two entities, up to MaxHops long, each hop with the relation best
// supported between its ends and the latest sentence supporting it. No
// path gives ErrNotFound.
func (s *Store) Paths(ctx context.Context, fromID, toID string, opt PathOptions) ([]Path, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	defer unlock()
	if opt.MaxHops <= 0 {
		opt.MaxHops = DefaultPathHops
	}
	if opt.Limit <= 0 {
		opt.Limit = DefaultPathLimit
	}
	for _, id := range []string{fromID, toID} {
		if err := s.requireEntity(ctx, id); err != nil {
			return nil, fmt.Errorf("path: %w", err)
		}
	}
	if fromID == toID {
		return nil, fmt.Errorf("path from %s to itself: %w", fromID, ErrNotFound)
	}
	src, dst := newSide(fromID), newSide(toID)
	var meet []string
	for src.depth+dst.depth < opt.MaxHops && len(src.frontier) > 0 && len(dst.frontier) > 0 {
		side, other := src, dst
		if len(dst.frontier) < len(src.frontier) {
			side, other = dst, src
		}
		if err := s.expand(ctx, side, opt.Predicates); err != nil {
			return nil, fmt.Errorf("path: %w", err)
		}
		for _, n := range side.frontier {
			if d, ok := other.dist[n]; ok && d == other.depth {
				meet = append(meet, n)
			}
		}
		if len(meet) > 0 {
			break
		}
	}
	if len(meet) == 0 {
		return nil, fmt.Errorf("path from %s to %s within %d hops: %w", fromID, toID, opt.MaxHops, ErrNotFound)
	}
	sort.Strings(meet)

	// Chains of neighbours from each origin to the meeting node.
	var chains func(b *bfsSide, n string, limit int) [][]neighbour
	chains = func(b *bfsSide, n string, limit int) [][]neighbour {
		if b.dist[n] == 0 {
			return [][]neighbour{nil}
		}
		var out [][]neighbour
		for _, p := range b.parents[n] {
			for _, c := range chains(b, p.other, limit-len(out)) {
				// c runs origin..p.other; append the hop p.other -> n.
				hop := neighbour{other: n, pred: p.pred, dir: flip(p.dir), articles: p.articles, latest: p.latest}
				out = append(out, append(slices.Clone(c), hop))
				if len(out) >= limit {
					return out
				}
			}
		}
		return out
	}
	type rawPath struct {
		nodes []string
		hops  []neighbour // hops[i] goes nodes[i] -> nodes[i+1]
	}
	var raws []rawPath
	for _, m := range meet {
		for _, left := range chains(src, m, opt.Limit) {
			for _, right := range chains(dst, m, opt.Limit) {
				rp := rawPath{nodes: []string{fromID}}
				for _, h := range left {
					rp.nodes = append(rp.nodes, h.other)
					rp.hops = append(rp.hops, h)
				}
				// right runs toID..m; walk it backwards from m.
				for i := len(right) - 1; i >= 0; i-- {
					h := right[i]
					prev := toID
					if i > 0 {
						prev = right[i-1].other
					}
					rp.nodes = append(rp.nodes, prev)
					rp.hops = append(rp.hops, neighbour{other: prev, pred: h.pred, dir: flip(h.dir), articles: h.articles, latest: h.latest})
				}
				raws = append(raws, rp)
				if len(raws) >= opt.Limit {
					break
				}
			}
			if len(raws) >= opt.Limit {
				break
			}
		}
		if len(raws) >= opt.Limit {
			break
		}
	}

	d := s.newDescriber()
	out := make([]Path, 0, len(raws))
	for _, rp := range raws {
		p := Path{Length: len(rp.hops)}
		for i, h := range rp.hops {
			hop := Hop{Predicate: h.pred, Direction: h.dir, Articles: h.articles}
			if hop.From, err = d.ref(ctx, rp.nodes[i]); err != nil {
				return nil, fmt.Errorf("path: %w", err)
			}
			if hop.To, err = d.ref(ctx, rp.nodes[i+1]); err != nil {
				return nil, fmt.Errorf("path: %w", err)
			}
			sub, obj := hop.From.ID, hop.To.ID
			if h.dir == "in" {
				sub, obj = obj, sub
			}
			if h.latest != "" {
				ev, err := s.evidenceIn(ctx, h.latest, sub, h.pred, obj)
				if err != nil {
					return nil, fmt.Errorf("path: %w", err)
				}
				if len(ev) > 0 {
					sort.Slice(ev, func(i, j int) bool { return ev[i].conf > ev[j].conf })
					ar, err := d.article(ctx, h.latest)
					if err != nil {
						return nil, fmt.Errorf("path: %w", err)
					}
					hop.Evidence = &EvidenceItem{Sentence: ev[0].sentence, Confidence: ev[0].conf, Article: *ar}
				}
			}
			p.Hops = append(p.Hops, hop)
		}
		out = append(out, p)
	}
	return out, nil
}

// Why lists every sentence and article supporting subject -predicate->
// object (see Evidence).
func (s *Store) Why(ctx context.Context, subjectID, predicate, objectID string) ([]EvidenceItem, error) {
	return s.Evidence(ctx, subjectID, predicate, objectID)
}

// Event kinds of a timeline.
const (
	EventRelation  = "relation"
	EventStatement = "statement"
)

// TimelineEvent is one dated fact involving an entity: a relation read from
// a sentence, or a statement by or about it.
type TimelineEvent struct {
	Published time.Time `json:"published,omitzero"`
	Kind      string    `json:"kind"` // "relation" or "statement"
	// Relations: Subject -Predicate-> Object. Statements: Subject is the
	// speaker (absent when unknown), Predicate "says", About the entities
	// the words concern.
	Subject    *EntityRef  `json:"subject,omitempty"`
	Predicate  string      `json:"predicate"`
	Object     *EntityRef  `json:"object,omitempty"`
	About      []EntityRef `json:"about,omitempty"`
	Text       string      `json:"text,omitempty"` // statement words
	Sentence   string      `json:"sentence"`
	Confidence float64     `json:"confidence,omitempty"`
	Article    ArticleRef  `json:"article"`
}

// Window restricts a listing to articles published in [Since, Until] (zero:
// open) and to at most Limit items (<= 0: all).
type Window struct {
	Since, Until time.Time
	Limit        int
}

// TimelineResult is an entity's timeline.
type TimelineResult struct {
	Entity EntityRef       `json:"entity"`
	Events []TimelineEvent `json:"events"`
	// Truncated reports that a walk stopped at the hub limit.
	Truncated bool `json:"truncated,omitempty"`
}

// Timeline lists the relations read about entity id (as subject or object)
// and the statements by or about it, oldest first. Undated facts come last
// and never match a date window.
func (s *Store) Timeline(ctx context.Context, id string, w Window) (*TimelineResult, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("timeline %s: %w", id, err)
	}
	defer unlock()
	if err := s.requireEntity(ctx, id); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	d := s.newDescriber()
	res := &TimelineResult{Events: []TimelineEvent{}}
	if res.Entity, err = d.ref(ctx, id); err != nil {
		return nil, fmt.Errorf("timeline %s: %w", id, err)
	}
	E := entityIRI(id)
	var nodes []string
	seen := make(map[string]bool)
	for _, p := range []quad.IRI{predSubject, predObject, predSpeaker, predAbout} {
		ids, trunc, err := s.subjectsOf(ctx, p, E, s.hubLimit)
		if err != nil {
			return nil, fmt.Errorf("timeline %s: %w", id, err)
		}
		res.Truncated = res.Truncated || trunc
		for _, n := range ids {
			if !seen[n] {
				seen[n] = true
				nodes = append(nodes, n)
			}
		}
	}
	for _, nid := range nodes {
		n, err := s.readNode(ctx, nid)
		if err != nil {
			return nil, fmt.Errorf("timeline %s: %w", id, err)
		}
		ev, ok, err := s.event(ctx, d, n, w)
		if err != nil {
			return nil, fmt.Errorf("timeline %s: %w", id, err)
		}
		if ok {
			res.Events = append(res.Events, ev)
		}
	}
	sort.SliceStable(res.Events, func(i, j int) bool {
		a, b := res.Events[i], res.Events[j]
		if !a.Published.Equal(b.Published) {
			if a.Published.IsZero() || b.Published.IsZero() {
				return b.Published.IsZero()
			}
			return a.Published.Before(b.Published)
		}
		if a.Article.ID != b.Article.ID {
			return a.Article.ID < b.Article.ID
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Sentence+a.Text < b.Sentence+b.Text
	})
	if w.Limit > 0 && len(res.Events) > w.Limit {
		res.Events = res.Events[:w.Limit]
	}
	return res, nil
}

// event describes an evidence or statement node, if its article falls in
// the window.
func (s *Store) event(ctx context.Context, d *describer, n node, w Window) (TimelineEvent, bool, error) {
	var ev TimelineEvent
	if n.article == "" {
		return ev, false, nil
	}
	ar, err := d.article(ctx, n.article)
	if err != nil {
		return ev, false, err
	}
	if !inWindow(ar.Published, w.Since, w.Until) {
		return ev, false, nil
	}
	ev = TimelineEvent{Published: ar.Published, Sentence: n.sentence, Article: *ar}
	ref := func(id string) (*EntityRef, error) {
		if id == "" {
			return nil, nil
		}
		r, err := d.ref(ctx, id)
		return &r, err
	}
	switch n.typ {
	case typeEvidence:
		ev.Kind, ev.Predicate, ev.Confidence = EventRelation, n.pred, n.conf
		if ev.Subject, err = ref(n.subject); err != nil {
			return ev, false, err
		}
		if ev.Object, err = ref(n.object); err != nil {
			return ev, false, err
		}
	case typeStatement:
		ev.Kind, ev.Predicate, ev.Text = EventStatement, "says", n.text
		if ev.Subject, err = ref(n.speaker); err != nil {
			return ev, false, err
		}
		for _, a := range n.about {
			r, err := d.ref(ctx, a)
			if err != nil {
				return ev, false, err
			}
			ev.About = append(ev.About, r)
		}
	default:
		return ev, false, nil
	}
	return ev, true, nil
}

// StatementQuery selects statements. By and About are entity ids; empty
// means any.
type StatementQuery struct {
	By, About string
	Window
}

// StatementItem is one attributed statement.
type StatementItem struct {
	ID       string      `json:"id"`
	Speaker  *EntityRef  `json:"speaker,omitempty"`
	Text     string      `json:"text"`
	About    []EntityRef `json:"about"`
	Sentence string      `json:"sentence"`
	Article  ArticleRef  `json:"article"`
}

// Statements lists statements by a speaker and/or about an entity, newest
// first. Without either it lists all statements; every walk stops at the
// hub limit.
func (s *Store) Statements(ctx context.Context, q StatementQuery) ([]StatementItem, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	defer unlock()
	var ids []string
	switch {
	case q.By != "":
		if err := s.requireEntity(ctx, q.By); err != nil {
			return nil, fmt.Errorf("statements: %w", err)
		}
		ids, _, err = s.subjectsOf(ctx, predSpeaker, entityIRI(q.By), s.hubLimit)
	case q.About != "":
		ids, _, err = s.subjectsOf(ctx, predAbout, entityIRI(q.About), s.hubLimit)
	default:
		ids, _, err = s.subjectsOf(ctx, predType, quad.String(typeStatement), s.hubLimit)
	}
	if err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	if q.About != "" {
		if err := s.requireEntity(ctx, q.About); err != nil {
			return nil, fmt.Errorf("statements: %w", err)
		}
	}
	d := s.newDescriber()
	out := []StatementItem{}
	for _, id := range ids {
		n, err := s.readNode(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("statements: %w", err)
		}
		if n.typ != typeStatement || (q.About != "" && !slices.Contains(n.about, q.About)) {
			continue
		}
		ev, ok, err := s.event(ctx, d, n, q.Window)
		if err != nil {
			return nil, fmt.Errorf("statements: %w", err)
		}
		if !ok {
			continue
		}
		it := StatementItem{ID: id, Speaker: ev.Subject, Text: ev.Text, About: ev.About, Sentence: ev.Sentence, Article: ev.Article}
		if it.About == nil {
			it.About = []EntityRef{}
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Article.Published, out[j].Article.Published
		if !a.Equal(b) {
			return a.After(b)
		}
		return out[i].ID < out[j].ID
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// Cooccurrence is an entity mentioned in the same articles as another.
type Cooccurrence struct {
	Entity   EntityRef `json:"entity"`
	Articles int       `json:"articles"` // articles mentioning both
}

// CooccurOptions filter Cooccur.
type CooccurOptions struct {
	Types []string // only entities of these types
	Limit int      // at most this many, most frequent first; <= 0: all
}

// CooccurResult lists the entities most often mentioned with one entity.
type CooccurResult struct {
	Entity   EntityRef      `json:"entity"`
	Articles int            `json:"articles"` // articles walked
	Items    []Cooccurrence `json:"items"`
	// Truncated reports that only the first hub-limit articles were walked.
	Truncated bool `json:"truncated,omitempty"`
}

// Cooccur counts, over the articles mentioning entity id (at most the hub
// limit of them), the other entities they mention.
func (s *Store) Cooccur(ctx context.Context, id string, opt CooccurOptions) (*CooccurResult, error) {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("cooccur %s: %w", id, err)
	}
	defer unlock()
	if err := s.requireEntity(ctx, id); err != nil {
		return nil, fmt.Errorf("cooccur: %w", err)
	}
	d := s.newDescriber()
	res := &CooccurResult{Items: []Cooccurrence{}}
	if res.Entity, err = d.ref(ctx, id); err != nil {
		return nil, fmt.Errorf("cooccur %s: %w", id, err)
	}
	var arts []cgraph.Ref
	res.Truncated, err = s.scanRefs(ctx, pattern{O: entityIRI(id), P: predMentions}, s.hubLimit, func(r cgraph.Ref) error {
		a, err := s.qs.QuadDirection(r, quad.Subject)
		arts = append(arts, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("cooccur %s: %w", id, err)
	}
	res.Articles = len(arts)
	mentions, err := s.vocabRef(predMentions)
	if err != nil {
		return nil, fmt.Errorf("cooccur %s: %w", id, err)
	}
	self, err := s.qs.ValueOf(entityIRI(id))
	if err != nil {
		return nil, fmt.Errorf("cooccur %s: %w", id, err)
	}
	counts := make(map[any]int)
	refOf := make(map[any]cgraph.Ref)
	for _, a := range arts {
		_, err := s.scanWants(ctx, []dirRef{{quad.Subject, a}, {quad.Predicate, mentions}}, 0, func(r cgraph.Ref) error {
			o, err := s.qs.QuadDirection(r, quad.Object)
			if err != nil {
				return err
			}
			k := keyOf(o)
			if k == keyOf(self) {
				return nil
			}
			counts[k]++
			refOf[k] = o
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("cooccur %s: %w", id, err)
		}
	}
	keys := make([]any, 0, len(counts))
	rs := make([]cgraph.Ref, 0, len(counts))
	for k, r := range refOf {
		keys = append(keys, k)
		rs = append(rs, r)
	}
	vals, err := cgraph.ValuesOf(ctx, s.qs, rs)
	if err != nil {
		return nil, fmt.Errorf("cooccur %s: %w", id, err)
	}
	type cand struct {
		id string
		n  int
	}
	var cands []cand
	for i, v := range vals {
		oid := iriString(v)
		if oid == "" {
			continue
		}
		if len(opt.Types) > 0 && !slices.Contains(opt.Types, string(model.TypeOfID(oid))) {
			continue
		}
		cands = append(cands, cand{oid, counts[keys[i]]})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].n != cands[j].n {
			return cands[i].n > cands[j].n
		}
		return cands[i].id < cands[j].id
	})
	if opt.Limit > 0 && len(cands) > opt.Limit {
		cands = cands[:opt.Limit]
	}
	for _, c := range cands {
		r, err := d.ref(ctx, c.id)
		if err != nil {
			return nil, fmt.Errorf("cooccur %s: %w", id, err)
		}
		res.Items = append(res.Items, Cooccurrence{Entity: r, Articles: c.n})
	}
	return res, nil
}

package extract

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Options configure an Extractor.
type Options struct {
	Logger *slog.Logger // nil: no logging
}

// Extractor reads entities, relations and statements from articles. It is
// safe for concurrent use: all state lives in the gazetteer and the matcher,
// both read-only after New.
type Extractor struct {
	gaz         *Gazetteer
	m           *matcher
	log         *slog.Logger
	byNorm      map[string]string // normalised canonical name or alias → id, for discovered names
	byActNumber map[string]string // EU act number ("2022/2555") → law id, from the laws' aliases
}

// New builds an extractor over a gazetteer.
func New(g *Gazetteer, opts Options) *Extractor {
	x := &Extractor{gaz: g, m: newMatcher(), log: opts.Logger, byNorm: map[string]string{}, byActNumber: map[string]string{}}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	for _, id := range g.order {
		e := g.entries[id]
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if g.Stopped(n) {
				continue
			}
			x.m.add(id, n)
			key := normPhrase(n)
			if _, ok := x.byNorm[key]; !ok {
				x.byNorm[key] = id
			}
			if e.Type == model.Law {
				for _, num := range actNumber.FindAllString(n, -1) {
					x.byActNumber[num] = id
				}
			}
		}
	}
	return x
}

// mention is one place where an entity is named (or referred to) in a sentence.
type mention struct {
	id         string
	sent       int
	start, end int    // token range in the sentence
	surface    string // the words as written
	coref      bool   // a reference such as "die Behörde", not a name
}

// doc is the working state of one extraction.
type doc struct {
	x         *Extractor
	article   model.Article
	sents     []*sentence
	ments     [][]mention // per sentence, sorted by start
	entities  map[string]*model.Entity
	order     []string
	relations []model.Relation
	relSeen   map[string]int
	sectionOf map[string]string // section id → its law's id
	surnames  map[string]string // normalised surname → discovered person id
	hasCVE    bool              // the article names a CVE id
}

// Extract runs the whole extraction on one article.
func (x *Extractor) Extract(ctx context.Context, a model.Article) (model.Document, error) {
	if err := ctx.Err(); err != nil {
		return model.Document{}, fmt.Errorf("extract: %w", err)
	}
	d := &doc{x: x, article: a, entities: map[string]*model.Entity{}, relSeen: map[string]int{}, sectionOf: map[string]string{}, surnames: map[string]string{}}
	d.segment()
	d.hasCVE = cvePattern.MatchString(a.Text) || cvePattern.MatchString(a.Title)
	for i := range d.sents {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return model.Document{}, fmt.Errorf("extract: %w", err)
			}
		}
		d.findEntities(i)
	}
	d.mergeAppositions()
	d.surnameMentions()
	d.resolveReferences()
	d.findRelations()
	stmts := d.findStatements()
	return model.Document{Article: a, Entities: d.entityList(), Relations: d.relationList(), Statements: stmts}, nil
}

// segment cuts the headline and the body into sentences.
func (d *doc) segment() {
	add := func(text string, para int) {
		d.sents = append(d.sents, &sentence{Text: text, Paragraph: para, Index: len(d.sents), Tokens: tokenize(text)})
	}
	if t := strings.TrimSpace(d.article.Title); t != "" {
		add(strings.Join(strings.Fields(t), " "), -1)
	}
	for pi, p := range splitParagraphs(d.article.Text) {
		// The headline is often repeated at the top of the body.
		if pi == 0 && len(d.sents) == 1 && p == d.sents[0].Text {
			continue
		}
		for _, s := range splitSentences(p) {
			add(s, pi)
		}
	}
	d.ments = make([][]mention, len(d.sents))
}

var (
	actNumber    = regexp.MustCompile(`\b(?:19|20)\d{2}/\d{1,4}\b`)
	actCitation  = regexp.MustCompile(`(?i)\b(?:EU-|EG-)?(?:Richtlinie|Verordnung|Directive|Regulation)\s*(?:\((?:EU|EG|EWG|EC|EEC)\)\s*)?(?:Nr\.\s*|No\.?\s*)?((?:19|20)\d{2}/\d{1,4})\b`)
	cvePattern   = regexp.MustCompile(`\bCVE-(\d{4})-(\d{4,7})\b`)
	actorPattern = regexp.MustCompile(`\b(?:(?:Storm|DEV)-\d{4}|APT ?\d{1,3}|UNC\d{3,5}|FIN\d{1,3}|TA\d{3,4}|[A-Z][a-z]{2,} (?:Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Tsunami|Cyclone|Panda|Chollima|Kitten))\b`)
)

// findEntities finds gazetteer names, patterns and law citations in one sentence.
func (d *doc) findEntities(si int) {
	s := d.sents[si]
	var ms []mention
	for _, m := range d.x.m.find(s.Tokens) {
		surface := s.Text[s.Tokens[m.start].Start:s.Tokens[m.end-1].End]
		if d.x.gaz.Stopped(surface) {
			continue
		}
		ms = append(ms, mention{id: m.id, sent: si, start: m.start, end: m.end, surface: surface})
	}
	// Patterns fill what the gazetteer does not know.
	// Each pattern runs only on sentences that can hold a match: the
	// regexps cost more than all the rest of the extraction otherwise.
	addPattern := func(re *regexp.Regexp, may bool, mk func(text string) (id string, typ model.EntityType, name string)) {
		if !may {
			return
		}
		for _, loc := range re.FindAllStringIndex(s.Text, -1) {
			ts, te := tokenRange(s.Tokens, loc[0], loc[1])
			if ts < 0 || overlaps(ms, ts, te) {
				continue
			}
			text := s.Text[loc[0]:loc[1]]
			id, typ, name := mk(text)
			if _, ok := d.x.gaz.Lookup(id); !ok {
				d.discovered(id, typ, name)
			}
			ms = append(ms, mention{id: id, sent: si, start: ts, end: te, surface: text})
		}
	}
	// EU acts cited by number: "EU-Richtlinie 2022/2555", "Regulation (EU) 2016/679".
	var acts [][]int
	if strings.Contains(s.Text, "/") {
		acts = actCitation.FindAllStringSubmatchIndex(s.Text, -1)
	}
	for _, loc := range acts {
		id, ok := d.x.byActNumber[s.Text[loc[2]:loc[3]]]
		if !ok {
			continue
		}
		ts, te := tokenRange(s.Tokens, loc[0], loc[1])
		if ts < 0 {
			continue
		}
		var kept []mention
		for _, m := range ms {
			if m.start < te && ts < m.end {
				continue // the act's number names it better than "EU" or "Richtlinie" inside it
			}
			kept = append(kept, m)
		}
		ms = append(kept, mention{id: id, sent: si, start: ts, end: te, surface: s.Text[loc[0]:loc[1]]})
	}
	addPattern(cvePattern, strings.Contains(s.Text, "CVE-"), func(t string) (string, model.EntityType, string) {
		t = strings.ToUpper(t)
		return "vulnerability:" + strings.ToLower(t), model.Vulnerability, t
	})
	addPattern(actorPattern, actorCue(s.Text), func(t string) (string, model.EntityType, string) {
		if strings.HasPrefix(t, "APT ") {
			t = "APT" + t[4:]
		}
		if id, ok := d.x.byNorm[normPhrase(t)]; ok {
			e, _ := d.x.gaz.Lookup(id)
			return id, e.Type, e.Name
		}
		return "threat_actor:" + slug(t), model.ThreatActor, t
	})
	sort.Slice(ms, func(a, b int) bool { return ms[a].start < ms[b].start })
	ms = d.discover(si, ms)
	ms = d.lawSections(si, ms)
	d.ments[si] = ms
}

// discovered registers an entity that is not in the gazetteer.
func (d *doc) discovered(id string, typ model.EntityType, name string) {
	if _, ok := d.entities[id]; ok {
		return
	}
	d.entities[id] = &model.Entity{ID: id, Type: typ, Name: name, Aliases: []string{}}
	d.order = append(d.order, id)
}

// tokenRange maps a byte range of a sentence onto the tokens it covers.
func tokenRange(toks []token, start, end int) (int, int) {
	ts, te := -1, -1
	for i, t := range toks {
		if ts < 0 && t.Start >= start {
			ts = i
		}
		if t.End <= end {
			te = i + 1
		}
	}
	if ts < 0 || te <= ts {
		return -1, -1
	}
	return ts, te
}

func overlaps(ms []mention, start, end int) bool {
	for _, m := range ms {
		if m.start < end && start < m.end {
			return true
		}
	}
	return false
}

// slug makes the id part of a name: lower case ASCII letters, digits and hyphens.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ä':
			b.WriteString("ae")
		case 'ö':
			b.WriteString("oe")
		case 'ü':
			b.WriteString("ue")
		case 'ß':
			b.WriteString("ss")
		default:
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
				dash = false
				continue
			}
			if r == '.' && b.Len() > 0 {
				b.WriteRune('.')
				continue
			}
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		dash = false
	}
	return strings.Trim(b.String(), "-.")
}

// entityList is the document's entities in order of first mention, with mention counts.
func (d *doc) entityList() []model.Entity {
	counts := map[string]int{}
	first := map[string]int{}
	n := 0
	for _, ms := range d.ments {
		for _, m := range ms {
			counts[m.id]++
			if _, ok := first[m.id]; !ok {
				first[m.id] = n
				n++
			}
		}
	}
	// Parent laws of cited sections are entities of the article too.
	for _, r := range d.relations {
		for _, id := range []string{r.Subject, r.Object} {
			if _, ok := first[id]; !ok {
				first[id] = n
				n++
			}
		}
	}
	ids := make([]string, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return first[ids[a]] < first[ids[b]] })
	out := make([]model.Entity, 0, len(ids))
	for _, id := range ids {
		e := d.entity(id)
		if e == nil {
			continue
		}
		c := *e
		c.Mentions = counts[id]
		out = append(out, c)
	}
	return out
}

// entity describes an id, from the gazetteer or from what the article taught.
func (d *doc) entity(id string) *model.Entity {
	if e, ok := d.entities[id]; ok {
		return e
	}
	g, ok := d.x.gaz.Lookup(id)
	if !ok {
		return nil
	}
	e := &model.Entity{ID: g.ID, Type: g.Type, Name: g.Name, Aliases: append([]string{}, g.Aliases...), Wikidata: g.Wikidata}
	d.entities[id] = e
	return e
}

func (d *doc) relationList() []model.Relation {
	if d.relations == nil {
		return []model.Relation{}
	}
	return d.relations
}

// addRelation records a relation once per (subject, predicate, object),
// keeping the most confident evidence.
func (d *doc) addRelation(s string, p model.Predicate, o string, si int, conf float64) {
	d.addRelationText(s, p, o, d.sents[si].Text, conf)
}

func (d *doc) addRelationText(s string, p model.Predicate, o string, ev string, conf float64) {
	if s == "" || o == "" || s == o {
		return
	}
	key := s + "|" + string(p) + "|" + o
	if i, ok := d.relSeen[key]; ok {
		if conf > d.relations[i].Confidence {
			d.relations[i].Confidence = conf
			d.relations[i].Evidence = ev
		}
		return
	}
	d.relSeen[key] = len(d.relations)
	d.relations = append(d.relations, model.Relation{Subject: s, Predicate: p, Object: o, Evidence: ev, Confidence: conf})
}

func (d *doc) typeOf(id string) model.EntityType {
	if e := d.entity(id); e != nil {
		return e.Type
	}
	return model.TypeOfID(id)
}

// mergeAppositions folds two names of one thing: "Digitale-Dienste-Gesetz
// (Digital Services Act)" makes the article's mentions of the first the
// entity named in parentheses, when both have the same type.
func (d *doc) mergeAppositions() {
	into := map[string]string{}
	for si, ms := range d.ments {
		toks := d.sents[si].Tokens
		for k := 0; k+1 < len(ms); k++ {
			a, b := ms[k], ms[k+1]
			if a.id == b.id || d.typeOf(a.id) != d.typeOf(b.id) || d.sectionOf[a.id] != "" || d.sectionOf[b.id] != "" {
				continue
			}
			if b.start == a.end+1 && toks[a.end].Text == "(" && b.end < len(toks) && toks[b.end].Text == ")" {
				into[a.id] = b.id
			}
		}
	}
	if len(into) == 0 {
		return
	}
	for si := range d.ments {
		for k := range d.ments[si] {
			if to, ok := into[d.ments[si][k].id]; ok {
				d.ments[si][k].id = to
			}
		}
	}
	for from, to := range into {
		if e := d.entity(to); e != nil {
			if f := d.entity(from); f != nil {
				e.Aliases = appendUnique(e.Aliases, f.Name)
			}
		}
	}
}

// actorCue reports text that may hold a threat-actor name of the shapes
// actorPattern knows: a digit (Storm-0558, APT28, UNC5221) or a naming word.
func actorCue(text string) bool {
	if strings.ContainsAny(text, "0123456789") {
		return true
	}
	for _, w := range []string{"Typhoon", "Blizzard", "Sandstorm", "Sleet", "Tempest", "Tsunami", "Cyclone", "Panda", "Chollima", "Kitten"} {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

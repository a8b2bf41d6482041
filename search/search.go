package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	plainformat "github.com/blevesearch/bleve/v2/search/highlight/format/plain"
	simplefragmenter "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	ansihighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/ansi"
	htmlhighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	simplehighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Highlight styles for Request.Highlight.
const (
	HighlightPlain = "plain" // «matched» words; the default
	HighlightANSI  = "ansi"  // terminal colours
	HighlightHTML  = "html"  // <mark>matched</mark>, text HTML-escaped
	HighlightNone  = "none"  // no snippets from highlighting
)

// Plain highlight markers.
const (
	MarkBefore = "«"
	MarkAfter  = "»"
)

// Facet names in Result.Facets.
const (
	FacetSites       = "sites"
	FacetEntityTypes = "entity_types"
	FacetMonths      = "months"
	FacetLanguages   = "languages"
)

const (
	defaultSize      = 10
	maxSize          = 10000
	maxSnippets      = 3
	fragmentSize     = 200
	facetSize        = 20
	monthFacetSize   = 24
	plainHighlighter = "newsgraph_plain"
)

func init() {
	// Bleve looks highlighters up in a process-wide registry by name.
	err := registry.RegisterHighlighter(plainHighlighter, func(map[string]interface{}, *registry.Cache) (highlight.Highlighter, error) {
		return simplehighlighter.NewHighlighter(
			simplefragmenter.NewFragmenter(fragmentSize),
			plainformat.NewFragmentFormatter(MarkBefore, MarkAfter),
			simplehighlighter.DefaultSeparator), nil
	})
	if err != nil {
		panic(err)
	}
}

// Request is one search. The zero value lists the newest articles.
type Request struct {
	Query       string    // Bleve query-string syntax; empty matches all
	Since       time.Time // published at or after (inclusive); zero = open; undated documents never match a range
	Until       time.Time // published at or before (inclusive instant: pass the end of a day to include it); zero = open
	Sites       []string  // site names, exact but case-insensitive; any of them
	Entities    []string  // entity ids; a hit must mention all (statements: as speaker or about)
	AnyEntities []string  // entity ids; a hit must mention at least one of them
	EntityTypes []string  // entity types; a hit must mention an entity of each
	Kind        string    // "article" (default), "statement" or "all"
	Languages   []string  // language codes; any of them
	Size, From  int       // page; Size 0 means 10
	Facets      bool      // compute sites, entity_types, months, languages
	Highlight   string    // "plain" (default), "ansi", "html" or "none"
}

// Result is one page of hits.
type Result struct {
	Total  uint64                  `json:"total"`
	Took   time.Duration           `json:"-"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets"`
}

// Hit is one matching article or statement.
type Hit struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Published string   `json:"published"` // RFC 3339 or ""
	Site      string   `json:"site"`
	Language  string   `json:"language"`
	Score     float64  `json:"score"`
	Snippets  []string `json:"snippets"`
	Speaker   string   `json:"speaker,omitempty"`
	ArticleID string   `json:"article_id,omitempty"`
}

// FacetCount is one facet term and the number of hits that have it.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// storedFields are loaded for every hit.
var storedFields = func() []string {
	f := []string{fieldKind, fieldURL, fieldTitle, fieldPublishedText, fieldSite, fieldLanguage, fieldSpeaker, fieldArticleID}
	for _, l := range langSuffixes {
		f = append(f, langField("description", l.suffix))
	}
	return f
}()

// snippetGroups are the highlighted fields, best first; a group is used only
// when the groups before it gave no snippet (a headline adds little to a body
// fragment).
var snippetGroups = func() [][]string {
	var groups [][]string
	for _, bases := range [][]string{{"text", "body", "description"}, {"title"}} {
		var g []string
		for _, base := range bases {
			for _, l := range langSuffixes {
				g = append(g, langField(base, l.suffix))
			}
		}
		groups = append(groups, g)
	}
	return groups
}()

// snippetFields lists all highlighted fields.
var snippetFields = slices.Concat(snippetGroups...)

// Search runs a request. Query syntax errors and invalid options wrap ErrBadQuery.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	if err := ix.acquire(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer ix.mu.RUnlock()
	sr, err := buildRequest(req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Result{Total: res.Total, Took: res.Took, Hits: make([]Hit, 0, len(res.Hits)), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHit(h))
	}
	if req.Facets {
		out.Facets = toFacets(res.Facets)
	}
	return out, nil
}

// buildRequest turns a Request into a Bleve search request.
func buildRequest(req Request) (*bleve.SearchRequest, error) {
	size := req.Size
	if size == 0 {
		size = defaultSize
	}
	if size < 0 || size > maxSize || req.From < 0 {
		return nil, fmt.Errorf("%w: size %d, from %d (size 1..%d, from >= 0)", ErrBadQuery, req.Size, req.From, maxSize)
	}
	userQuery, err := ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	filters, err := filterQueries(req)
	if err != nil {
		return nil, err
	}
	q := userQuery
	if len(filters) > 0 {
		b := query.NewBooleanQuery([]query.Query{userQuery}, nil, nil)
		b.AddFilter(query.NewConjunctionQuery(filters))
		q = b
	}
	sr := bleve.NewSearchRequestOptions(q, size, req.From, false)
	sr.Fields = storedFields
	if strings.TrimSpace(req.Query) == "" {
		// every hit scores alike: show the newest first
		sr.SortByCustom(search.SortOrder{
			&search.SortField{Field: fieldPublished, Type: search.SortFieldAsDate, Desc: true, Missing: search.SortFieldMissingLast},
			&search.SortDocID{},
		})
	}
	switch style := req.Highlight; style {
	case "", HighlightPlain:
		sr.Highlight = bleve.NewHighlightWithStyle(plainHighlighter)
	case HighlightANSI:
		sr.Highlight = bleve.NewHighlightWithStyle(ansihighlighter.Name)
	case HighlightHTML:
		sr.Highlight = bleve.NewHighlightWithStyle(htmlhighlighter.Name)
	case HighlightNone:
	default:
		return nil, fmt.Errorf("%w: highlight style %q (want plain, ansi, html or none)", ErrBadQuery, style)
	}
	if sr.Highlight != nil {
		sr.Highlight.Fields = snippetFields
	}
	if req.Facets {
		sr.AddFacet(FacetSites, bleve.NewFacetRequest(fieldSite, facetSize))
		sr.AddFacet(FacetEntityTypes, bleve.NewFacetRequest(fieldEntityType, facetSize))
		sr.AddFacet(FacetMonths, bleve.NewFacetRequest(fieldMonth, monthFacetSize))
		sr.AddFacet(FacetLanguages, bleve.NewFacetRequest(fieldLanguage, facetSize))
	}
	return sr, nil
}

// filterQueries returns the request's filters; a hit must satisfy all.
func filterQueries(req Request) ([]query.Query, error) {
	var fs []query.Query
	term := func(field, value string) query.Query {
		t := query.NewTermQuery(value)
		t.SetField(field)
		return t
	}
	anyOf := func(field string, values []string, norm func(string) string) query.Query {
		var qs []query.Query
		for _, v := range values {
			if v = norm(v); v != "" {
				qs = append(qs, term(field, v))
			}
		}
		if len(qs) == 0 {
			return nil
		}
		return query.NewDisjunctionQuery(qs)
	}
	switch strings.ToLower(req.Kind) {
	case "", KindArticle:
		fs = append(fs, term(fieldKind, KindArticle))
	case KindStatement:
		fs = append(fs, term(fieldKind, KindStatement))
	case KindAll:
	default:
		return nil, fmt.Errorf("%w: kind %q (want article, statement or all)", ErrBadQuery, req.Kind)
	}
	if !req.Since.IsZero() || !req.Until.IsZero() {
		if !req.Since.IsZero() && !req.Until.IsZero() && req.Until.Before(req.Since) {
			return nil, fmt.Errorf("%w: until %s is before since %s", ErrBadQuery,
				req.Until.Format(time.RFC3339), req.Since.Format(time.RFC3339))
		}
		incl := true
		d := query.NewDateRangeInclusiveQuery(req.Since, req.Until, &incl, &incl)
		d.SetField(fieldPublished)
		fs = append(fs, d)
	}
	lower := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	if q := anyOf(fieldSiteKey, req.Sites, lower); q != nil {
		fs = append(fs, q)
	}
	if q := anyOf(fieldLanguage, req.Languages, normLanguage); q != nil {
		fs = append(fs, q)
	}
	for _, id := range req.Entities {
		if id = strings.TrimSpace(id); id != "" {
			fs = append(fs, term(fieldEntity, id))
		}
	}
	trim := func(s string) string { return strings.TrimSpace(s) }
	if q := anyOf(fieldEntity, req.AnyEntities, trim); q != nil {
		fs = append(fs, q)
	}
	for _, t := range req.EntityTypes {
		if t = lower(t); t != "" {
			fs = append(fs, term(fieldEntityType, t))
		}
	}
	return fs, nil
}

func toHit(h *search.DocumentMatch) Hit {
	str := func(field string) string {
		switch v := h.Fields[field].(type) {
		case string:
			return v
		case []interface{}:
			if len(v) > 0 {
				if s, ok := v[0].(string); ok {
					return s
				}
			}
		}
		return ""
	}
	hit := Hit{
		ID: h.ID, Kind: str(fieldKind), URL: str(fieldURL), Title: str(fieldTitle),
		Published: str(fieldPublishedText), Site: str(fieldSite), Language: str(fieldLanguage),
		Score: h.Score, Speaker: str(fieldSpeaker), ArticleID: str(fieldArticleID),
		Snippets: []string{},
	}
	// The highlighter also returns the opening fragment of fields that did
	// not match; only fields with term locations give real snippets.
	for _, group := range snippetGroups {
		for _, f := range group {
			if len(h.Locations[f]) == 0 {
				continue
			}
			for _, frag := range h.Fragments[f] {
				if frag = foldSpace(frag); len(hit.Snippets) < maxSnippets && frag != "" {
					hit.Snippets = append(hit.Snippets, frag)
				}
			}
		}
		if len(hit.Snippets) > 0 {
			return hit
		}
	}
	// Nothing matched in the text (filters only, or a match in a keyword
	// field): show the description, else the opening of the body.
	for _, l := range langSuffixes {
		if d := str(langField("description", l.suffix)); d != "" {
			hit.Snippets = append(hit.Snippets, shorten(d, fragmentSize))
			return hit
		}
	}
	for _, base := range []string{"text", "body"} {
		for _, l := range langSuffixes {
			if frags := h.Fragments[langField(base, l.suffix)]; len(frags) > 0 && foldSpace(frags[0]) != "" {
				hit.Snippets = append(hit.Snippets, foldSpace(frags[0]))
				return hit
			}
		}
	}
	return hit
}

// foldSpace puts a fragment on one line: paragraph breaks become spaces.
// Bleve cuts fragments at byte counts, so a word cut in half at either end
// is dropped (unless it holds a highlight marker).
func foldSpace(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const ellipsis = simplehighlighter.DefaultSeparator
	if rest, ok := strings.CutPrefix(s, ellipsis); ok && rest != "" && rest[0] != ' ' {
		if i := strings.IndexByte(rest, ' '); i > 0 && !hasMarker(rest[:i]) {
			s = ellipsis + rest[i:]
		}
	}
	if rest, ok := strings.CutSuffix(s, ellipsis); ok && rest != "" && rest[len(rest)-1] != ' ' {
		if i := strings.LastIndexByte(rest, ' '); i > 0 && !hasMarker(rest[i:]) {
			s = rest[:i] + " " + ellipsis
		}
	}
	return s
}

// hasMarker reports whether s holds a highlight marker of any style.
func hasMarker(s string) bool {
	return strings.Contains(s, MarkBefore) || strings.Contains(s, MarkAfter) ||
		strings.ContainsAny(s, "<>\x1b")
}

// shorten cuts s to about n bytes at a word boundary.
func shorten(s string, n int) string {
	s = foldSpace(s)
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " …"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func toFacets(frs search.FacetResults) map[string][]FacetCount {
	out := make(map[string][]FacetCount, len(frs))
	for name, fr := range frs {
		counts := []FacetCount{}
		if fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counts = append(counts, FacetCount{Term: t.Term, Count: t.Count})
			}
		}
		if name == FacetMonths {
			slices.SortFunc(counts, func(a, b FacetCount) int { return strings.Compare(a.Term, b.Term) })
		}
		out[name] = counts
	}
	return out
}

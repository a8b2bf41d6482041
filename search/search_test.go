package search

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/ingest/model"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func ids(docs ...model.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Article.ID()
	}
	slices.Sort(out)
	return out
}

func hitIDs(r *Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	slices.Sort(out)
	return out
}

func TestSearch(t *testing.T) {
	ix := openFixtures(t)
	ctx := context.Background()
	tests := []struct {
		name string
		req  Request
		want []string
	}{
		{"phrase finds the article", Request{Query: `"Double Key Encryption"`}, ids(docBSI)},
		{"words without quotes match more", Request{Query: `Double Key Encryption`}, ids(docBSI, docCSRB)},
		{"german plural finds singular", Request{Query: "Sicherheitslücken"}, ids(docMOVEitDE)},
		{"german umlaut plural", Request{Query: "Flughafen"}, ids(docCrowdStrikeDE)},
		{"german phrase with inflection", Request{Query: `"nötige Auskunft"`}, ids(docBSI)},
		{"english stemming", Request{Query: "crashing"}, ids(docCrowdStrikeEN)},
		{"title field", Request{Query: "title:update"}, ids(docCrowdStrikeDE, docCrowdStrikeEN)},
		{"body field", Request{Query: "body:Zellis"}, ids(docMOVEitEN)},
		{"site in query string", Request{Query: "+site:heise"}, ids(docBSI)},
		{"required and excluded", Request{Query: "+MOVEit -Zellis"}, ids(docMOVEitDE)},
		{"wildcard is case-insensitive", Request{Query: "Crowd*"}, ids(docCrowdStrikeDE, docCrowdStrikeEN)},
		{"cve term", Request{Query: `"CVE-2023-34362"`}, ids(docMOVEitEN)},
		{"empty query matches all articles", Request{Size: 100}, ids(allFixtures...)},
		{"since", Request{Since: date("2024-01-01T00:00:00Z"), Size: 100}, ids(docCrowdStrikeDE, docCrowdStrikeEN, docCSRB)},
		{"until", Request{Until: date("2023-06-30T00:00:00Z"), Size: 100}, ids(docMOVEitEN, docMOVEitDE)},
		{"since and until", Request{Since: date("2023-06-10T00:00:00Z"), Until: date("2024-04-30T00:00:00Z")}, ids(docBSI, docMOVEitDE, docCSRB)},
		{"site filter is case-insensitive", Request{Sites: []string{"HEISE ONLINE"}}, ids(docBSI)},
		{"several sites", Request{Sites: []string{"The Record", "tagesschau"}}, ids(docMOVEitEN, docMOVEitDE, docCSRB)},
		{"site filter is exact", Request{Sites: []string{"heise"}}, ids()},
		{"entities must all be mentioned", Request{Entities: []string{"vendor:microsoft", "vendor:crowdstrike"}}, ids(docCrowdStrikeDE, docCrowdStrikeEN)},
		{"entity with query", Request{Query: "Schlüssel", Entities: []string{"threat_actor:storm-0558"}}, ids(docBSI)},
		{"entity type", Request{EntityTypes: []string{"threat_actor"}}, ids(docBSI, docMOVEitEN, docMOVEitDE, docCSRB)},
		{"entity types all required", Request{EntityTypes: []string{"threat_actor", "law"}}, ids(docBSI)},
		{"language", Request{Languages: []string{"EN"}}, ids(docCrowdStrikeEN, docMOVEitEN, docCSRB)},
		{"filters combine with query", Request{Query: "Microsoft", Languages: []string{"de"}, Since: date("2024-01-01T00:00:00Z")}, ids(docCrowdStrikeDE)},
		{"no match", Request{Query: "Quantencomputer"}, ids()},
		{"quoted keyword value", Request{Query: `+entity:"threat_actor:storm-0558"`}, ids(docBSI, docCSRB)},
		{"escaped keyword value", Request{Query: `+entity:threat_actor\:storm-0558`}, ids(docBSI, docCSRB)},
		{"keyword type in the query string", Request{Query: "+entity_type:law"}, ids(docBSI)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("hits %v, want %v", titles(res), tt.want)
			}
			if res.Total != uint64(len(tt.want)) {
				t.Errorf("total %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func titles(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID+" "+h.Title)
	}
	return out
}

func TestSearchHitFields(t *testing.T) {
	ix := openFixtures(t)
	res, err := ix.Search(context.Background(), Request{Query: `"Double Key Encryption"`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", titles(res))
	}
	h := res.Hits[0]
	a := docBSI.Article
	want := Hit{ID: a.ID(), Kind: KindArticle, URL: a.URL, Title: a.Title, Published: "2023-07-20T14:30:00+02:00",
		Site: a.Site, Language: "de", Score: h.Score, Snippets: h.Snippets}
	if !equalHit(h, want) {
		t.Errorf("hit %+v\nwant %+v", h, want)
	}
	if h.Score <= 0 {
		t.Errorf("score %v", h.Score)
	}
	if len(h.Snippets) == 0 || !strings.Contains(h.Snippets[0], MarkBefore+"Double"+MarkAfter) {
		t.Errorf("snippets %q lack the highlighted phrase", h.Snippets)
	}
}

func equalHit(a, b Hit) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestHighlightStyles(t *testing.T) {
	ix := openFixtures(t)
	tests := []struct {
		style, want string
	}{
		{"", "«Zellis»"},
		{HighlightPlain, "«Zellis»"},
		{HighlightHTML, "<mark>Zellis</mark>"},
		{HighlightANSI, "\x1b["},
		{HighlightNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.style, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: "Zellis", Highlight: tt.style})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 {
				t.Fatalf("hits %v", titles(res))
			}
			got := strings.Join(res.Hits[0].Snippets, "\n")
			if tt.want == "" {
				if len(res.Hits[0].Snippets) != 0 {
					t.Errorf("snippets %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("snippets %q lack %q", got, tt.want)
			}
		})
	}
}

func TestDescriptionSnippetFallback(t *testing.T) {
	ix := openFixtures(t)
	res, err := ix.Search(context.Background(), Request{Sites: []string{"heise online"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || len(res.Hits[0].Snippets) != 1 || !strings.HasPrefix(res.Hits[0].Snippets[0], "Nach dem Diebstahl") {
		t.Errorf("hits %+v, want the description as snippet", res.Hits)
	}
}

func TestSearchStatements(t *testing.T) {
	ix := openFixtures(t)
	ctx := context.Background()
	tests := []struct {
		name        string
		req         Request
		wantSpeaker []string
	}{
		{"german statement", Request{Kind: KindStatement, Query: "Sicherheitsvorfall"}, []string{"person:george-kurtz"}},
		{"statement by entity", Request{Kind: KindStatement, Entities: []string{"agency:cisa"}}, []string{"agency:cisa"}},
		{"statements by site", Request{Kind: KindStatement, Sites: []string{"golem.de"}}, []string{"person:george-kurtz", "vendor:crowdstrike"}},
		{"english stemming", Request{Kind: KindStatement, Query: "reverting"}, []string{"vendor:crowdstrike"}},
		{"all kinds", Request{Kind: KindAll, Query: "cyberattack"}, []string{"", "vendor:crowdstrike"}},
		{"articles by default", Request{Query: "Sicherheitsvorfall"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			var speakers []string
			for _, h := range res.Hits {
				speakers = append(speakers, h.Speaker)
				if h.Kind == KindStatement && (h.ArticleID == "" || h.URL == "" || h.Title == "" || len(h.Snippets) == 0) {
					t.Errorf("statement hit lacks article data: %+v", h)
				}
			}
			slices.Sort(speakers)
			if !slices.Equal(speakers, tt.wantSpeaker) {
				t.Errorf("speakers %q, want %q", speakers, tt.wantSpeaker)
			}
		})
	}
}

func TestStatementHit(t *testing.T) {
	ix := openFixtures(t)
	res, err := ix.Search(context.Background(), Request{Kind: KindStatement, Query: "Sicherheitsvorfall"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", titles(res))
	}
	h := res.Hits[0]
	aid := docCrowdStrikeDE.Article.ID()
	if h.ID != docCrowdStrikeDE.Statements[0].ID(aid) || h.ArticleID != aid || h.Kind != KindStatement ||
		h.Title != docCrowdStrikeDE.Article.Title || h.Site != "Golem.de" {
		t.Errorf("hit %+v", h)
	}
	if want := "weder um einen «Sicherheitsvorfall»"; len(h.Snippets) != 1 || !strings.Contains(h.Snippets[0], want) {
		t.Errorf("snippets %q, want %q", h.Snippets, want)
	}
}

func TestPaging(t *testing.T) {
	ix := openFixtures(t)
	ctx := context.Background()
	var seen []string
	for from := 0; from < 6; from += 2 {
		res, err := ix.Search(ctx, Request{Size: 2, From: from})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 6 || len(res.Hits) != 2 {
			t.Fatalf("from %d: total %d, %d hits", from, res.Total, len(res.Hits))
		}
		for _, h := range res.Hits {
			seen = append(seen, h.Published)
		}
	}
	// an empty query lists the newest first
	if !slices.IsSortedFunc(seen, func(a, b string) int { return date(b).Compare(date(a)) }) {
		t.Errorf("published not newest first: %v", seen)
	}
}

func TestFacets(t *testing.T) {
	ix := openFixtures(t)
	ctx := context.Background()
	tests := []struct {
		name string
		req  Request
	}{
		{"all_articles", Request{Facets: true, Highlight: HighlightNone}},
		{"query_microsoft", Request{Query: "Microsoft", Facets: true, Highlight: HighlightNone}},
		{"statements", Request{Kind: KindStatement, Facets: true, Highlight: HighlightNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(struct {
				Total  uint64                  `json:"total"`
				Facets map[string][]FacetCount `json:"facets"`
			}{res.Total, res.Facets}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "facets_"+tt.name+".json"), got)
		})
	}
}

// TestFacetCounts checks the counts independently of the golden files.
func TestFacetCounts(t *testing.T) {
	ix := openFixtures(t)
	res, err := ix.Search(context.Background(), Request{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	count := func(facet, term string) int {
		for _, c := range res.Facets[facet] {
			if c.Term == term {
				return c.Count
			}
		}
		return 0
	}
	checks := []struct {
		facet, term string
		want        int
	}{
		{FacetSites, "The Record", 2},
		{FacetSites, "heise online", 1},
		{FacetLanguages, "de", 3},
		{FacetLanguages, "en", 3},
		{FacetMonths, "2024-07", 2},
		{FacetMonths, "2023-06", 2},
		{FacetMonths, "2023-07", 1},
		{FacetEntityTypes, "vendor", 6},
		{FacetEntityTypes, "threat_actor", 4},
		{FacetEntityTypes, "law", 1},
	}
	for _, c := range checks {
		if got := count(c.facet, c.term); got != c.want {
			t.Errorf("%s %q: %d, want %d", c.facet, c.term, got, c.want)
		}
	}
	months := res.Facets[FacetMonths]
	if !slices.IsSortedFunc(months, func(a, b FacetCount) int { return strings.Compare(a.Term, b.Term) }) {
		t.Errorf("months not chronological: %v", months)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	got = append(got, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestBadRequests(t *testing.T) {
	ix := openFixtures(t)
	tests := []struct {
		name string
		req  Request
	}{
		{"range without value", Request{Query: "title:>"}},
		{"two colons", Request{Query: "a:b:c"}},
		{"open quote", Request{Query: `"Double Key`}},
		{"bad regexp", Request{Query: `/[a-/`}},
		{"dangling field", Request{Query: "title:"}},
		{"unknown kind", Request{Kind: "person"}},
		{"unknown highlight", Request{Highlight: "bold"}},
		{"negative size", Request{Size: -1}},
		{"until before since", Request{Since: date("2024-01-01T00:00:00Z"), Until: date("2023-01-01T00:00:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.req)
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("err %v, want ErrBadQuery", err)
			}
		})
	}
}

func TestSearchCancelled(t *testing.T) {
	ix := openFixtures(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, Request{Query: "Microsoft"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	if err := ix.Put(ctx, allFixtures); !errors.Is(err, context.Canceled) {
		t.Errorf("put err %v, want context.Canceled", err)
	}
}

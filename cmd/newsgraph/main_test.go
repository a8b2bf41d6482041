package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/cmd/internal/lockfile"
)

// cli runs newsgraph in-process against a data directory.
type cli struct {
	t    *testing.T
	data string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{t: t, data: t.TempDir()}
}

func (c *cli) run(stdin string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"--data", c.data}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// ok runs a command that must succeed and returns its output.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("newsgraph %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func (c *cli) json(v any, args ...string) {
	c.t.Helper()
	if err := json.Unmarshal([]byte(c.ok(append(args, "--json")...)), v); err != nil {
		c.t.Fatalf("newsgraph %s --json: %v", strings.Join(args, " "), err)
	}
}

type statsJSON struct {
	Articles   int            `json:"articles"`
	Entities   int            `json:"entities"`
	Relations  int            `json:"relations"`
	Statements int            `json:"statements"`
	Quads      int            `json:"quads"`
	ByType     map[string]int `json:"entities_by_type"`
	Index      map[string]int `json:"index"`
}

func TestSamplesEndToEnd(t *testing.T) {
	c := newCLI(t)
	c.ok("ingest", "--samples")
	var first statsJSON
	c.json(&first, "stats")
	if first.Articles < 20 || first.Entities < 50 || first.Relations < 10 || first.Statements < 1 || first.Quads < 1000 {
		t.Fatalf("stats after ingesting the samples look empty: %+v", first)
	}
	if first.Index["articles"] != first.Articles {
		t.Errorf("index holds %d articles, graph %d", first.Index["articles"], first.Articles)
	}

	// Ingesting again, by path this time, replaces and never duplicates.
	c.ok("ingest", filepath.Join("..", "..", "data", "samples"))
	var second statsJSON
	c.json(&second, "stats")
	if first.Articles != second.Articles || first.Entities != second.Entities || first.Relations != second.Relations ||
		first.Statements != second.Statements || first.Quads != second.Quads {
		t.Errorf("stats changed on re-ingest:\n first %+v\nsecond %+v", first, second)
	}

	t.Run("search finds Double Key Encryption", func(t *testing.T) {
		var res struct {
			Total int `json:"total"`
			Hits  []struct {
				URL, Title, Site, Published string
				Score                       float64
				Snippets                    []string
			} `json:"hits"`
			Facets map[string][]struct {
				Term  string
				Count int
			} `json:"facets"`
		}
		c.json(&res, "search", `"Double Key Encryption"`)
		if res.Total < 1 || len(res.Hits) == 0 {
			t.Fatalf("no hits: %+v", res)
		}
		found := false
		for _, h := range res.Hits {
			for _, s := range h.Snippets {
				if strings.Contains(s, "Encryption") {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("no snippet shows the phrase: %+v", res.Hits)
		}
		for _, f := range []string{"sites", "entity_types", "months"} {
			if len(res.Facets[f]) == 0 {
				t.Errorf("facet %s is empty", f)
			}
		}
	})

	t.Run("search by entity name", func(t *testing.T) {
		var res struct{ Total int }
		c.json(&res, "search", "", "--entity", "Bundesamt für Sicherheit in der Informationstechnik", "--since", "2024-01-01")
		if res.Total < 2 {
			t.Errorf("BSI articles since 2024: %d", res.Total)
		}
	})

	t.Run("entity BSI lists relations with evidence", func(t *testing.T) {
		var p struct {
			ID, Type, Name string
			Aliases        []string
			Articles       int
			Relations      []struct {
				Predicate, Direction string
				Other                struct{ ID, Name, Type string }
				Evidence             int
			}
		}
		c.json(&p, "entity", "bsi")
		if p.ID != "agency:bsi" || p.Type != "agency" || p.Articles < 3 || len(p.Aliases) == 0 {
			t.Fatalf("profile: %+v", p)
		}
		if len(p.Relations) == 0 {
			t.Fatal("no relations")
		}
		for _, r := range p.Relations {
			if r.Evidence < 1 || r.Other.ID == "" || (r.Direction != "in" && r.Direction != "out") {
				t.Errorf("relation without evidence or direction: %+v", r)
			}
		}
		out := c.ok("entity", "BSI")
		if !strings.Contains(out, "invokes") || !strings.Contains(out, "§ 7a BSIG") {
			t.Errorf("table lacks BSI invokes § 7a BSIG:\n%s", out)
		}
	})

	t.Run("Gizmo query returns nodes", func(t *testing.T) {
		out := c.ok("query", `g.V("<agency:bsi>").In("<mentions>").All()`)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 3 || !strings.Contains(lines[0], "article:") {
			t.Errorf("got %q", out)
		}
		if _, errOut, code := c.run("", "query", `g.V(`); code == 0 || errOut == "" {
			t.Errorf("a broken query: exit %d, %q", code, errOut)
		}
	})

	t.Run("unknown entity", func(t *testing.T) {
		_, errOut, code := c.run("", "entity", "Nonexistent Authority of Nowhere")
		if code == 0 || !strings.Contains(errOut, "no entity") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})
}

func TestExtractJSONContract(t *testing.T) {
	c := newCLI(t)
	var doc struct {
		Article  map[string]any
		Entities []struct {
			ID, Type, Name string
			Aliases        []string
			Mentions       int
		}
		Relations []struct {
			Subject, Predicate, Object, Evidence string
			Confidence                           float64
		}
		Statements []struct {
			Speaker, Text, Evidence string
			About                   []string
		}
	}
	c.json(&doc, "extract", filepath.Join("..", "..", "data", "samples", "heise-bsi-microsoft-paragraf-7a.html"))
	for _, k := range []string{"url", "title", "byline", "published", "language", "site", "text"} {
		if _, ok := doc.Article[k]; !ok {
			t.Errorf("article lacks %q", k)
		}
	}
	if _, err := time.Parse(time.RFC3339, doc.Article["published"].(string)); err != nil {
		t.Errorf("published: %v", err)
	}
	types := map[string]string{}
	for _, e := range doc.Entities {
		types[e.ID] = e.Type
	}
	for id, ty := range map[string]string{"agency:bsi": "agency", "vendor:microsoft": "vendor", "law:bsig-7a": "law", "law:bsig": "law"} {
		if types[id] != ty {
			t.Errorf("%s: type %q, want %q", id, types[id], ty)
		}
	}
	partOf := false
	for _, r := range doc.Relations {
		if r.Evidence == "" || r.Confidence <= 0 {
			t.Errorf("relation without evidence: %+v", r)
		}
		if r.Subject == "law:bsig-7a" && r.Predicate == "part_of" && r.Object == "law:bsig" {
			partOf = true
		}
	}
	if !partOf {
		t.Error("§ 7a BSIG is not part_of the BSI-Gesetz")
	}
	if len(doc.Statements) == 0 || doc.Statements[0].Speaker != "agency:bsi" {
		t.Errorf("statements: %+v", doc.Statements)
	}
	// extract stores nothing.
	if entries, _ := os.ReadDir(c.data); len(entries) != 0 {
		t.Errorf("extract wrote to the data directory: %v", entries)
	}
}

func TestIngestReportsBadInputsAndGoesOn(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.txt"), []byte("CISA warnt vor Ivanti-Lücken\n\nDie US-Behörde CISA warnt vor CVE-2024-21887 in Ivanti Connect Secure."), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.html"), []byte("<html><body><div><p></div></body>"), 0o644)
	os.WriteFile(filepath.Join(dir, "binary.txt"), []byte{0, 1, 2, 3, 0xff}, 0o644)
	out, errOut, code := c.run("", "ingest", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (some inputs failed)\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "failed: "+filepath.Join(dir, "binary.txt")) {
		t.Errorf("binary.txt not reported:\n%s", out)
	}
	var s statsJSON
	c.json(&s, "stats")
	if s.Articles != 1 {
		t.Errorf("stored %d articles, want the good one", s.Articles)
	}
}

func TestSecondProcessGetsAClearMessage(t *testing.T) {
	c := newCLI(t)
	l, err := lockfile.Acquire(context.Background(), filepath.Join(c.data, "LOCK"), 0, "newsgraph ingest")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	start := time.Now()
	_, errOut, code := c.run("", "stats", "--lock-wait", "300ms")
	if code == 0 || !strings.Contains(errOut, "in use") || !strings.Contains(errOut, "newsgraph ingest") {
		t.Errorf("exit %d, message %q", code, errOut)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

// TestHelpHasExamples checks every command and sub-command: --help works and shows examples.
func TestHelpHasExamples(t *testing.T) {
	c := newCLI(t)
	var walk func(cmd *cobra.Command, path []string)
	walk = func(cmd *cobra.Command, path []string) {
		for _, sub := range cmd.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			p := append(append([]string{}, path...), sub.Name())
			if sub.Runnable() {
				out := c.ok(append(p, "--help")...)
				if !strings.Contains(out, "Examples:") || !strings.Contains(out, "newsgraph "+strings.Join(p, " ")) {
					t.Errorf("newsgraph %s --help lacks examples", strings.Join(p, " "))
				}
			}
			walk(sub, p)
		}
	}
	walk((&app{}).rootCommand(), nil)
}

func TestDataDirectoryRule(t *testing.T) {
	tests := []struct {
		flag, env, xdg, want string
	}{
		{"/a", "/b", "/c", "/a"},
		{"", "/b", "/c", "/b"},
		{"", "", "/c", "/c/newsgraph"},
	}
	for _, tc := range tests {
		t.Setenv("NEWSGRAPH_DATA", tc.env)
		t.Setenv("XDG_DATA_HOME", tc.xdg)
		a := &app{dataDir: tc.flag}
		got, err := a.resolveDataDir()
		if err != nil || got != tc.want {
			t.Errorf("%+v: got %q, %v", tc, got, err)
		}
	}
}

func TestIngestAndExtractURLs(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "data", "samples", "therecord-bsi-microsoft-storm-0558.html"))
	if err != nil {
		t.Fatal(err)
	}
	var agent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent = r.UserAgent()
		switch r.URL.Path {
		case "/article":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := newCLI(t)
	var doc struct {
		Article struct{ Title, URL string }
	}
	c.json(&doc, "extract", srv.URL+"/article")
	if !strings.Contains(doc.Article.Title, "Microsoft") {
		t.Errorf("title %q", doc.Article.Title)
	}
	if !strings.HasPrefix(agent, "newsgraph/") {
		t.Errorf("User-Agent %q does not name newsgraph", agent)
	}
	out, _, code := c.run("", "ingest", srv.URL+"/article", srv.URL+"/missing")
	if code != 1 || !strings.Contains(out, "404") {
		t.Errorf("exit %d, want 1 with the 404 reported:\n%s", code, out)
	}
	var s statsJSON
	c.json(&s, "stats")
	if s.Articles != 1 {
		t.Errorf("articles %d, want 1", s.Articles)
	}
}

// TestUserSiteRules checks that DATA/sites/*.tsv takes effect: a byline rule
// for a site newsgraph has no built-in rule for.
func TestUserSiteRules(t *testing.T) {
	c := newCLI(t)
	page := `<!DOCTYPE html><html lang="en"><head><title>CISA adds Ivanti flaws to its catalog</title></head><body>
<div class="masthead">Example Security News</div>
<article><h1>CISA adds Ivanti flaws to its catalog</h1>
<span class="reporter-line">Written by Jane Sample</span>
<p>The US Cybersecurity and Infrastructure Security Agency added two Ivanti Connect Secure flaws, CVE-2023-46805 and CVE-2024-21887, to its catalog of known exploited vulnerabilities in January 2024.</p>
<p>Federal civilian agencies were told to apply mitigations quickly, because attackers were already chaining the two bugs to take over VPN appliances.</p>
</article></body></html>`
	file := filepath.Join(t.TempDir(), "page.html")
	os.WriteFile(file, []byte(page), 0o644)
	os.MkdirAll(filepath.Join(c.data, "sites"), 0o755)
	os.WriteFile(filepath.Join(c.data, "sites", "mine.tsv"), []byte("example-security.test\tbyline\tspan.reporter-line\n"), 0o644)
	var doc struct{ Article struct{ Byline string } }
	c.json(&doc, "extract", "--url", "https://example-security.test/news/ivanti", file)
	if !strings.Contains(doc.Article.Byline, "Jane Sample") {
		t.Errorf("byline %q: the user's site rule was not applied", doc.Article.Byline)
	}
}

// TestFeedsChangesAsJSON: feeds add, import and remove report what they changed as JSON too.
func TestFeedsChangesAsJSON(t *testing.T) {
	c := newCLI(t)
	var added struct {
		Added []struct{ ID, URL string } `json:"added"`
	}
	c.json(&added, "feeds", "add", "--defaults")
	if len(added.Added) < 10 {
		t.Fatalf("added %d default feeds", len(added.Added))
	}
	var again struct {
		Added []struct{ ID string } `json:"added"`
	}
	c.json(&again, "feeds", "add", "--defaults")
	if again.Added == nil || len(again.Added) != 0 {
		t.Errorf("adding the defaults twice: %+v, want an empty list", again)
	}
	var removed struct {
		Removed []struct{ ID string } `json:"removed"`
	}
	c.json(&removed, "feeds", "remove", added.Added[0].ID)
	if len(removed.Removed) != 1 || removed.Removed[0].ID != added.Added[0].ID {
		t.Errorf("removed %+v", removed)
	}
}

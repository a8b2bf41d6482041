package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryVerbs runs the research verbs on the sample corpus in every
// output format.
func TestQueryVerbs(t *testing.T) {
	c := newCLI(t)
	c.ok("ingest", "--samples")

	tests := []struct {
		name       string
		args       []string
		table      string   // text the table must show
		csvHeader  string   // first CSV line
		jsonFields []string // fields every jsonl item has
	}{
		{"related", []string{"related", "BSI"}, "§ 7a BSIG",
			"predicate,direction,other_id,other_name,other_type,articles,latest_published,latest_title,latest_url",
			[]string{"predicate", "direction", "other", "evidence", "latest"}},
		{"related by type", []string{"related", "bsi", "--type", "law", "--predicate", "invokes"}, "invokes",
			"predicate,direction,other_id,other_name,other_type,articles,latest_published,latest_title,latest_url",
			[]string{"predicate", "other"}},
		{"path", []string{"path", "BSI", "Storm-0558 key theft"}, "—investigates→ Microsoft",
			"path,hop,from_id,from_name,predicate,direction,to_id,to_name,articles,sentence,published,url",
			[]string{"path", "hop", "from", "to", "predicate", "direction", "articles", "evidence"}},
		{"timeline", []string{"timeline", "Microsoft", "--since", "2024-04-01"}, "criticizes Microsoft",
			"published,kind,subject_id,subject_name,predicate,object_id,object_name,about,text,sentence,site,title,url",
			[]string{"published", "kind", "predicate", "sentence", "article"}},
		{"statements", []string{"statements", "--by", "BSI"}, "Cyber Safety Review Board",
			"published,speaker_id,speaker_name,text,about,sentence,site,title,url,id",
			[]string{"id", "speaker", "text", "about", "sentence", "article"}},
		{"why", []string{"why", "BSI", "invokes", "§ 7a BSIG"}, "Auskunft",
			"published,confidence,sentence,site,title,url,article_id",
			[]string{"sentence", "confidence", "article"}},
		{"cooccur", []string{"cooccur", "BSI", "--limit", "5"}, "Microsoft",
			"entity_id,entity_name,entity_type,articles",
			[]string{"entity", "articles"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if out := c.ok(tc.args...); !strings.Contains(out, tc.table) {
				t.Errorf("table lacks %q:\n%s", tc.table, out)
			}
			out := c.ok(append(tc.args, "--format", "csv")...)
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatalf("csv: %v\n%s", err, out)
			}
			if len(rows) < 2 || strings.Join(rows[0], ",") != tc.csvHeader {
				t.Errorf("csv header %q (%d rows), want %q", rows[0], len(rows), tc.csvHeader)
			}
			lines := strings.Split(strings.TrimSpace(c.ok(append(tc.args, "--format", "jsonl")...)), "\n")
			if len(lines) != len(rows)-1 {
				t.Errorf("%d jsonl lines, %d csv rows", len(lines), len(rows)-1)
			}
			for _, l := range lines {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("jsonl line %q: %v", l, err)
				}
				for _, f := range tc.jsonFields {
					if _, ok := m[f]; !ok {
						t.Errorf("jsonl item lacks %q: %s", f, l)
					}
				}
			}
			var whole any
			if err := json.Unmarshal([]byte(c.ok(append(tc.args, "--json")...)), &whole); err != nil {
				t.Errorf("--json: %v", err)
			}
		})
	}

	t.Run("search related-to", func(t *testing.T) {
		var all, rel struct{ Total int }
		c.json(&all, "search", "")
		c.json(&rel, "search", "", "--related-to", "BSI")
		if rel.Total < 1 || rel.Total >= all.Total {
			t.Errorf("--related-to BSI: %d hits of %d", rel.Total, all.Total)
		}
	})

	t.Run("export and import round trip", func(t *testing.T) {
		dir := t.TempDir()
		nq := filepath.Join(dir, "graph.nq")
		c.ok("export", "--format", "nquads", "--out", nq)
		var want statsJSON
		c.json(&want, "stats")
		copyCLI := newCLI(t)
		copyCLI.ok("import", nq)
		var got statsJSON
		copyCLI.json(&got, "stats")
		if got.Articles != want.Articles || got.Entities != want.Entities || got.Relations != want.Relations ||
			got.Statements != want.Statements || got.Quads != want.Quads {
			t.Errorf("stats after import:\n got %+v\nwant %+v", got, want)
		}
		if a, b := c.ok("related", "BSI", "--format", "csv"), copyCLI.ok("related", "BSI", "--format", "csv"); a != b {
			t.Errorf("related differs after import:\n%s\n%s", a, b)
		}
	})

	t.Run("export formats", func(t *testing.T) {
		for _, tc := range []struct{ format, want string }{
			{"jsonld", `"@vocab": "https://schema.org/"`},
			{"graphml", "<graphml"},
			{"stix", `"spec_version": "2.1"`},
			{"csv", "id:ID,:LABEL"},
			{"nquads", "<agency:bsi>"},
		} {
			out := c.ok("export", "--format", tc.format, "--entity", "BSI", "--hops", "1")
			if !strings.Contains(out, tc.want) {
				t.Errorf("%s export lacks %q", tc.format, tc.want)
			}
		}
		prefix := filepath.Join(t.TempDir(), "neo4j", "news")
		c.ok("export", "--format", "csv", "--out", prefix)
		for _, f := range []string{prefix + "-nodes.csv", prefix + "-relationships.csv"} {
			if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
				t.Errorf("%s: %v", f, err)
			}
		}
	})

	errs := []struct {
		name string
		args []string
		want string
	}{
		{"unknown entity", []string{"related", "Nonexistent Authority of Nowhere"}, "no entity"},
		{"reversed why", []string{"why", "§ 7a BSIG", "invokes", "BSI"}, "other way round"},
		{"bad format", []string{"related", "BSI", "--format", "xml"}, "--format"},
		{"bad date", []string{"timeline", "BSI", "--since", "yesterday"}, "--since"},
		{"path to itself", []string{"path", "BSI", "BSI"}, "same entity"},
		{"bad export format", []string{"export", "--format", "xml"}, "--format"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := c.run("", tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q, want an error mentioning %q", code, errOut, tc.want)
			}
		})
	}
}

// TestAmbiguousName imports two entities sharing a name: every verb lists
// both and exits with status 2.
func TestAmbiguousName(t *testing.T) {
	c := newCLI(t)
	nq := `<agency:ccc> <type> "agency" .
<agency:ccc> <name> "CCC" .
<agency:ccc> <lookup> "ccc" .
<organization:chaos-computer-club> <type> "organization" .
<organization:chaos-computer-club> <name> "Chaos Computer Club" .
<organization:chaos-computer-club> <alias> "CCC" .
<organization:chaos-computer-club> <lookup> "ccc" .
<organization:chaos-computer-club> <lookup> "chaos computer club" .
<article:1> <type> "article" <article:1> .
<article:1> <title> "Test" <article:1> .
<article:1> <mentions> <agency:ccc> <article:1> .
<article:1> <mentions> <organization:chaos-computer-club> <article:1> .
`
	if _, errOut, code := c.run(nq, "import", "-"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	for _, args := range [][]string{{"related", "ccc"}, {"cooccur", "CCC"}, {"timeline", "Ccc"}, {"path", "CCC", "Chaos Computer Club"}} {
		_, errOut, code := c.run("", args...)
		if code != 2 || !strings.Contains(errOut, "agency:ccc") || !strings.Contains(errOut, "organization:chaos-computer-club") {
			t.Errorf("%v: exit %d, %q; want 2 and both candidates", args, code, errOut)
		}
	}
	out := c.ok("cooccur", "Chaos Computer Club")
	if !strings.Contains(out, "agency:ccc") {
		t.Errorf("cooccur: %s", out)
	}
}

func TestQueryVerbsHaveExamples(t *testing.T) {
	c := newCLI(t)
	for _, cmd := range []string{"related", "path", "timeline", "statements", "why", "cooccur", "export", "import"} {
		out := c.ok(cmd, "--help")
		if !strings.Contains(out, "Examples:") || !strings.Contains(out, "newsgraph "+cmd) {
			t.Errorf("%s --help lacks examples:\n%s", cmd, out)
		}
	}
}

// TestPathWithoutAChain: no chain between two entities is an answer, not an error.
func TestPathWithoutAChain(t *testing.T) {
	c := newCLI(t)
	c.ok("ingest", "--samples")
	out := c.ok("path", "Microsoft", "CrowdStrike", "--max", "1")
	if !strings.Contains(out, "no path from Microsoft to CrowdStrike within 1 hops") {
		t.Errorf("got %q", out)
	}
	if got := strings.TrimSpace(c.ok("path", "Microsoft", "CrowdStrike", "--max", "1", "--json")); got != "[]" {
		t.Errorf("--json: got %q, want []", got)
	}
}

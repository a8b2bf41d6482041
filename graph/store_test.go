package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/newsgraph/newsgraph/ingest/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// backendsUnderTest opens a fresh store per backend.
var backendsUnderTest = []struct {
	name string
	addr func(t testing.TB) string
}{
	{"memstore", func(testing.TB) string { return "memstore://" }},
	{"bbolt", func(t testing.TB) string { return "bbolt://" + filepath.Join(t.TempDir(), "graph") }},
}

func openTest(t testing.TB, addr string, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), addr, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", addr, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func eachBackend(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, b := range backendsUnderTest {
		t.Run(b.name, func(t *testing.T) {
			fn(t, openTest(t, b.addr(t), Options{}))
		})
	}
}

func mustPut(t testing.TB, s *Store, docs ...model.Document) PutResult {
	t.Helper()
	res, err := s.Put(context.Background(), docs)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return res
}

// mustStats returns Stats and checks the kept counters against a recount.
func mustStats(t testing.TB, s *Store) Stats {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	s.mu.RLock()
	re, err := s.recount(context.Background())
	s.mu.RUnlock()
	if err != nil {
		t.Fatalf("recount: %v", err)
	}
	if !reflect.DeepEqual(st, re) {
		t.Fatalf("kept counters disagree with a recount:\nkept    %+v\nrecount %+v", st, re)
	}
	return st
}

func checkGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n got: %s\nwant: %s", name, got, want)
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		addr    string
		wantErr error // nil: must open
	}{
		{"memstore", "memstore://", nil},
		{"bbolt absolute", "bbolt://" + filepath.Join(dir, "g"), nil},
		{"bbolt creates nested dir", "bbolt://" + filepath.Join(dir, "a", "b"), nil},
		{"unknown scheme", "postgres://localhost/newsgraph", ErrUnsupportedAddress},
		{"no scheme", filepath.Join(dir, "g2"), ErrUnsupportedAddress},
		{"empty", "", ErrUnsupportedAddress},
		{"bbolt relative", "bbolt://relative/dir", ErrUnsupportedAddress},
		{"memstore with path", "memstore:///tmp/x", ErrUnsupportedAddress},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(context.Background(), tc.addr, Options{})
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("Open(%q): %v", tc.addr, err)
				}
				if err := s.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Open(%q) error = %v, want %v", tc.addr, err, tc.wantErr)
			}
		})
	}
}

func TestOpenBBoltPersistsAndLocks(t *testing.T) {
	addr := "bbolt://" + filepath.Join(t.TempDir(), "graph")
	ctx := context.Background()
	s, err := Open(ctx, addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, fixtureDocs()...)
	want := mustStats(t, s)

	// A second opener times out on the file lock instead of blocking.
	startLocked := time.Now()
	_, err = Open(ctx, addr, Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want ErrLocked", err)
	}
	if d := time.Since(startLocked); d > 5*time.Second {
		t.Fatalf("second Open took %v", d)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openTest(t, addr, Options{})
	if got := mustStats(t, s2); !reflect.DeepEqual(got, want) {
		t.Fatalf("stats after reopen = %+v, want %+v", got, want)
	}
}

func TestClosedStore(t *testing.T) {
	s, err := Open(context.Background(), "memstore://", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"Close":         s.Close,
		"Put":           func() error { _, err := s.Put(ctx, fixtureDocs()); return err },
		"Stats":         func() error { _, err := s.Stats(ctx); return err },
		"Resolve":       func() error { _, err := s.Resolve(ctx, "BSI"); return err },
		"Entity":        func() error { _, err := s.Entity(ctx, "agency:bsi"); return err },
		"Evidence":      func() error { _, err := s.Evidence(ctx, "a:b", "sues", "c:d"); return err },
		"Query":         func() error { return s.Query(ctx, "g.V().All()", 0, func(any) error { return nil }) },
		"DeleteArticle": func() error { return s.DeleteArticle(ctx, "article:x") },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s on closed store: error = %v, want ErrClosed", name, err)
		}
	}
}

func TestPutIdempotent(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		first := mustPut(t, s, fixtureDocs()...)
		if first.Articles != 4 || len(first.Replaced) != 0 || first.Added == 0 {
			t.Fatalf("first Put = %+v", first)
		}
		before := mustStats(t, s)
		second := mustPut(t, s, fixtureDocs()...)
		after := mustStats(t, s)
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("stats changed on re-ingest:\nbefore %+v\nafter  %+v", before, after)
		}
		if second.Added != 0 || second.Removed != 0 {
			t.Errorf("second Put wrote %d and removed %d quads, want none", second.Added, second.Removed)
		}
		if len(second.Replaced) != 4 {
			t.Errorf("second Put replaced %v, want the 4 articles", second.Replaced)
		}
		// One document at a time gives the same graph as one batch.
		for _, d := range fixtureDocs() {
			mustPut(t, s, d)
		}
		if got := mustStats(t, s); !reflect.DeepEqual(before, got) {
			t.Fatalf("stats changed on per-document re-ingest:\nbefore %+v\nafter  %+v", before, got)
		}
	})
}

func TestStats(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		empty := mustStats(t, s)
		if empty.Articles != 0 || empty.Entities != 0 || empty.Quads != 0 {
			t.Fatalf("empty store stats = %+v", empty)
		}
		mustPut(t, s, fixtureDocs()...)
		st := mustStats(t, s)
		wantTypes := map[string]int64{"agency": 3, "vendor": 1, "threat_actor": 1, "incident": 1,
			"product": 2, "vulnerability": 1, "organization": 1, "outlet": 1}
		if !reflect.DeepEqual(st.EntitiesByType, wantTypes) {
			t.Errorf("EntitiesByType = %v, want %v", st.EntitiesByType, wantTypes)
		}
		checks := []struct {
			name      string
			got, want int64
		}{
			{"articles", st.Articles, 4},
			{"entities", st.Entities, 11},
			// bsi→microsoft, incident→actor, microsoft→incident, csrb→microsoft,
			// csrb→dhs, csrb→incident, bsi→log4shell, log4j→apache
			{"relations", st.Relations, 8},
			{"statements", st.Statements, 2},
			{"evidence", st.Evidence, 10},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
			}
		}
		if st.Quads < 100 {
			t.Errorf("quads = %d, implausibly few", st.Quads)
		}
	})
}

func TestReplaceArticle(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPut(t, s, fixtureDocs()...)
		before := mustStats(t, s)

		// A corrected version under the same URL: the BSI's request and the
		// Exchange Online mention are gone, the title changed.
		v2 := docKeyTheft()
		v2.Article.Title = "Microsoft: Storm-0558 stahl Signaturschlüssel"
		v2.Article.Text = sentAttributed + " " + sentAffected
		v2.Entities = []model.Entity{entMicrosoft, entStorm, entKeyTheft}
		v2.Relations = v2.Relations[1:]
		v2.Statements = nil
		res := mustPut(t, s, v2)
		if want := []string{docKeyTheft().Article.ID()}; !reflect.DeepEqual(res.Replaced, want) {
			t.Fatalf("Replaced = %v, want %v", res.Replaced, want)
		}
		after := mustStats(t, s)
		if after.Articles != before.Articles {
			t.Errorf("articles %d → %d, want unchanged", before.Articles, after.Articles)
		}
		if after.Evidence != before.Evidence-1 || after.Statements != before.Statements-1 {
			t.Errorf("evidence %d → %d, statements %d → %d; want one fewer each",
				before.Evidence, after.Evidence, before.Statements, after.Statements)
		}
		if _, err := s.Evidence(ctx, "agency:bsi", "investigates", "vendor:microsoft"); !errors.Is(err, ErrNotFound) {
			t.Errorf("evidence of removed relation: error = %v, want ErrNotFound", err)
		}
		// Exchange Online was mentioned only by the old version.
		if _, err := s.Resolve(ctx, "Exchange Online"); !errors.Is(err, ErrNotFound) {
			t.Errorf("orphaned entity still resolves: %v", err)
		}
		if after.Entities != before.Entities-1 {
			t.Errorf("entities %d → %d, want one fewer", before.Entities, after.Entities)
		}
		// The article node kept its facts although it lost more quads than it gained.
		ev, err := s.Evidence(ctx, "vendor:microsoft", "affected_by", "incident:storm-0558-key-theft")
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) != 1 || ev[0].Article.Title != v2.Article.Title || ev[0].Article.URL != v2.Article.URL {
			t.Errorf("evidence after replacement = %+v", ev)
		}
		// BSI is still mentioned by the Log4Shell article.
		p, err := s.Entity(ctx, "agency:bsi")
		if err != nil {
			t.Fatal(err)
		}
		if p.Articles != 1 {
			t.Errorf("BSI articles = %d, want 1", p.Articles)
		}
	})
}

func TestContentDuplicateReplaced(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		orig := docKeyTheft()
		mustPut(t, s, orig)
		before := mustStats(t, s)

		dup := docKeyTheft()
		dup.Article.URL = "https://www.heise.de/news/bsi-fragt-microsoft-nach-schluesseldiebstahl.html?wt_mc=rss"
		dup.Article.Text = strings.ReplaceAll(dup.Article.Text, " ", "  ") // same content hash
		if dup.Article.ID() == orig.Article.ID() || dup.Article.ContentHash() != orig.Article.ContentHash() {
			t.Fatal("fixture: want another ID with the same content hash")
		}
		res := mustPut(t, s, dup)
		if !reflect.DeepEqual(res.Replaced, []string{orig.Article.ID()}) {
			t.Fatalf("Replaced = %v, want [%s]", res.Replaced, orig.Article.ID())
		}
		after := mustStats(t, s)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("stats after duplicate:\nbefore %+v\nafter  %+v", before, after)
		}
		var ids []string
		err := s.Query(ctx, `g.V().Has("<type>", "article").All()`, 0, func(v any) error {
			ids = append(ids, v.(map[string]any)["id"].(string))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"<" + dup.Article.ID() + ">"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("articles = %v, want %v", ids, want)
		}

		// Duplicates inside one batch: the last one is kept.
		s2 := openTest(t, "memstore://", Options{})
		res = mustPut(t, s2, orig, dup)
		if res.Articles != 1 {
			t.Errorf("batch with duplicate stored %d articles, want 1", res.Articles)
		}
	})
}

func TestDeleteArticle(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPut(t, s, docLog4Shell())
		empty := mustStats(t, s)
		mustPut(t, s, docCSRB())
		if err := s.DeleteArticle(ctx, docCSRB().Article.ID()); err != nil {
			t.Fatal(err)
		}
		got := mustStats(t, s)
		// The schema registry keeps the types and predicates the deleted
		// article introduced (6 quads); everything else is as before.
		want := empty
		want.Quads += 6
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after delete = %+v, want %+v", got, want)
		}
		if err := s.DeleteArticle(ctx, docCSRB().Article.ID()); !errors.Is(err, ErrNotFound) {
			t.Errorf("second delete: error = %v, want ErrNotFound", err)
		}
	})
}

func TestResolve(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		tests := []struct {
			query   string
			wantIDs []string // nil: ErrNotFound
		}{
			{"agency:bsi", []string{"agency:bsi"}},
			{"AGENCY:BSI", []string{"agency:bsi"}},
			{"BSI", []string{"agency:bsi"}},
			{"bsi", []string{"agency:bsi"}},
			{"  bundesamt für sicherheit in der  INFORMATIONSTECHNIK ", []string{"agency:bsi"}},
			{"German Federal Office for Information Security", []string{"agency:bsi"}},
			{"csrb", []string{"agency:csrb"}},
			{"cve-2021-44228", []string{"vulnerability:cve-2021-44228"}},
			// the actor's name is also an alias of the incident: ambiguous
			{"Storm-0558", []string{"incident:storm-0558-key-theft", "threat_actor:storm-0558"}},
			// an exact id wins the first place
			{"threat_actor:storm-0558", []string{"threat_actor:storm-0558"}},
			{"Bundesnachrichtendienst", nil},
			{"", nil},
		}
		for _, tc := range tests {
			got, err := s.Resolve(context.Background(), tc.query)
			if tc.wantIDs == nil {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Resolve(%q) = %v, %v; want ErrNotFound", tc.query, got, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("Resolve(%q): %v", tc.query, err)
				continue
			}
			var ids []string
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			sort.Strings(ids)
			if !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("Resolve(%q) = %v, want %v", tc.query, ids, tc.wantIDs)
			}
		}
		got, err := s.Resolve(context.Background(), "bsi")
		if err != nil {
			t.Fatal(err)
		}
		want := model.Entity{ID: "agency:bsi", Type: model.Agency, Name: "BSI", Mentions: 2,
			Aliases: []string{"Bundesamt für Sicherheit in der Informationstechnik", "German Federal Office for Information Security"}}
		if !reflect.DeepEqual(got[0], want) {
			t.Errorf("Resolve(bsi) = %+v, want %+v", got[0], want)
		}
	})
}

func TestFirstNameStaysCanonical(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, docLog4Shell())
		other := docCSRB()
		renamed := entBSI
		renamed.Name = "Bundesamt für Sicherheit in der Informationstechnik"
		renamed.Aliases = []string{"BSI", "Federal Office for Information Security"}
		other.Entities = append(other.Entities, renamed)
		mustPut(t, s, other)
		got, err := s.Resolve(context.Background(), "federal office for information security")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Name != "BSI" {
			t.Fatalf("Resolve = %+v, want BSI as canonical name", got)
		}
		want := []string{"Bundesamt für Sicherheit in der Informationstechnik", "Federal Office for Information Security",
			"German Federal Office for Information Security"}
		if !reflect.DeepEqual(got[0].Aliases, want) {
			t.Errorf("aliases = %q, want %q", got[0].Aliases, want)
		}
	})
}

func TestEntityProfile(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPut(t, s, fixtureDocs()...)
		p, err := s.Entity(ctx, "vendor:microsoft")
		if err != nil {
			t.Fatal(err)
		}
		if p.Articles != 3 || p.Truncated {
			t.Errorf("articles = %d truncated = %v, want 3, false", p.Articles, p.Truncated)
		}
		if want := mustTime("2023-07-21T09:30:00Z"); !p.FirstSeen.Equal(want) {
			t.Errorf("first seen = %v, want %v", p.FirstSeen, want)
		}
		if want := mustTime("2024-04-04T07:00:00Z"); !p.LastSeen.Equal(want) {
			t.Errorf("last seen = %v, want %v", p.LastSeen, want)
		}
		type rel struct {
			pred, dir, other string
			evidence         int
			latestSite       string
		}
		var got []rel
		for _, r := range p.Relations {
			site := ""
			if r.Latest != nil {
				site = r.Latest.Site
			}
			got = append(got, rel{r.Predicate, r.Direction, r.Other.ID, r.Evidence, site})
		}
		want := []rel{
			{"investigates", "in", "agency:bsi", 1, "heise online"},
			// two sentences in The Record, one in Golem: two articles, Golem is newer
			{"criticizes", "in", "agency:csrb", 2, "Golem.de"},
			{"affected_by", "out", "incident:storm-0558-key-theft", 1, "heise online"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("relations =\n%+v\nwant\n%+v", got, want)
		}
		if t.Name() == "TestEntityProfile/bbolt" {
			checkGolden(t, "profile_microsoft.json", p)
		}

		if _, err := s.Entity(ctx, "vendor:nobody"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown entity: error = %v, want ErrNotFound", err)
		}
	})
}

func TestEntityProfileHubLimit(t *testing.T) {
	for _, b := range backendsUnderTest {
		for _, tc := range []struct {
			name       string
			aggregates bool
			articles   int
			truncated  bool
		}{
			{"aggregates count exactly", true, 12, false},
			{"walks stop at the hub limit", false, 5, true},
		} {
			t.Run(b.name+"/"+tc.name, func(t *testing.T) {
				s := openTest(t, b.addr(t), Options{HubLimit: 5, MaxRelations: 100})
				docs := hubDocs(12, 0)
				mustPut(t, s, docs...)
				if !tc.aggregates {
					disableAggregates(t, s)
				}
				p, err := s.Entity(context.Background(), "agency:bsi")
				if err != nil {
					t.Fatal(err)
				}
				if p.Truncated != tc.truncated || p.Articles != tc.articles {
					t.Errorf("articles = %d truncated = %v, want %d, %v", p.Articles, p.Truncated, tc.articles, tc.truncated)
				}
				walked := make(map[string]int)
				for _, r := range p.Relations {
					walked[r.Predicate+" "+r.Direction] += r.Evidence
				}
				want := map[string]int{"warns_about out": tc.articles, "cooperates_with in": tc.articles}
				if !reflect.DeepEqual(walked, want) {
					t.Errorf("edges per predicate = %v, want %v", walked, want)
				}
			})
		}
	}
}

func TestEvidence(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPut(t, s, fixtureDocs()...)
		items, err := s.Evidence(ctx, "agency:csrb", "criticizes", "vendor:microsoft")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Article.Site+": "+it.Sentence)
		}
		want := []string{
			"Golem.de: Das Cyber Safety Review Board kritisiert Microsoft scharf für eine Kette vermeidbarer Fehler.",
			"The Record: " + sentCSRB,
			"The Record: " + sentCSRB2,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("evidence =\n%q\nwant\n%q", got, want)
		}
		if items[1].Confidence != 0.9 || items[1].Article.URL != docCSRB().Article.URL ||
			items[1].Article.ID != docCSRB().Article.ID() || items[1].Article.Title == "" {
			t.Errorf("evidence item = %+v", items[1])
		}
		if !items[1].Article.Published.Equal(mustTime("2024-04-03T15:00:00Z")) {
			t.Errorf("published = %v", items[1].Article.Published)
		}
		for _, tc := range [][3]string{
			{"vendor:microsoft", "criticizes", "agency:csrb"}, // reversed
			{"agency:csrb", "sues", "vendor:microsoft"},
			{"agency:nobody", "criticizes", "vendor:microsoft"},
		} {
			if _, err := s.Evidence(ctx, tc[0], tc[1], tc[2]); !errors.Is(err, ErrNotFound) {
				t.Errorf("Evidence%v: error = %v, want ErrNotFound", tc, err)
			}
		}
	})
}

func TestQuery(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		tests := []struct {
			name  string
			query string
			limit int
			want  []string // sorted JSON of each result
		}{
			{"articles mentioning BSI", `g.V("<agency:bsi>").In("<mentions>").All()`, 0, []string{
				`{"id":"<` + docKeyTheft().Article.ID() + `>"}`,
				`{"id":"<` + docLog4Shell().Article.ID() + `>"}`,
			}},
			{"limit", `g.V("<agency:bsi>").In("<mentions>").All()`, 1, nil},
			{"tags and values", `g.V("<agency:csrb>").Tag("s").Out("<part_of>").Out("<name>").All()`, 0, []string{
				`{"id":"DHS","s":"<agency:csrb>"}`,
			}},
			{"emitted value", `g.emit(g.V("<vendor:microsoft>").In("<mentions>").Count())`, 0, []string{`3`}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var got []string
				err := s.Query(context.Background(), tc.query, tc.limit, func(v any) error {
					var b strings.Builder
					enc := json.NewEncoder(&b)
					enc.SetEscapeHTML(false)
					err := enc.Encode(v)
					got = append(got, strings.TrimSpace(b.String()))
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				sort.Strings(got)
				if tc.limit > 0 {
					if len(got) != tc.limit {
						t.Errorf("got %d results, want %d", len(got), tc.limit)
					}
					return
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
		if err := s.Query(context.Background(), `g.V(`, 0, func(any) error { return nil }); err == nil {
			t.Error("syntax error: want an error")
		}
		stop := errors.New("stop")
		err := s.Query(context.Background(), `g.V().All()`, 0, func(any) error { return stop })
		if !errors.Is(err, stop) {
			t.Errorf("emit error = %v, want it wrapped", err)
		}
	})
}

func TestContextCancelled(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		before := mustStats(t, s)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		calls := map[string]func() error{
			"Put":           func() error { _, err := s.Put(ctx, hubDocs(3, 0)); return err },
			"Stats":         func() error { _, err := s.Stats(ctx); return err },
			"Resolve":       func() error { _, err := s.Resolve(ctx, "BSI"); return err },
			"Entity":        func() error { _, err := s.Entity(ctx, "agency:bsi"); return err },
			"Evidence":      func() error { _, err := s.Evidence(ctx, "agency:csrb", "criticizes", "vendor:microsoft"); return err },
			"Query":         func() error { return s.Query(ctx, "g.V().All()", 0, func(any) error { return nil }) },
			"DeleteArticle": func() error { return s.DeleteArticle(ctx, docCSRB().Article.ID()) },
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with cancelled context: error = %v, want context.Canceled", name, err)
			}
		}
		if _, err := Open(ctx, "memstore://", Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Open with cancelled context: %v", err)
		}
		if got := mustStats(t, s); !reflect.DeepEqual(got, before) {
			t.Errorf("cancelled calls changed the graph: %+v → %+v", before, got)
		}
	})
}

func TestEntityProfileMaxRelations(t *testing.T) {
	s := openTest(t, "memstore://", Options{MaxRelations: 2})
	mustPut(t, s, hubDocs(8, 0)...)
	p, err := s.Entity(context.Background(), "agency:bsi")
	if err != nil {
		t.Fatal(err)
	}
	// 8 vulnerabilities warned about, 8 vendors cooperating: 2 of each listed.
	if len(p.Relations) != 4 || p.RelationsOmitted != 12 {
		t.Fatalf("listed %d relations, omitted %d; want 4 and 12", len(p.Relations), p.RelationsOmitted)
	}
	want := []string{"warns_about out vulnerability:cve-2024-00000", "warns_about out vulnerability:cve-2024-00001",
		"cooperates_with in vendor:v0", "cooperates_with in vendor:v1"}
	for i, r := range p.Relations {
		if got := r.Predicate + " " + r.Direction + " " + r.Other.ID; got != want[i] {
			t.Errorf("relation %d = %q, want %q", i, got, want[i])
		}
	}
}

func TestConcurrentReadersAndWriter(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPut(t, s, fixtureDocs()...)
		done := make(chan error, 3)
		go func() {
			for i := 0; i < 5; i++ {
				if _, err := s.Put(ctx, hubDocs(20, i*20)); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		go func() {
			for i := 0; i < 20; i++ {
				if _, err := s.Entity(ctx, "agency:bsi"); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		go func() {
			for i := 0; i < 20; i++ {
				err := s.Query(ctx, `g.V("<agency:bsi>").In("<mentions>").All()`, 1, func(any) error { return nil })
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		for i := 0; i < 3; i++ {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		if st := mustStats(t, s); st.Articles != 104 {
			t.Errorf("articles = %d, want 104", st.Articles)
		}
	})
}

func TestCountersRecoverWhenMissing(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPut(t, s, fixtureDocs()...)
		want := mustStats(t, s)
		// Simulate a store without counters (older, or a write that failed
		// half-way): Stats recounts, and the next write stores them again.
		s.mu.Lock()
		c, q, err := s.readCounters(ctx)
		if err != nil || c == nil {
			s.mu.Unlock()
			t.Fatalf("no counters stored: %v", err)
		}
		err = s.qs.ApplyDeltas([]cgraph.Delta{{Quad: q, Action: cgraph.Delete}}, cgraph.IgnoreOpts{})
		s.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		got := mustStats(t, s)
		want.Quads--
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("recounted stats = %+v, want %+v", got, want)
		}
		mustPut(t, s, fixtureDocs()...) // changes nothing but stores the counters
		want.Quads++
		if got := mustStats(t, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("stats = %+v, want %+v", got, want)
		}
		s.mu.RLock()
		c, _, err = s.readCounters(ctx)
		s.mu.RUnlock()
		if err != nil || c == nil {
			t.Fatalf("counters not stored again: %v", err)
		}
	})
}

// TestNearDuplicateAddsNoEvidence stores an agency copy that nearly repeats an
// article: it is linked to its original, and its relations are not counted twice.
func TestNearDuplicateAddsNoEvidence(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "memstore://", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	orig := model.Document{
		Article:  model.Article{URL: "https://example.org/original", Title: "BSI fordert Auskunft", Text: "Das BSI verlangt von Microsoft Auskunft nach § 7a BSIG."},
		Entities: []model.Entity{{ID: "agency:bsi", Type: model.Agency, Name: "BSI"}, {ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"}},
		Relations: []model.Relation{{Subject: "agency:bsi", Predicate: model.Investigates, Object: "vendor:microsoft",
			Evidence: "Das BSI verlangt von Microsoft Auskunft nach § 7a BSIG.", Confidence: 0.8}},
	}
	dup := orig
	dup.Article.URL = "https://example.org/reprint"
	dup.Article.Text += " (dpa)"
	dup.Article.DuplicateOf = orig.Article.ID()
	if _, err := s.Put(ctx, []model.Document{orig, dup}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.Evidence(ctx, "agency:bsi", "investigates", "vendor:microsoft")
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 || ev[0].Article.ID != orig.Article.ID() {
		t.Errorf("evidence %+v, want only the original's", ev)
	}
	var links []any
	err = s.Query(ctx, `g.V("<`+dup.Article.ID()+`>").Out("<duplicate_of>").All()`, 10, func(v any) error {
		links = append(links, v)
		return nil
	})
	if err != nil || len(links) != 1 {
		t.Errorf("duplicate_of link: %v, %v", links, err)
	}
}

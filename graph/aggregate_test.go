package graph

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
)

// disableAggregates marks a store's aggregates incomplete, as in a store
// written before they existed.
func disableAggregates(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, _, err := s.readCounters(ctx)
	if err != nil || c == nil {
		t.Fatalf("read counters: %v", err)
	}
	c.Aggregates = 0
	if err := s.writeCounters(ctx, c); err != nil {
		t.Fatal(err)
	}
	s.aggState.Store(aggUnknown)
}

// aggregateSnapshot renders every entity's aggregates, read from the
// aggregate quads (aggregates on) or by walking (off).
func aggregateSnapshot(t testing.TB, s *Store) string {
	t.Helper()
	ctx := context.Background()
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.hubLimit = 0 // walk everything
	defer func() { s.hubLimit = DefaultHubLimit }()
	var lines []string
	types, err := s.entityTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range types {
		ids, _, err := s.subjectsOf(ctx, predType, quad.String(typ), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			m, _, err := s.mentionSummary(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, id+" mentions "+itoa(int(m.N))+" "+fromUnixNano(m.First).Format(time.RFC3339)+" "+fromUnixNano(m.Last).Format(time.RFC3339))
			groups, _, err := s.relationGroups(ctx, id, relFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range groups {
				lines = append(lines, strings.Join([]string{id, g.pred, g.dir, g.other, itoa(g.articles), g.latestT.Format(time.RFC3339)}, " "))
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestAggregatesMatchWalks changes a graph in every way a write can and
// compares the kept aggregates with what walking the graph gives.
func TestAggregatesMatchWalks(t *testing.T) {
	redated := docKeyTheft()
	redated.Article.Published = mustTime("2025-01-02T03:04:05Z")
	trimmed := docCSRB()
	trimmed.Relations = trimmed.Relations[:1]
	trimmed.Entities = trimmed.Entities[:2]
	steps := []struct {
		name  string
		apply func(t *testing.T, s *Store)
	}{
		{"put fixtures", func(t *testing.T, s *Store) { mustPut(t, s, fixtureDocs()...) }},
		{"put again", func(t *testing.T, s *Store) { mustPut(t, s, fixtureDocs()...) }},
		{"redate the earliest microsoft article", func(t *testing.T, s *Store) { mustPut(t, s, redated) }},
		{"drop relations and mentions", func(t *testing.T, s *Store) { mustPut(t, s, trimmed) }},
		{"delete the latest article", func(t *testing.T, s *Store) {
			if err := s.DeleteArticle(context.Background(), redated.Article.ID()); err != nil {
				t.Fatal(err)
			}
		}},
		{"synthetic hub", func(t *testing.T, s *Store) { mustPut(t, s, hubDocs(30, 0)...) }},
		{"replace synthetic articles", func(t *testing.T, s *Store) {
			docs := hubDocs(10, 25)
			for i := range docs {
				docs[i].Relations = docs[i].Relations[1:]
				docs[i].Article.Published = docs[i].Article.Published.Add(-time.Hour * 24 * 400)
			}
			mustPut(t, s, docs...)
		}},
	}
	eachBackend(t, func(t *testing.T, s *Store) {
		for _, st := range steps {
			st.apply(t, s)
			on, err := s.aggregatesOn(context.Background())
			if err != nil || !on {
				t.Fatalf("%s: aggregates on = %v, %v", st.name, on, err)
			}
			kept := aggregateSnapshot(t, s)
			disableAggregates(t, s)
			walked := aggregateSnapshot(t, s)
			if kept != walked {
				t.Fatalf("after %s, kept aggregates differ from a walk:\nkept:\n%s\nwalked:\n%s", st.name, kept, walked)
			}
			// Rebuilding gives the same and turns them back on.
			if err := s.RebuildAggregates(context.Background()); err != nil {
				t.Fatal(err)
			}
			if rebuilt := aggregateSnapshot(t, s); rebuilt != kept {
				t.Fatalf("after %s, rebuilt aggregates differ:\n%s\nkept:\n%s", st.name, rebuilt, kept)
			}
			mustStats(t, s)
		}
	})
}

// TestImportKeepsAggregates imports an export into a fresh store and
// compares profiles.
func TestImportKeepsAggregates(t *testing.T) {
	ctx := context.Background()
	src := openTest(t, "memstore://", Options{})
	mustPut(t, src, append(fixtureDocs(), hubDocs(5, 0)...)...)
	var buf bytes.Buffer
	if _, err := src.ExportNQuads(ctx, &buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	dst := openTest(t, "memstore://", Options{})
	if _, err := dst.Import(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if a, b := aggregateSnapshot(t, src), aggregateSnapshot(t, dst); a != b {
		t.Fatalf("aggregates differ after import:\n%s\n---\n%s", a, b)
	}
}

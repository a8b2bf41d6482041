package search

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/ingest/model"
)

func TestPutCounts(t *testing.T) {
	ix := openFixtures(t)
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	want := uint64(len(allFixtures) + fixtureStatements())
	if n != want {
		t.Errorf("count %d, want %d", n, want)
	}
	a, s, err := ix.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a != uint64(len(allFixtures)) || s != uint64(fixtureStatements()) {
		t.Errorf("counts %d articles, %d statements, want %d, %d", a, s, len(allFixtures), fixtureStatements())
	}
}

func TestRePut(t *testing.T) {
	ctx := context.Background()
	changed := docCrowdStrikeDE
	changed.Statements = []model.Statement{
		changed.Statements[0],
		{Speaker: "person:george-kurtz", Text: "Wir entschuldigen uns bei allen betroffenen Kunden.", About: []string{"vendor:crowdstrike"}},
	}
	dropped := docCrowdStrikeDE
	dropped.Statements = nil
	tests := []struct {
		name            string
		put             []model.Document
		wantDelta       int // change of Count
		wantGone        string
		wantFound       string
		wantStatementOf int // statements of docCrowdStrikeDE afterwards
	}{
		{"same documents again", allFixtures, 0, "", "Sicherheitsvorfall", 2},
		{"one statement replaced", []model.Document{changed}, 0, "zurückgenommen", "entschuldigen", 2},
		{"statements dropped", []model.Document{dropped}, -2, "Sicherheitsvorfall", "", 0},
		{"duplicates in one call: last wins", []model.Document{changed, dropped}, -2, "entschuldigen", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := openFixtures(t)
			before, _ := ix.Count()
			if err := ix.Put(ctx, tt.put); err != nil {
				t.Fatal(err)
			}
			after, err := ix.Count()
			if err != nil {
				t.Fatal(err)
			}
			if int(after)-int(before) != tt.wantDelta {
				t.Errorf("count %d → %d, want change %d", before, after, tt.wantDelta)
			}
			if tt.wantGone != "" {
				if n := statementHits(t, ix, tt.wantGone); n != 0 {
					t.Errorf("%q still found in %d statements", tt.wantGone, n)
				}
			}
			if tt.wantFound != "" {
				if n := statementHits(t, ix, tt.wantFound); n != 1 {
					t.Errorf("%q found in %d statements, want 1", tt.wantFound, n)
				}
			}
			res, err := ix.Search(ctx, Request{Kind: KindStatement, Sites: []string{"Golem.de"}})
			if err != nil {
				t.Fatal(err)
			}
			if int(res.Total) != tt.wantStatementOf {
				t.Errorf("%d statements of the article, want %d", res.Total, tt.wantStatementOf)
			}
		})
	}
}

func statementHits(t *testing.T, ix *Index, q string) uint64 {
	t.Helper()
	res, err := ix.Search(context.Background(), Request{Kind: KindStatement, Query: q})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestDeleteArticles(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		delete []string
		want   uint64 // documents left
	}{
		{"article with statements", ids(docCrowdStrikeDE), uint64(len(allFixtures) + fixtureStatements() - 3)},
		{"article without statements", ids(docCSRB), uint64(len(allFixtures) + fixtureStatements() - 1)},
		{"unknown id", []string{"article:0000000000000000"}, uint64(len(allFixtures) + fixtureStatements())},
		{"all", ids(allFixtures...), 0},
		{"none", nil, uint64(len(allFixtures) + fixtureStatements())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := openFixtures(t)
			if err := ix.DeleteArticles(ctx, tt.delete); err != nil {
				t.Fatal(err)
			}
			n, err := ix.Count()
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("count %d, want %d", n, tt.want)
			}
			for _, id := range tt.delete {
				res, err := ix.Search(ctx, Request{Kind: KindAll, Query: "article_id:" + quoteTerm(id)})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != 0 {
					t.Errorf("%d statements of %s left", res.Total, id)
				}
			}
		})
	}
}

func quoteTerm(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, allFixtures); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if _, err := ix.Search(ctx, Request{}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after close: %v, want ErrClosed", err)
	}
	ix = openTemp(t, dir)
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(len(allFixtures) + fixtureStatements()); n != want {
		t.Errorf("count after reopen %d, want %d", n, want)
	}
}

func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	openTemp(t, dir)
	start := time.Now()
	ix2, err := Open(context.Background(), dir, Options{LockTimeout: 200 * time.Millisecond})
	if err == nil {
		_ = ix2.Close()
		t.Fatal("second Open succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("err %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v", d)
	}
}

func TestOpenMappingVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal(mappingVersionKey, []byte("0")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dir, Options{}); !errors.Is(err, ErrMappingVersion) {
		t.Errorf("err %v, want ErrMappingVersion", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name string
		ctx  context.Context
		dir  string
	}{
		{"non-empty directory without index", ctx, dir},
		{"empty name", ctx, ""},
		{"cancelled", cancelled(), t.TempDir()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := Open(tt.ctx, tt.dir, Options{})
			if err == nil {
				_ = ix.Close()
				t.Error("Open succeeded")
			}
		})
	}
}

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestMappingGolden pins the index mapping: a change here needs a new MappingVersion.
func TestMappingGolden(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "mapping_v"+MappingVersion+".json"), b)
}

func TestConcurrentUse(t *testing.T) {
	ix := openFixtures(t)
	ctx := context.Background()
	errs := make(chan error, 8)
	for i := 0; i < 4; i++ {
		go func() {
			_, err := ix.Search(ctx, Request{Query: "Microsoft", Facets: true})
			errs <- err
		}()
		go func() {
			errs <- ix.Put(ctx, allFixtures[i:i+1])
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(len(allFixtures) + fixtureStatements()); n != want {
		t.Errorf("count %d, want %d", n, want)
	}
}

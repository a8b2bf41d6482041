package ingest

import (
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/ingest/extract"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// newExtractor builds the extractor from the built-in gazetteer, as the CLI does.
func newExtractor(t testing.TB) *extract.Extractor {
	t.Helper()
	entries, lists, err := extract.LoadGazetteer(data.Gazetteer(), ".")
	if err != nil {
		t.Fatal(err)
	}
	return extract.New(extract.NewGazetteer(entries, lists), extract.Options{})
}

// TestSamplesGolden pins what extraction reads from every sample article:
// metadata, entities, relations with evidence, statements. After an
// intended change, run: go test ./ingest -run TestSamplesGolden -update
func TestSamplesGolden(t *testing.T) {
	samples := data.Samples()
	p, err := New(Options{Extractor: newExtractor(t), FS: samples, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(samples, "*.*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		if !articleExts[filepath.Ext(name)] {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			doc, err := p.Document(context.Background(), name, "")
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
				t.Errorf("extraction of %s differs from %s; inspect with git diff after -update", name, golden)
			}
		})
	}
	if n < 20 {
		t.Errorf("only %d sample articles, want at least 20", n)
	}
}

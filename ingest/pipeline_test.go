package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/ingest/model"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const bsiText = `BSI fordert Auskunft von Microsoft

Das Bundesamt für Sicherheit in der Informationstechnik (BSI) hat Microsoft nach § 7a BSIG um Auskunft gebeten. Anlass ist der Diebstahl eines Signaturschlüssels durch die Gruppe Storm-0558 im Jahr 2023.

„Wir teilen die Einschätzung des Cyber Safety Review Board“, sagte ein Sprecher des BSI.`

func TestExpandWalksFoldersAndKeepsURLs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt": bsiText, "sub/b.html": "<html><body><p>x</p></body></html>", "sub/c.json": "{}", "sub/deeper/d.htm": "<p>y</p>",
	})
	got, err := Expand([]string{dir, "https://example.org/x", "-"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "sub/b.html"), filepath.Join(dir, "sub/deeper/d.htm"), "https://example.org/x", "-"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing path gave no error")
	}
}

// TestRunGoesOnPastBadInputs feeds good and bad inputs: the bad ones are
// reported, the good ones reach the sink, in batches, from one goroutine.
func TestRunGoesOnPastBadInputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"good.txt":   bsiText,
		"copy.txt":   bsiText, // the same article again: counted once
		"empty.html": "",
		"binary.txt": "\x00\x01\x02\xff\xfe",
		"other.txt":  "CrowdStrike-Ausfall\n\nAm 19. Juli 2024 legte ein fehlerhaftes Update von CrowdStrike weltweit Windows-Rechner lahm.",
	})
	items, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	items = append(items, filepath.Join(dir, "does-not-exist.txt"))
	p, err := New(Options{Extractor: newExtractor(t), BatchSize: 2, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	var stored []model.Document
	batches := 0
	sum, err := p.Run(context.Background(), items, func(ctx context.Context, docs []model.Document) error {
		batches++
		stored = append(stored, docs...)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Items != 6 {
		t.Errorf("items %d, want 6", sum.Items)
	}
	if sum.Failed != 3 {
		t.Errorf("failed %d (%v), want 3: empty, binary, missing", sum.Failed, sum.Failures)
	}
	ids := map[string]int{}
	for _, d := range stored {
		ids[d.Article.ID()]++
	}
	if len(ids) != 2 {
		t.Errorf("stored %d distinct articles (%d documents), want 2", len(ids), len(stored))
	}
	if batches < 1 {
		t.Error("sink never called")
	}
}

func TestRunStopsOnSinkError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": bsiText, "b.txt": "Zweiter Text\n\nDas BSI warnt vor Log4Shell."})
	items, _ := Expand([]string{dir})
	p, _ := New(Options{Extractor: newExtractor(t), BatchSize: 1})
	boom := errors.New("disk full")
	_, err := p.Run(context.Background(), items, func(context.Context, []model.Document) error { return boom }, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the sink's error", err)
	}
}

func TestStdinAndURLWithoutFetcher(t *testing.T) {
	p, _ := New(Options{Extractor: newExtractor(t), Stdin: strings.NewReader(bsiText)})
	doc, err := p.Document(context.Background(), "-", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Entity("agency:bsi"); !ok {
		t.Errorf("stdin article lacks the BSI: %v", doc.Entities)
	}
	if _, err := p.Document(context.Background(), "https://example.org/a", ""); err == nil {
		t.Error("a URL without a fetcher gave no error")
	}
}

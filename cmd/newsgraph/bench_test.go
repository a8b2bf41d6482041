package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/data"
)

var benchPages = flag.Int("pages", 2000, "pages generated from the samples for BenchmarkIngest")

// genCorpus writes n pages made from the samples into dir: each copy gets
// its own URL and a line of its own, so that every page is a new article.
func genCorpus(b *testing.B, dir string, n int) int64 {
	b.Helper()
	samples := data.Samples()
	names, err := fs.Glob(samples, "*.*")
	if err != nil {
		b.Fatal(err)
	}
	var pages []string
	var exts []string
	for _, nm := range names {
		ext := filepath.Ext(nm)
		if ext != ".html" && ext != ".txt" {
			continue
		}
		body, err := fs.ReadFile(samples, nm)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, string(body))
		exts = append(exts, ext)
	}
	var total int64
	for i := 0; i < n; i++ {
		k := i % len(pages)
		page := pages[k]
		copyNo := fmt.Sprintf("%d", i)
		if exts[k] == ".html" {
			page = strings.ReplaceAll(page, `.html"`, "-"+copyNo+`.html"`)
			// A line of its own inside the article body, so its text differs.
			if end := strings.LastIndex(page, "</article>"); end > 0 {
				if p := strings.LastIndex(page[:end], "</p>"); p > 0 {
					page = page[:p] + " (Fassung " + copyNo + ")" + page[p:]
				}
			}
		} else {
			page = strings.Replace(page, "\n\n", "\n\nFassung "+copyNo+".\n\n", 1)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%05d%s", i, exts[k])), []byte(page), 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(len(page))
	}
	return total
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkIngest measures end-to-end ingest (read, parse, extract, graph
// and index writes) of generated pages into a fresh data directory:
//
//	go test ./cmd/newsgraph -run '^$' -bench Ingest -benchtime 1x [-pages 2000]
func BenchmarkIngest(b *testing.B) {
	corpus := b.TempDir()
	inBytes := genCorpus(b, corpus, *benchPages)
	b.ReportAllocs()
	b.ResetTimer()
	var stored int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dataDir := b.TempDir()
		b.StartTimer()
		var out, errb strings.Builder
		code := run(context.Background(), []string{"--data", dataDir, "ingest", "--json", corpus}, strings.NewReader(""), &out, &errb)
		if code != 0 {
			b.Fatalf("ingest: exit %d: %s", code, errb.String())
		}
		b.StopTimer()
		stored = dirSize(dataDir)
		b.StartTimer()
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(*benchPages)/secs, "articles/s")
	b.ReportMetric(float64(stored)/float64(*benchPages), "stored-bytes/article")
	b.ReportMetric(float64(inBytes)/float64(*benchPages), "input-bytes/article")
}

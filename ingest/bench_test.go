package ingest

import (
	"context"
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/ingest/model"
)

// BenchmarkExtractSamples measures `newsgraph extract` work (read, parse,
// extract) over the sample corpus on one core:
//
//	go test ./ingest -run '^$' -bench ExtractSamples -cpu 1
func BenchmarkExtractSamples(b *testing.B) {
	samples := data.Samples()
	p, err := New(Options{Extractor: newExtractor(b), FS: samples, Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	names, _ := fs.Glob(samples, "*.*")
	var items []string
	for _, n := range names {
		if articleExts[filepath.Ext(n)] {
			items = append(items, n)
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, it := range items {
			if _, err := p.Document(ctx, it, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(items))/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
}

// BenchmarkExtractOnly measures the entity, relation and statement
// extraction alone, on articles parsed beforehand.
func BenchmarkExtractOnly(b *testing.B) {
	samples := data.Samples()
	x := newExtractor(b)
	p, _ := New(Options{Extractor: x, FS: samples, Workers: 1})
	names, _ := fs.Glob(samples, "*.*")
	ctx := context.Background()
	var articles []model.Article
	for _, n := range names {
		if !articleExts[filepath.Ext(n)] {
			continue
		}
		raw, err := p.Read(ctx, n)
		if err != nil {
			b.Fatal(err)
		}
		a, err := p.Parse(ctx, raw, "")
		if err != nil {
			b.Fatal(err)
		}
		articles = append(articles, a)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range articles {
			if _, err := x.Extract(ctx, a); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(articles))/b.Elapsed().Seconds(), "articles/s")
}

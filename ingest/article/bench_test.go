package article

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkParseHTML parses every HTML fixture per iteration and reports
// pages per second (the project targets about 10 ms a page on one core).
func BenchmarkParseHTML(b *testing.B) {
	files, _ := filepath.Glob("testdata/*.html")
	if len(files) == 0 {
		b.Fatal("no fixtures")
	}
	var pages [][]byte
	var size int64
	for _, f := range files {
		p, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
		size += int64(len(p))
	}
	b.SetBytes(size / int64(len(pages)))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pages[i%len(pages)]
		if _, err := ParseHTML(ctx, bytes.NewReader(p), Options{URL: "https://example.org/news/article.html"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkParseHTMLLarge parses a synthetic page of about 100 KB, the size
// of a typical news page with its navigation, scripts and teasers.
func BenchmarkParseHTMLLarge(b *testing.B) {
	page := syntheticPage()
	b.SetBytes(int64(len(page)))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseHTML(ctx, bytes.NewReader(page), Options{URL: "https://example.org/2024/05/30/article.html"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkDetectLanguage(b *testing.B) {
	text := strings.Repeat("Das Bundesamt für Sicherheit in der Informationstechnik warnt vor einer Lücke, die Angreifer ausnutzen. ", 60)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		DetectLanguage(text)
	}
}

func syntheticPage() []byte {
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Behörde warnt vor Angriffen auf Firewalls | Beispiel Online</title>`)
	sb.WriteString(`<meta property="og:title" content="Behörde warnt vor Angriffen auf Firewalls"><meta property="og:site_name" content="Beispiel Online">`)
	sb.WriteString(`<meta property="article:published_time" content="2024-05-30T10:00:00+02:00"><meta name="author" content="Erika Probe">`)
	sb.WriteString(`<script>` + strings.Repeat("var x = function(a){return a*2;};", 600) + `</script><style>` + strings.Repeat(".c{color:red}", 800) + `</style></head><body>`)
	sb.WriteString(`<nav><ul>` + strings.Repeat(`<li><a href="/rubrik">Rubrik</a></li>`, 120) + `</ul></nav><main><article><h1>Behörde warnt vor Angriffen auf Firewalls</h1>`)
	for i := 0; i < 25; i++ {
		sb.WriteString(`<p>Angreifer nutzen eine Schwachstelle in Firewalls eines großen Herstellers aus, um in Netzwerke von Unternehmen und Behörden einzudringen. Die Behörde rät, verfügbare Updates sofort einzuspielen und die Geräte auf Spuren einer Kompromittierung zu prüfen, da die Angriffe bereits seit Wochen laufen.</p>`)
	}
	sb.WriteString(`</article><aside>` + strings.Repeat(`<div class="teaser"><a href="/t"><h3>Weiterer Artikel</h3><p>Kurzer Teaser zu einem anderen Thema.</p></a></div>`, 100) + `</aside></main>`)
	sb.WriteString(`<footer>` + strings.Repeat(`<a href="/f">Link</a> `, 100) + `</footer></body></html>`)
	return []byte(sb.String())
}

var corpusDir = flag.String("corpus", "", "folder of saved pages (*.html, *.html.gz) for BenchmarkCorpus")

// BenchmarkCorpus parses every page of -corpus once per iteration and
// reports the median and the slowest page's time, the figures the project
// bounds (no page over 1 s). Without -corpus it is skipped.
func BenchmarkCorpus(b *testing.B) {
	if *corpusDir == "" {
		b.Skip("no -corpus folder")
	}
	files, _ := filepath.Glob(filepath.Join(*corpusDir, "*.html*"))
	if len(files) == 0 {
		b.Skip("no pages in -corpus")
	}
	var pages [][]byte
	for _, f := range files {
		p, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(p))
			if err != nil {
				b.Fatal(err)
			}
			if p, err = io.ReadAll(zr); err != nil {
				b.Fatal(err)
			}
		}
		pages = append(pages, p)
	}
	ctx := context.Background()
	times := make([]time.Duration, len(pages))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, p := range pages {
			start := time.Now()
			ParseHTML(ctx, bytes.NewReader(p), Options{URL: "https://example.org/news/article.html"})
			if d := time.Since(start); i == 0 || d > times[j] {
				times[j] = d
			}
		}
	}
	b.StopTimer()
	sorted := append([]time.Duration(nil), times...)
	slices.Sort(sorted)
	b.ReportMetric(float64(sorted[len(sorted)/2].Microseconds())/1000, "median-ms/page")
	b.ReportMetric(float64(sorted[len(sorted)-1].Microseconds())/1000, "max-ms/page")
	b.ReportMetric(float64(len(pages)), "pages")
}

// BenchmarkParseHTML10MB parses a page at the default size cap; its B/op
// shows the memory one huge page costs.
func BenchmarkParseHTML10MB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>Riesige Seite</title></head><body><article><h1>Riesige Seite</h1>`)
	para := `<p>Ein Absatz mit genug Text, damit die Seite wie ein sehr langer Artikel aussieht, mit <a href="/x">Verweis</a> und Satzzeichen.</p>`
	for sb.Len() < benchPageSize-len(para)-100 {
		sb.WriteString(para)
	}
	sb.WriteString(`</article></body></html>`)
	page := []byte(sb.String())
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseHTML(ctx, bytes.NewReader(page), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

var benchPageSize = DefaultMaxBytes

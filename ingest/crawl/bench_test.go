package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/ingest/fetch"
)

// BenchmarkPass measures a crawl pass end to end against a local server:
// feed, robots.txt, pages, archive, parsing and extraction (not the store).
// It reports articles per second.
func BenchmarkPass(b *testing.B) {
	const feeds, perFeed = 4, 25
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case strings.HasSuffix(r.URL.Path, "/feed.xml"):
			var links []string
			for i := 0; i < perFeed; i++ {
				links = append(links, fmt.Sprintf("http://%s%s/%d", r.Host, strings.TrimSuffix(r.URL.Path, "/feed.xml"), i))
			}
			fmt.Fprint(w, rss("bench", links...))
		default:
			var i int
			fmt.Sscanf(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], "%d", &i)
			s := stories[i%len(stories)]
			s.title = fmt.Sprintf("%s (%s)", s.title, r.URL.Path)
			s.paras = append([]string{"Report " + r.URL.Path + "."}, s.paras...)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page(s, ""))
		}
	}))
	defer srv.Close()
	var fs []Feed
	for i := 0; i < feeds; i++ {
		fs = append(fs, Feed{ID: fmt.Sprint(i), URL: fmt.Sprintf("%s/f%d/feed.xml", srv.URL, i)})
	}
	c, err := New(Options{Client: fetch.New(fetch.Options{}), Pipeline: testPipeline(b), HostDelay: -1, HostConcurrency: 2})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	articles := 0
	for n := 0; n < b.N; n++ {
		p, err := c.Pass(context.Background(), &Snapshot{}, fs)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Items) != feeds*perFeed {
			b.Fatalf("%d articles, want %d", len(p.Items), feeds*perFeed)
		}
		articles += len(p.Items)
	}
	b.ReportMetric(float64(articles)/b.Elapsed().Seconds(), "articles/s")
}

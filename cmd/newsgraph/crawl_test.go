package main

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crawlSite serves a feed of n article pages written for this test; each
// page takes delay to serve.
type crawlSite struct {
	*httptest.Server
	mu        sync.Mutex
	pageHits  int
	feedPlain int // feed requests without validators
	n         int
	delay     time.Duration
}

var crawlTopics = []struct{ title, text string }{
	{"BSI warns of Ivanti Connect Secure flaws", "Germany's Federal Office for Information Security warned operators of Ivanti Connect Secure gateways in January 2024 to apply mitigations, because attackers were exploiting two vulnerabilities, CVE-2023-46805 and CVE-2024-21887, before patches existed."},
	{"CISA orders agencies to disconnect Ivanti appliances", "In February 2024 CISA told federal civilian agencies to disconnect Ivanti Connect Secure and Policy Secure products from their networks within two days, an unusually drastic emergency directive."},
	{"Microsoft reports Midnight Blizzard intrusion", "Microsoft disclosed in January 2024 that the Russian state actor Midnight Blizzard, also known as APT29, had read email of senior executives after a password spraying attack on a legacy test tenant."},
	{"Meta fined 1.2 billion euros under GDPR", "Ireland's Data Protection Commission fined Meta 1.2 billion euros in May 2023 for transferring personal data of European Facebook users to the United States without adequate safeguards."},
	{"CSRB report criticises Microsoft over Storm-0558", "The US Cyber Safety Review Board concluded in April 2024 that a cascade of avoidable errors at Microsoft allowed the Chinese group Storm-0558 to steal a signing key and read government email."},
	{"Volt Typhoon targets critical infrastructure", "CISA, the NSA and the FBI warned in February 2024 that the Chinese state group Volt Typhoon had pre-positioned itself in American critical infrastructure networks for possible disruptive attacks."},
}

func newCrawlSite(t *testing.T, n int, delay time.Duration) *crawlSite {
	s := newCrawlSiteB(t, n)
	s.delay = delay
	return s
}

func newCrawlSiteB(t testing.TB, n int) *crawlSite {
	var delay time.Duration
	s := &crawlSite{n: n, delay: delay}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case r.URL.Path == "/feed.xml":
			s.mu.Lock()
			if r.Header.Get("If-None-Match") == "" {
				s.feedPlain++
			}
			s.mu.Unlock()
			if r.Header.Get("If-None-Match") == `"all"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"all"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test outlet</title><link>`+s.URL+`/</link><description>t</description>`)
			for i := 0; i < s.n; i++ {
				fmt.Fprintf(w, "<item><title>%d</title><link>%s/news/%d?utm_source=rss</link></item>", i, s.URL, i)
			}
			fmt.Fprint(w, "</channel></rss>")
		case strings.HasPrefix(r.URL.Path, "/news/"):
			var i int
			fmt.Sscanf(r.URL.Path, "/news/%d", &i)
			s.mu.Lock()
			s.pageHits++
			s.mu.Unlock()
			select {
			case <-time.After(s.pageDelay()):
			case <-r.Context().Done():
				return
			}
			topic := crawlTopics[i%len(crawlTopics)]
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s (%d)</title><link rel="canonical" href="%s/news/%d"></head><body><article><h1>%s (%d)</h1><p>%s</p><p>This is test report number %d of the series.</p></article></body></html>`,
				html.EscapeString(topic.title), i, s.URL, i, html.EscapeString(topic.title), i, html.EscapeString(topic.text), i)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *crawlSite) pageDelay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delay
}

// setDelay changes how long pages take while the server runs.
func (s *crawlSite) setDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

func (s *crawlSite) hits() (pages, plainFeed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pageHits, s.feedPlain
}

type feedJSON struct {
	ID                string `json:"id"`
	ItemsTotal        int    `json:"items_total"`
	ConsecutiveErrors int    `json:"consecutive_errors"`
	ETag              string `json:"etag"`
}

type crawlJSON struct {
	Feeds       int  `json:"feeds"`
	New         int  `json:"new"`
	FailedFeeds int  `json:"failed_feeds"`
	Interrupted bool `json:"interrupted"`
}

var crawlFlagsForTest = []string{"--host-delay", "0", "--host-concurrency", "2", "--timeout", "5s"}

func TestCrawlCommandOnceAndReextract(t *testing.T) {
	site := newCrawlSite(t, 6, 0)
	c := newCLI(t)
	c.ok("feeds", "add", site.URL+"/feed.xml", "--name", "Test outlet", "--every", "1s")
	var first crawlJSON
	c.json(&first, append([]string{"crawl"}, crawlFlagsForTest...)...)
	if first.New != 6 || first.FailedFeeds != 0 {
		t.Fatalf("first crawl: %+v", first)
	}
	var s1 statsJSON
	c.json(&s1, "stats")
	if s1.Articles != 6 || s1.Index["articles"] != 6 {
		t.Fatalf("after the first crawl: %+v", s1)
	}
	time.Sleep(1100 * time.Millisecond) // the feed is due again
	var second crawlJSON
	c.json(&second, append([]string{"crawl"}, crawlFlagsForTest...)...)
	if second.Feeds != 1 || second.New != 0 {
		t.Fatalf("second crawl: %+v", second)
	}
	var s2 statsJSON
	c.json(&s2, "stats")
	if !reflect.DeepEqual(s2, s1) {
		t.Errorf("a second crawl changed the store: %+v → %+v", s1, s2)
	}
	var feeds []feedJSON
	c.json(&feeds, "feeds", "list")
	if len(feeds) != 1 || feeds[0].ItemsTotal != 6 || feeds[0].ETag == "" {
		t.Errorf("feeds list = %+v", feeds)
	}
	// reextract rebuilds the same store from the archive, without network.
	site.Close()
	c.ok("reextract")
	var s3 statsJSON
	c.json(&s3, "stats")
	if !reflect.DeepEqual(s3, s1) {
		t.Errorf("reextract changed the store: %+v → %+v", s1, s3)
	}
	// And into an empty data directory, from the archive alone.
	c2 := newCLI(t)
	os.MkdirAll(c2.data, 0o755)
	if err := os.Rename(filepath.Join(c.data, "archive"), filepath.Join(c2.data, "archive")); err != nil {
		t.Fatal(err)
	}
	c2.ok("reextract")
	var s4 statsJSON
	c2.json(&s4, "stats")
	if !reflect.DeepEqual(s4, s1) {
		t.Errorf("reextract into an empty store: %+v, want %+v", s4, s1)
	}
	// ingest --warc reads the same archive files.
	files, _ := filepath.Glob(filepath.Join(c2.data, "archive", "*.warc.gz"))
	c3 := newCLI(t)
	c3.ok(append([]string{"ingest", "--warc"}, strings.Join(files, ","))...)
	var s5 statsJSON
	c3.json(&s5, "stats")
	if !reflect.DeepEqual(s5, s1) {
		t.Errorf("ingest --warc: %+v, want %+v", s5, s1)
	}
}

func TestCrawlFailingFeedExitStatus(t *testing.T) {
	site := newCrawlSite(t, 2, 0)
	c := newCLI(t)
	c.ok("feeds", "add", site.URL+"/feed.xml")
	c.ok("feeds", "add", site.URL+"/missing.xml", "--discover=false")
	out, _, code := c.run("", append([]string{"crawl"}, crawlFlagsForTest...)...)
	if code != 1 || !strings.Contains(out, "FAILED") || !strings.Contains(out, "HTTP 404") || !strings.Contains(out, "2 new articles") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	// OPML export and import round trip.
	opml := c.ok("feeds", "export")
	p := filepath.Join(t.TempDir(), "f.opml")
	os.WriteFile(p, []byte(opml), 0o644)
	c2 := newCLI(t)
	if out := c2.ok("feeds", "import", p); !strings.Contains(out, "imported 2 feeds") {
		t.Errorf("import: %s", out)
	}
	c2.ok("feeds", "remove", site.URL+"/missing.xml")
	var feeds []feedJSON
	c2.json(&feeds, "feeds", "list")
	if len(feeds) != 1 {
		t.Errorf("after remove: %+v", feeds)
	}
}

// TestCrawlKill9 kills a crawl in flight and checks that the next crawl
// leaves a store that opens, with every article once.
func TestCrawlKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	site := newCrawlSite(t, 6, 300*time.Millisecond)
	c := newCLI(t)
	c.ok("feeds", "add", site.URL+"/feed.xml")
	cmd := exec.Command(bin, append([]string{"--data", c.data, "crawl"}, "--host-delay", "0", "--host-concurrency", "1")...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if pages, _ := site.hits(); pages >= 3 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the crawl never got going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The store opens; the killed pass committed nothing.
	var s0 statsJSON
	c.json(&s0, "stats")
	if s0.Articles != 0 {
		t.Logf("after the kill the store holds %d articles", s0.Articles)
	}
	site.setDelay(0)
	var again crawlJSON
	c.json(&again, append([]string{"crawl"}, crawlFlagsForTest...)...)
	if again.New != 6 || again.FailedFeeds != 0 {
		t.Fatalf("crawl after the kill: %+v", again)
	}
	// feeds add (discovery), the killed crawl, this crawl: the kill committed no ETag.
	if _, plain := site.hits(); plain != 3 {
		t.Errorf("the feed was fetched %d times without validators, want 3", plain)
	}
	var s1 statsJSON
	c.json(&s1, "stats")
	if s1.Articles != 6 || s1.Index["articles"] != 6 {
		t.Errorf("after the kill and a new crawl: %+v", s1)
	}
	var feeds []feedJSON
	c.json(&feeds, "feeds", "list")
	if len(feeds) != 1 || feeds[0].ItemsTotal != 6 {
		t.Errorf("feeds = %+v", feeds)
	}
	// A crawl after that finds nothing new and changes nothing.
	var third crawlJSON
	c.json(&third, append([]string{"crawl", "--all"}, crawlFlagsForTest...)...)
	var s2 statsJSON
	c.json(&s2, "stats")
	if third.New != 0 || !reflect.DeepEqual(s2, s1) {
		t.Errorf("third crawl: %+v, store %+v → %+v", third, s1, s2)
	}
}

// buildBinary builds newsgraph for the tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "newsgraph")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestWatchStopsCleanlyOnSIGTERM stops `watch` in the middle of a pass: it
// finishes the articles in hand, stores and commits them, and exits 0; the
// next crawl brings in the rest, each article once.
func TestWatchStopsCleanlyOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	site := newCrawlSite(t, 6, 300*time.Millisecond)
	c := newCLI(t)
	c.ok("feeds", "add", site.URL+"/feed.xml")
	cmd := exec.Command(bin, "--data", c.data, "watch", "--every", "200ms", "--host-delay", "0", "--host-concurrency", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if pages, _ := site.hits(); pages >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("watch never got going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch after SIGTERM: %v (want exit 0)", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("watch did not stop within 20 s of SIGTERM")
	}
	var s0 statsJSON
	c.json(&s0, "stats")
	if s0.Articles != s0.Index["articles"] {
		t.Errorf("graph holds %d articles, index %d", s0.Articles, s0.Index["articles"])
	}
	site.setDelay(0)
	c.ok(append([]string{"crawl", "--all"}, crawlFlagsForTest...)...)
	var s1 statsJSON
	c.json(&s1, "stats")
	if s1.Articles != 6 || s1.Index["articles"] != 6 {
		t.Errorf("after the stop and a new crawl: %+v (before: %d articles)", s1, s0.Articles)
	}
}

// BenchmarkCrawlEndToEnd measures `newsgraph crawl` against a local server:
// feed, robots.txt, 120 pages, archive, parsing, extraction, graph and
// index writes and the state commit. It reports articles per second.
func BenchmarkCrawlEndToEnd(b *testing.B) {
	const n = 120
	articles := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		site := newCrawlSiteB(b, n)
		data := b.TempDir()
		var out, errb strings.Builder
		if code := run(b.Context(), []string{"--data", data, "feeds", "add", site.URL + "/feed.xml"}, strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatal(errb.String())
		}
		b.StartTimer()
		args := append([]string{"--data", data, "crawl"}, crawlFlagsForTest...)
		if code := run(b.Context(), args, strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatal(errb.String())
		}
		articles += n
		b.StopTimer()
		site.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(articles)/b.Elapsed().Seconds(), "articles/s")
}

package crawl

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/newsgraph/newsgraph/ingest/archive"
	"github.com/newsgraph/newsgraph/ingest/fetch"
)

// newsServer serves a good feed, a robots.txt, article pages and one broken
// feed of each kind the crawler must survive.
type newsServer struct {
	*httptest.Server
	mu          sync.Mutex
	hits        map[string]int
	conditional int // feed requests that carried If-None-Match or If-Modified-Since
	notModified int
	goodLinks   []string
	limited     atomic.Int32
}

func newNewsServer(t *testing.T) *newsServer {
	s := &newsServer{hits: map[string]int{}}
	mux := http.NewServeMux()
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if !strings.HasPrefix(r.UserAgent(), "newsgraph/") {
			http.Error(w, "who are you?", http.StatusForbidden)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	base := s.URL
	s.goodLinks = []string{
		base + "/news/lockbit-cronos?utm_source=rss&utm_medium=feed",
		base + "/news/crowdstrike-update",
		base + "/private/moveit-cl0p",
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/good/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		links := append([]string(nil), s.goodLinks...)
		etag := fmt.Sprintf(`"v%d"`, len(links))
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			s.conditional++
		}
		match := r.Header.Get("If-None-Match") == etag
		if match {
			s.notModified++
		}
		s.mu.Unlock()
		if match {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Fri, 18 Oct 2024 09:00:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, rss("Good news", links...))
	})
	for _, st := range stories {
		page := page(st, "")
		for _, dir := range []string{"/news/", "/private/", "/latin1/"} {
			mux.HandleFunc(dir+st.slug, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(w, page)
			})
		}
	}
	mux.HandleFunc("/slow/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/limited/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if s.limited.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, rss("Limited"))
	})
	mux.HandleFunc("/always429/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("/loop/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/feed.xml?n="+fmt.Sprint(len(r.URL.RawQuery)+1), http.StatusFound)
	})
	mux.HandleFunc("/huge/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>`)
		chunk := bytes.Repeat([]byte("<!-- padding padding padding padding padding padding padding -->\n"), 1024)
		for n := 0; n < 50<<20; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/latin1/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		doc := `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Überwachung & Datenschutz</title><link>https://example.org/</link><description>Nachrichten für Österreich</description>` +
			`<item><title>NIS2: Deutschland verpasst die Frist für die Umsetzung</title><link>` + base + `/latin1/nis2-frist</link></item></channel></rss>`
		b, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(doc))
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(b)
	})
	mux.HandleFunc("/broken/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>cut`)
	})
	mux.HandleFunc("/gone/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	})
	return s
}

func (s *newsServer) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func TestPassFeedsAndFailures(t *testing.T) {
	srv := newNewsServer(t)
	h := newHarness(t, fetch.Options{Timeout: 500 * time.Millisecond, Retries: 1, MaxBytes: 10 << 20})
	var feeds []Feed
	for _, p := range []string{"good", "slow", "limited", "always429", "loop", "huge", "latin1", "broken", "gone"} {
		feeds = append(feeds, Feed{URL: srv.URL + "/" + p + "/feed.xml", Name: p})
	}
	if _, err := h.reg.Add(context.Background(), false, feeds...); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	p1 := h.pass()
	tests := []struct {
		feed    string
		wantErr string // "" means the feed must succeed
		wantNew int
	}{
		{"good", "", 2}, // the third item is disallowed by robots.txt
		{"slow", "deadline exceeded", 0},
		{"limited", "", 0}, // one 429 with Retry-After: 1, then fine
		{"always429", "429", 0},
		{"loop", "too many redirects", 0},
		{"huge", "larger than the size cap", 0},
		{"latin1", "", 1},
		{"broken", "malformed feed", 0},
		{"gone", "feed vanished (HTTP 410)", 0},
	}
	for _, tt := range tests {
		t.Run(tt.feed, func(t *testing.T) {
			r := p1.result(t, srv.URL+"/"+tt.feed+"/feed.xml")
			if tt.wantErr == "" && r.Err != "" {
				t.Fatalf("feed failed: %s", r.Err)
			}
			if tt.wantErr != "" && !strings.Contains(r.Err, tt.wantErr) {
				t.Fatalf("error = %q, want it to mention %q", r.Err, tt.wantErr)
			}
			if r.New != tt.wantNew {
				t.Errorf("new = %d, want %d (errors %v)", r.New, tt.wantNew, r.Errors)
			}
			if tt.wantErr != "" && (r.Feed.ConsecutiveErrors != 1 || r.Feed.LastError == "") {
				t.Errorf("health not recorded: %+v", r.Feed)
			}
		})
	}
	if time.Since(start) < time.Second {
		t.Errorf("pass took %v: Retry-After: 1 was not honoured", time.Since(start))
	}
	if n := srv.hitCount("/private/moveit-cl0p"); n != 0 {
		t.Errorf("a page robots.txt disallows was fetched %d times", n)
	}
	if n := srv.hitCount("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times in one pass, want 1", n)
	}
	good := p1.result(t, srv.URL+"/good/feed.xml")
	if good.Failed != 1 || !strings.Contains(strings.Join(good.Errors, " "), "robots.txt") {
		t.Errorf("the disallowed item is not reported: %+v", good)
	}
	if got := len(p1.Items); got != 3 {
		t.Fatalf("pass 1 brought %d articles, want 3", got)
	}
	for _, it := range p1.Items {
		if strings.Contains(it.Doc.Article.URL, "utm_") {
			t.Errorf("tracking parameters kept in %s", it.Doc.Article.URL)
		}
	}

	// Pass 2: conditional GET, 304, nothing new; pages are not fetched again.
	pagesBefore := srv.hitCount("/news/lockbit-cronos")
	p2 := h.pass()
	if r := p2.result(t, srv.URL+"/good/feed.xml"); !r.NotModified || r.New != 0 {
		t.Errorf("pass 2 good feed = %+v, want not modified", r)
	}
	if srv.conditional == 0 || srv.notModified == 0 {
		t.Errorf("no conditional GET was sent (conditional %d, 304 %d)", srv.conditional, srv.notModified)
	}
	if len(p2.Items) != 0 {
		t.Errorf("pass 2 brought %d articles, want 0", len(p2.Items))
	}
	if srv.hitCount("/news/lockbit-cronos") != pagesBefore {
		t.Error("a known page was fetched again")
	}

	// Pass 3: the feed gains items: a known page under a tracking variant
	// (not fetched), a known text under another address (fetched, repeated)
	// and a new page (ingested).
	srv.mu.Lock()
	srv.goodLinks = append(srv.goodLinks, srv.goodLinks[1]+"?fbclid=abc", srv.URL+"/news/nis2-frist", srv.URL+"/news/moveit-cl0p")
	srv.mu.Unlock()
	p3 := h.pass()
	r3 := p3.result(t, srv.URL+"/good/feed.xml")
	if r3.New != 1 || r3.Repeated != 1 || len(p3.Items) != 1 {
		t.Errorf("pass 3: %d new, %d repeated, want 1 and 1 (%+v)", r3.New, r3.Repeated, r3)
	}
	feedsNow, _ := h.reg.Feeds(context.Background())
	for _, f := range feedsNow {
		if f.Name == "good" && (f.ItemsTotal != 3 || f.LastNew.IsZero() || f.ETag == "") {
			t.Errorf("good feed state = %+v", f)
		}
		if f.Name == "gone" && f.ConsecutiveErrors != 3 {
			t.Errorf("gone feed errors = %d after 3 passes", f.ConsecutiveErrors)
		}
	}

	// Every fetched document was archived.
	if err := h.arc.Sync(); err != nil {
		t.Fatal(err)
	}
	pages := 0
	err := archive.ReadFile(context.Background(), h.arc.Path(), func(r archive.Record) error {
		if r.Role == archive.RolePage {
			pages++
		}
		return nil
	})
	// lockbit, crowdstrike, nis2 (latin1 feed), nis2 (good feed, repeated), moveit
	if err != nil || pages != 5 {
		t.Errorf("archived %d pages (%v), want 5", pages, err)
	}
}

func TestParseFeedLatin1AndKinds(t *testing.T) {
	latin, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Überwachung</title><item><title>Größere Lücke</title><link>https://example.org/a</link></item></channel></rss>`))
	latinNoDecl, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(`<rss version="2.0"><channel><title>Überwachung</title><item><title>Größere Lücke</title><link>https://example.org/a</link></item></channel></rss>`))
	tests := []struct {
		name, ctype string
		body        []byte
		title       string
		items       int
		wantErr     string
	}{
		{"latin1 declared", "application/rss+xml", latin, "Überwachung", 1, ""},
		{"latin1 by header", "application/rss+xml; charset=iso-8859-1", latinNoDecl, "Überwachung", 1, ""},
		{"latin1 undeclared", "application/rss+xml", latinNoDecl, "Überwachung", 1, ""},
		{"atom", "application/atom+xml", []byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>BSI</title><entry><title>Warnung</title><link href="https://example.org/w"/><id>x</id></entry></feed>`), "BSI", 1, ""},
		{"json feed", "application/feed+json", []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"CISA","items":[{"id":"1","url":"https://example.org/kev","title":"KEV"}]}`), "CISA", 1, ""},
		{"rss 1.0", "application/rdf+xml", []byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://example.org/"><title>RDF</title></channel><item rdf:about="https://example.org/1"><title>One</title><link>https://example.org/1</link></item></rdf:RDF>`), "RDF", 1, ""},
		{"html page", "text/html", []byte("<!DOCTYPE html><html><head><title>x</title></head></html>"), "", 0, "HTML page"},
		{"empty", "", nil, "", 0, "empty document"},
		{"malformed", "application/xml", []byte(`<rss version="2.0"><channel><title>x</title><item><title>y</it`), "", 0, "malformed"},
		{"plain text", "text/plain", []byte("hello world"), "", 0, "not an RSS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFeed(tt.body, tt.ctype)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.title || len(f.Items) != tt.items {
				t.Errorf("title %q items %d; want %q %d", f.Title, len(f.Items), tt.title, tt.items)
			}
		})
	}
}

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(rss("x", "https://example.org/a")), "application/rss+xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[]}`), "application/json")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		_, _ = ParseFeed(b, ct)
	})
}

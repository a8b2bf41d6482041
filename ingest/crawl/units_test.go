package crawl

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/ingest/fetch"
)

func TestSimhashNearDuplicates(t *testing.T) {
	base := strings.Join(stories[0].paras, " ") + " " + strings.Join(stories[1].paras, " ")
	tests := []struct {
		name string
		text string
		near bool
	}{
		{"same text", base, true},
		{"reprint with a changed last word", strings.TrimSuffix(base, "cyberattack.") + "attack.", true},
		{"reprint with a byline added", "By a staff reporter. " + base, true},
		{"another story", strings.Join(stories[2].paras, " ") + " " + strings.Join(stories[3].paras, " "), false},
	}
	h0, ok := Simhash(base)
	if !ok {
		t.Fatal("no simhash for a long text")
	}
	prints := []Fingerprint{{ArticleID: "article:orig", Key: "example.org/orig", Simhash: h0}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := Simhash(tt.text)
			if !ok {
				t.Fatal("no simhash")
			}
			id, near := NearDuplicateOf(prints, h, "example.net/copy", "article:copy")
			if near != tt.near || (near && id != "article:orig") {
				t.Errorf("near = %v (%q), want %v; distance %d", near, id, tt.near, Distance(h, h0))
			}
		})
	}
	if _, ok := Simhash("Too short to tell."); ok {
		t.Error("a short text was fingerprinted")
	}
	if _, near := NearDuplicateOf(prints, h0, "example.org/orig", "article:x"); near {
		t.Error("an article is a near-duplicate of itself (same URL key)")
	}
}

func TestRegistryAddFindRemoveDue(t *testing.T) {
	ctx := context.Background()
	reg, err := OpenRegistry(ctx, filepath.Join(t.TempDir(), "feeds.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	added, err := reg.Add(ctx, false, Feed{URL: "https://therecord.media/feed/?utm_source=x", Name: "The Record", Every: time.Hour})
	if err != nil || len(added) != 1 || added[0].URL != "https://therecord.media/feed/" {
		t.Fatalf("Add = %+v, %v", added, err)
	}
	if _, err := reg.Add(ctx, false, Feed{URL: "http://www.therecord.media/feed"}); err == nil {
		t.Error("the same feed under a folded variant was added twice")
	}
	if _, err := reg.Add(ctx, false, Feed{URL: "https://example.org/f", Include: "("}); err == nil {
		t.Error("a bad include pattern was accepted")
	}
	for _, ref := range []string{added[0].ID, "the record", "https://therecord.media/feed"} {
		if fs, err := reg.Find(ctx, ref); err != nil || len(fs) != 1 {
			t.Errorf("Find(%q) = %v, %v", ref, fs, err)
		}
	}
	now := time.Now()
	f := added[0]
	tests := []struct {
		last   time.Duration // ago
		errors int
		due    bool
	}{
		{0, 0, false}, {-2 * time.Hour, 0, true}, {-2 * time.Hour, 2, false}, {-5 * time.Hour, 2, true},
	}
	for _, tt := range tests {
		f.LastFetch, f.ConsecutiveErrors = now.Add(tt.last), tt.errors
		if f.Due(now) != tt.due {
			t.Errorf("fetched %v ago with %d errors: due %v", -tt.last, tt.errors, !tt.due)
		}
	}
	if _, err := reg.Remove(ctx, "The Record"); err != nil {
		t.Fatal(err)
	}
	if fs, _ := reg.Feeds(ctx); len(fs) != 0 {
		t.Errorf("after remove: %+v", fs)
	}
}

func TestOPMLRoundTripAndDefaults(t *testing.T) {
	fh, err := data.Feeds().Open("defaults.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	feeds, err := ReadOPML(fh)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) < 12 {
		t.Fatalf("%d default feeds", len(feeds))
	}
	names := map[string]bool{}
	for _, f := range feeds {
		names[f.Name] = true
	}
	for _, want := range []string{"heise Security", "Golem.de", "netzpolitik.org", "tagesschau.de", "BSI Aktuelles", "CISA News", "The Record", "BleepingComputer", "SecurityWeek", "Krebs on Security"} {
		if !names[want] {
			t.Errorf("default list lacks %s", want)
		}
	}
	feeds[0].Every, feeds[0].Include = 15*time.Minute, "Sicherheit|Lücke"
	var b bytes.Buffer
	if err := WriteOPML(&b, "t", feeds); err != nil {
		t.Fatal(err)
	}
	back, err := ReadOPML(&b)
	if err != nil || len(back) != len(feeds) {
		t.Fatalf("round trip: %d feeds, %v", len(back), err)
	}
	if back[0].Every != 15*time.Minute || back[0].Include != "Sicherheit|Lücke" || back[0].URL != feeds[0].URL || back[0].Lang != "de" {
		t.Errorf("round trip lost settings: %+v", back[0])
	}
	if _, err := ReadOPML(strings.NewReader("<opml><body><outline")); err == nil {
		t.Error("a broken OPML file was read")
	}
}

func TestDiscover(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Outlet</title><link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml"><link rel="alternate" type="application/rss+xml" href="`+srv.URL+`/rss.xml"></head><body>hi</body></html>`)
		case "/atom.xml":
			w.Header().Set("Content-Type", "application/atom+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet news</title></feed>`)
		case "/nofeed":
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>x</title></head></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := fetch.New(fetch.Options{Retries: -1})
	tests := []struct{ in, want, title, err string }{
		{srv.URL + "/", srv.URL + "/atom.xml", "Outlet news", ""},
		{srv.URL + "/atom.xml", srv.URL + "/atom.xml", "Outlet news", ""},
		{srv.URL + "/nofeed", "", "", "announces none"},
		{srv.URL + "/missing", "", "", "404"},
	}
	for _, tt := range tests {
		u, title, err := Discover(context.Background(), c, tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Discover(%s) err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || u != tt.want || title != tt.title {
			t.Errorf("Discover(%s) = %q, %q, %v", tt.in, u, title, err)
		}
	}
}

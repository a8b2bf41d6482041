package crawl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// ErrNotAFeed is returned (wrapped) for a document that is no RSS, Atom or JSON feed.
var ErrNotAFeed = errors.New("not an RSS, Atom or JSON feed")

// ParseFeed reads an RSS 0.9x/1.0/2.0, Atom or JSON feed. contentType is
// the HTTP Content-Type, whose charset applies when the document does not
// declare its own encoding.
func ParseFeed(body []byte, contentType string) (*gofeed.Feed, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("crawl: empty document: %w", ErrNotAFeed)
	}
	if looksHTML(trimmed) {
		return nil, fmt.Errorf("crawl: an HTML page, %w (add the site's home page with `feeds add` to discover its feed)", ErrNotAFeed)
	}
	r := io.Reader(bytes.NewReader(body))
	cs := charsetOf(contentType)
	if cs == "" && trimmed[0] == '<' && !declaresEncoding(trimmed) && !utf8.Valid(trimmed) {
		// No charset anywhere and not UTF-8: the web's usual legacy
		// encoding (a superset of ISO-8859-1) is the best guess.
		cs = "windows-1252"
	}
	if cs != "" && cs != "utf-8" && trimmed[0] == '<' && !declaresEncoding(trimmed) {
		cr, err := charset.NewReaderLabel(cs, r)
		if err == nil {
			r = cr
		}
	}
	f, err := gofeed.NewParser().Parse(r)
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, fmt.Errorf("crawl: %w", ErrNotAFeed)
	}
	if err != nil {
		return nil, fmt.Errorf("crawl: malformed feed: %w", err)
	}
	return f, nil
}

func charsetOf(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.ToLower(params["charset"])
}

var xmlEncoding = regexp.MustCompile(`^<\?xml[^>]*encoding=`)

func declaresEncoding(b []byte) bool {
	if len(b) > 200 {
		b = b[:200]
	}
	return xmlEncoding.Match(b)
}

func looksHTML(b []byte) bool {
	if len(b) > 1024 {
		b = b[:1024]
	}
	l := bytes.ToLower(b)
	return bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html"))
}

// feedTypes are the link types that announce a feed.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/feed+json": true,
	"application/json": true, "application/rdf+xml": true, "text/xml": true, "application/xml": true,
}

// DiscoverFeeds lists the feeds an HTML page announces with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">,
// as absolute addresses, in page order.
func DiscoverFeeds(page []byte, pageURL string) ([]string, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("crawl: reading %s: %w", pageURL, err)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("crawl: %w", err)
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(href); err == nil {
			base = b
		}
	}
	var out []string
	seen := map[string]bool{}
	doc.Find("link[rel][href]").Each(func(_ int, s *goquery.Selection) {
		rel := strings.ToLower(s.AttrOr("rel", ""))
		typ := strings.ToLower(strings.TrimSpace(s.AttrOr("type", "")))
		if !strings.Contains(" "+rel+" ", " alternate ") || !feedTypes[typ] {
			return
		}
		u, err := base.Parse(strings.TrimSpace(s.AttrOr("href", "")))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || seen[u.String()] {
			return
		}
		seen[u.String()] = true
		out = append(out, u.String())
	})
	return out, nil
}

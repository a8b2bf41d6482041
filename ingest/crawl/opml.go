package crawl

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// opml is the subset of OPML 2.0 that feed readers exchange.
type opml struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"head>title,omitempty"`
	Body    []outline `xml:"body>outline"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Language string    `xml:"language,attr,omitempty"`
	Every    string    `xml:"newsgraphEvery,attr,omitempty"`
	Include  string    `xml:"newsgraphInclude,attr,omitempty"`
	Exclude  string    `xml:"newsgraphExclude,attr,omitempty"`
	Children []outline `xml:"outline"`
}

// ReadOPML reads the feeds of an OPML file (outlines with an xmlUrl, at any
// depth). The newsgraph attributes newsgraphEvery, newsgraphInclude and
// newsgraphExclude, which WriteOPML writes, carry the feed's settings.
func ReadOPML(r io.Reader) ([]Feed, error) {
	var doc opml
	dec := xml.NewDecoder(r)
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("crawl: reading OPML: %w", err)
	}
	var out []Feed
	var walk func([]outline) error
	walk = func(os []outline) error {
		for _, o := range os {
			if u := strings.TrimSpace(o.XMLURL); u != "" {
				f := Feed{URL: u, Name: strings.TrimSpace(o.Title), Lang: o.Language, Include: o.Include, Exclude: o.Exclude}
				if f.Name == "" {
					f.Name = strings.TrimSpace(o.Text)
				}
				if o.Every != "" {
					d, err := time.ParseDuration(o.Every)
					if err != nil {
						return fmt.Errorf("crawl: OPML feed %s: newsgraphEvery: %w", u, err)
					}
					f.Every = d
				}
				if err := f.Validate(); err != nil {
					return err
				}
				out = append(out, f)
			}
			if err := walk(o.Children); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(doc.Body); err != nil {
		return nil, err
	}
	return out, nil
}

// WriteOPML writes feeds as an OPML 2.0 document.
func WriteOPML(w io.Writer, title string, feeds []Feed) error {
	doc := opml{Version: "2.0", Title: title}
	for _, f := range feeds {
		o := outline{Text: f.Label(), Title: f.Name, Type: "rss", XMLURL: f.URL, Language: f.Lang, Include: f.Include, Exclude: f.Exclude}
		if f.Every > 0 && f.Every != DefaultEvery {
			o.Every = f.Every.String()
		}
		doc.Body = append(doc.Body, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("crawl: writing OPML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("crawl: writing OPML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("crawl: writing OPML: %w", err)
	}
	return nil
}

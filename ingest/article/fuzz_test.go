package article

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseHTML(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.html")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b, "")
		}
	}
	f.Add([]byte("<html><p>a</p>"), "text/html; charset=iso-8859-1")
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","author":[{"name":1}],"datePublished":[]}]}</script><p>x</p>`), "")
	f.Add([]byte("\xfe\xff\x00<\x00p\x00>"), "")
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		a, err := ParseHTML(context.Background(), bytes.NewReader(page), Options{ContentType: contentType, URL: "https://example.org/2024/05/30/x"})
		if err == nil && a.Text == "" {
			t.Errorf("no error but empty text")
		}
	})
}

func FuzzParseText(f *testing.F) {
	if b, err := os.ReadFile("testdata/cra-text.txt"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("Titel\n\nText\r\nmehr\rText"))
	f.Add([]byte("\xef\xbb\xbf\n\n\n"))
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := ParseText(context.Background(), bytes.NewReader(page), Options{})
		if err == nil && a.Title == "" {
			t.Errorf("no error but empty title")
		}
	})
}

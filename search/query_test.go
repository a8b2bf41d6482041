package search

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

func TestParseQueryFields(t *testing.T) {
	tests := []struct {
		in         string
		wantFields []string // fields that must appear in the rewritten query
		notFields  []string
	}{
		{"BSI", []string{"title_de", "body_en", "text_std", "description_de"}, []string{`"field":"_all"`}},
		{"title:BSI", []string{"title_de", "title_en", "title_std"}, []string{"body_de"}},
		{`body:"Double Key"`, []string{"body_de", "body_en"}, []string{"title_de"}},
		{"site:heise", []string{"site_text"}, []string{"title_de"}},
		{"url:https", []string{`"field":"url"`}, []string{"title_de"}},
		{`published:>"2024-01-01"`, []string{`"field":"published"`}, []string{"title_de"}},
		{"entity:agency\\:bsi", []string{`"field":"entity"`}, []string{"title_de"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := ParseQuery(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(q)
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			for _, f := range tt.wantFields {
				if !strings.Contains(s, f) {
					t.Errorf("%s lacks %s", s, f)
				}
			}
			for _, f := range tt.notFields {
				if strings.Contains(s, f) {
					t.Errorf("%s has %s", s, f)
				}
			}
		})
	}
}

func TestParseQueryEmpty(t *testing.T) {
	for _, s := range []string{"", "  "} {
		q, err := ParseQuery(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := q.(*query.MatchAllQuery); !ok {
			t.Errorf("%q → %T, want match all", s, q)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"BSI", `"Double Key Encryption"`, "+site:heise -title:Microsoft", "title:(BSI", "Crowd*",
		`/[a-z]+/`, `/[a-/`, "published:>\"2024-01-01\"", "a~2 b^3", "body:", `"`, "entity:agency\\:bsi", "x:1 y:>=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("%q: error %v does not wrap ErrBadQuery", s, err)
			}
			return
		}
		if q == nil {
			t.Fatalf("%q: nil query without error", s)
		}
	})
}

// FuzzSearch runs fuzzed query strings against a real index: every failure
// must be reported as ErrBadQuery, never as an internal error or a panic.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"BSI", `"Double Key Encryption"`, "+site:heise -title:Microsoft", "Crowd*", "a~3",
		`/[a-z]+/`, `/a{1000}/`, `/^a$/`, "published:>\"2024-01-01\"", "published:>\"gestern\"", "x:1 y:>=2", "title:a~2"} {
		f.Add(s)
	}
	ix := openFixtures(f)
	f.Fuzz(func(t *testing.T, s string) {
		_, err := ix.Search(context.Background(), Request{Query: s, Facets: true})
		if err != nil && !errors.Is(err, ErrBadQuery) {
			t.Fatalf("%q: error %v does not wrap ErrBadQuery", s, err)
		}
	})
}

func TestFoldSpace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\n\nb  c", "a b c"},
		{"…d blamed a «culture» at Micro…", "… blamed a «culture» at …"},
		{"…«Micro»soft said so…", "…«Micro»soft said …"},
		{"…half of the «words»…", "… of the «words»…"},
		{"…<mark>x</mark>y and z…", "…<mark>x</mark>y and …"},
		{"…oneword…", "…oneword…"},
	}
	for _, tt := range tests {
		if got := foldSpace(tt.in); got != tt.want {
			t.Errorf("foldSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package graph

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// FuzzParseAddress: any string either maps to a known backend with a
// sensible target or fails with ErrUnsupportedAddress; it never panics.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"memstore://", "bbolt:///var/lib/g", "bbolt://rel", "postgres://h/db",
		"", "::", "bbolt:", "bbolt:///", "memstore:///x", "BBOLT:///x", "bbolt:///a/../b", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		b, target, err := parseAddress(addr)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedAddress) {
				t.Fatalf("parseAddress(%q) error %v does not wrap ErrUnsupportedAddress", addr, err)
			}
			return
		}
		if b.open == nil {
			t.Fatalf("parseAddress(%q) gave no backend", addr)
		}
		if strings.HasPrefix(b.usage, "bbolt") && !filepath.IsAbs(target) {
			t.Fatalf("parseAddress(%q) gave relative bbolt directory %q", addr, target)
		}
	})
}

// FuzzPutIdempotent: whatever the names and texts, storing a document twice
// leaves the graph unchanged, and its entity resolves by name.
func FuzzPutIdempotent(f *testing.F) {
	f.Add("BSI warnt", "Das BSI warnt vor einer Lücke.", "BSI", "Bundesamt", "Das BSI warnt.")
	f.Add("", "", "x", "", "")
	f.Add("Ä", "line\n\nbreak", "  spaced  name ", "ALIAS", "\"quoted\" <tag>")
	f.Fuzz(func(t *testing.T, title, text, name, alias, sentence string) {
		if strings.TrimSpace(name) == "" {
			return
		}
		s, err := Open(context.Background(), "memstore://", Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		doc := model.Document{
			Article:  model.Article{Title: title, Text: text, Site: "fuzz"},
			Entities: []model.Entity{{ID: "agency:fuzz", Type: model.Agency, Name: name, Aliases: []string{alias}}, entMicrosoft},
			Relations: []model.Relation{{Subject: "agency:fuzz", Predicate: model.Criticizes, Object: "vendor:microsoft",
				Evidence: sentence, Confidence: 0.5}},
			Statements: []model.Statement{{Speaker: "agency:fuzz", Text: sentence, About: []string{"vendor:microsoft"}}},
		}
		ctx := context.Background()
		if _, err := s.Put(ctx, []model.Document{doc}); err != nil {
			t.Fatal(err)
		}
		before := mustStats(t, s)
		if _, err := s.Put(ctx, []model.Document{doc}); err != nil {
			t.Fatal(err)
		}
		after := mustStats(t, s)
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("stats changed: %+v → %+v", before, after)
		}
		got, err := s.Resolve(ctx, name)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", name, err)
		}
		found := false
		for _, e := range got {
			found = found || e.ID == "agency:fuzz"
		}
		if !found {
			t.Fatalf("Resolve(%q) = %+v", name, got)
		}
		if _, err := s.Evidence(ctx, "agency:fuzz", "criticizes", "vendor:microsoft"); err != nil {
			t.Fatalf("Evidence: %v", err)
		}
	})
}

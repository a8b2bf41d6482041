package model

import (
	"encoding/json"
	"testing"
	"time"
)

func TestArticleIdentity(t *testing.T) {
	a := Article{Title: "BSI  fordert\nAuskunft", Text: "Das BSI\n\nverlangt Auskunft. "}
	b := Article{Title: "BSI fordert Auskunft", Text: "Das BSI verlangt Auskunft."}
	tests := []struct {
		name string
		x, y Article
		same bool
	}{
		{"white space does not change the content", a, b, true},
		{"other text is other content", a, Article{Title: "BSI fordert Auskunft", Text: "Anderer Text."}, false},
		{"a URL identifies the article", Article{URL: "https://x.org/a", Text: "1"}, Article{URL: "https://x.org/a", Text: "2"}, true},
		{"different URLs are different articles", Article{URL: "https://x.org/a"}, Article{URL: "https://x.org/b"}, false},
	}
	for _, tc := range tests {
		if got := tc.x.ID() == tc.y.ID(); got != tc.same {
			t.Errorf("%s: same id = %v", tc.name, got)
		}
	}
	if a.ContentHash() != b.ContentHash() {
		t.Error("content hash depends on white space")
	}
	if id := b.ID(); len(id) != len("article:")+16 || id[:8] != "article:" {
		t.Errorf("id %q", id)
	}
}

func TestArticleJSON(t *testing.T) {
	pub := time.Date(2024, 5, 30, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	tests := []Article{
		{URL: "https://www.heise.de/news/x.html", Title: "T", Byline: "A", Published: pub, Language: "de", Site: "heise online", Text: "x"},
		{Title: "no date"},
	}
	for _, a := range tests {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		for _, k := range []string{"url", "title", "byline", "published", "language", "site", "text"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%s missing in %s", k, b)
			}
		}
		if a.Published.IsZero() && m["published"] != "" {
			t.Errorf("zero date: published = %v, want \"\"", m["published"])
		}
		var back Article
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !back.Published.Equal(a.Published) || back.Title != a.Title || back.ID() != a.ID() {
			t.Errorf("round trip: %+v != %+v", back, a)
		}
	}
	if err := json.Unmarshal([]byte(`{"published":"yesterday"}`), new(Article)); err == nil {
		t.Error("a bad date gave no error")
	}
}

func TestVocabulary(t *testing.T) {
	for _, ty := range EntityTypes {
		if !ty.Valid() {
			t.Errorf("%s not valid", ty)
		}
	}
	for _, p := range Predicates {
		if !p.Valid() {
			t.Errorf("%s not valid", p)
		}
	}
	if EntityType("thing").Valid() || Predicate("likes").Valid() {
		t.Error("unknown names are valid")
	}
	if TypeOfID("agency:bsi") != Agency || TypeOfID("nothing") != "" {
		t.Error("TypeOfID")
	}
}

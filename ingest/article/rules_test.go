package article

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinSiteRulesCoverFeeds(t *testing.T) {
	rules := BuiltinSiteRules()
	for _, host := range []string{"heise.de", "golem.de", "spiegel.de", "zeit.de", "tagesschau.de", "netzpolitik.org",
		"sueddeutsche.de", "faz.net", "bleepingcomputer.com", "therecord.media", "securityweek.com", "theregister.com",
		"arstechnica.com", "krebsonsecurity.com"} {
		r := rules.For(host)
		if r == nil || len(r.Body) == 0 || len(r.Remove) == 0 || len(r.Byline) == 0 {
			t.Errorf("%s: no complete rule (%+v)", host, r)
		}
	}
}

func TestSiteRulesFor(t *testing.T) {
	rules, err := ParseSiteRules(strings.NewReader("# comment\n\nheise.de\tbody\t.article-content\nwww.Example.ORG\tremove\t.ad\n"), "t.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"heise.de", "heise.de"},
		{"https://www.heise.de/news/x.html", "heise.de"},
		{"m.heise.de", "heise.de"},
		{"example.org", "example.org"},
		{"notheise.de", ""},
		{"de", ""},
		{"", ""},
	} {
		got := ""
		if r := rules.For(tc.in); r != nil {
			got = r.Host
		}
		if got != tc.want {
			t.Errorf("For(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseSiteRulesErrors(t *testing.T) {
	for _, in := range []string{
		"heise.de\tbody\n",        // two columns
		"heise.de\tteaser\t.x\n",  // unknown field
		"heise.de\tbody\tdiv[[\n", // bad selector
		"\tbody\t.x\n",            // no host
		"heise.de\tbody\t   \n",   // no selector
	} {
		if _, err := ParseSiteRules(strings.NewReader(in), "bad.tsv"); err == nil {
			t.Errorf("ParseSiteRules(%q): no error", in)
		}
	}
}

// TestLoadSiteRulesOverride checks that a user folder extends the built-in
// rules and replaces a field for a host it names, and that the parser uses
// them: the user's remove rule takes a paragraph out of a page.
func TestLoadSiteRulesOverride(t *testing.T) {
	user := fstest.MapFS{
		"sites/10-mine.tsv":  {Data: []byte("magazin.example\tbody\t.story\nmagazin.example\tremove\t.promo\n")},
		"sites/20-heise.tsv": {Data: []byte("heise.de\tbyline\t.my-author\n")},
		"sites/readme.txt":   {Data: []byte("not a rules file")},
	}
	mine, err := LoadSiteRules(user, "sites")
	if err != nil {
		t.Fatal(err)
	}
	rules := BuiltinSiteRules().Merge(mine)
	if r := rules.For("heise.de"); r == nil || len(r.Byline) != 1 || r.Byline[0].Text != ".my-author" || len(r.Body) == 0 {
		t.Errorf("heise rule after merge: %+v", r)
	}
	if r := rules.For("magazin.example"); r == nil || len(r.Remove) != 1 {
		t.Errorf("user rule missing: %+v", r)
	}
	if empty, err := LoadSiteRules(user, "missing"); err != nil || len(empty.Hosts()) != 0 {
		t.Errorf("missing folder: %v, %v", empty.Hosts(), err)
	}

	page := `<html><head><title>Ein Beispiel</title></head><body><div class="story">
<p>Der erste Absatz des Artikels erzählt, was geschehen ist, und nennt die Beteiligten.</p>
<p class="promo">Jetzt den Newsletter bestellen und nichts mehr verpassen, jeden Morgen neu.</p>
<p>Der zweite Absatz ordnet das Geschehen ein und zitiert eine Fachfrau, die es erklärt.</p>
<p>Der dritte Absatz blickt voraus und sagt, was als Nächstes zu erwarten ist, wenn alles gut geht.</p></div></body></html>`
	for _, tc := range []struct {
		rules *SiteRules
		promo bool
	}{{nil, true}, {rules, false}} {
		a, err := ParseHTML(context.Background(), strings.NewReader(page), Options{URL: "https://magazin.example/a.html", Rules: tc.rules})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(a.Text, "Newsletter bestellen"); got != tc.promo {
			t.Errorf("rules %v: promo in text = %v, want %v\n%s", tc.rules != nil, got, tc.promo, a.Text)
		}
	}
}

func TestCleanParas(t *testing.T) {
	long := "This sentence is part of the article and it is long enough to count as prose for the purpose of this test, clearly."
	for _, tc := range []struct {
		name string
		in   []para
		want []string
	}{
		{"boilerplate lines", []para{{text: long}, {text: "Advertisement"}, {text: long + " 2"}, {text: "Continue Reading Below"}, {text: long + " 3"}},
			[]string{long, long + " 2", long + " 3"}},
		{"link-only promo", []para{{text: long}, {text: "CLICK HERE TO GET THE APP", linkShare: 1}, {text: long + " 2"}},
			[]string{long, long + " 2"}},
		{"tail marker", []para{{text: long}, {text: long + " 2"}, {text: long + " 3"}, {text: "Mehr zum Thema"}, {text: "Ein anderer Artikel über etwas."}},
			[]string{long, long + " 2", long + " 3"}},
		{"teaser block", []para{{text: long}, {text: long + " 2"}, {text: long + " 3"}, {text: long + " 4"},
			{text: "Teaser one", linkShare: 1}, {text: "A summary of it."}, {text: "Teaser two", linkShare: 1}, {text: "Teaser three", linkShare: 1}},
			[]string{long, long + " 2", long + " 3", long + " 4"}},
		{"ingredient list kept", []para{{text: long}, {text: long + " 2"}, {text: "2 eggs"}, {text: "1 cup flour"}, {text: "a pinch of salt"}, {text: "Mix and bake."}},
			[]string{long, long + " 2", "2 eggs", "1 cup flour", "a pinch of salt", "Mix and bake."}},
		{"marker early is kept", []para{{text: "Related"}, {text: long}, {text: long + " 2"}},
			[]string{"Related", long, long + " 2"}},
	} {
		var got []string
		for _, p := range cleanParas(tc.in) {
			got = append(got, p.text)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

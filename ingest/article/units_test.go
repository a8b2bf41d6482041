package article

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2024-05-30T10:00:00+02:00", "2024-05-30T10:00:00+02:00"},
		{"2024-05-30T10:00:00+0200", "2024-05-30T10:00:00+02:00"},
		{"2024-05-30T10:00:00.123Z", "2024-05-30T10:00:00Z"},
		{"2024-05-30 10:00", "2024-05-30T10:00:00Z"},
		{"2024-05-30", "2024-05-30T00:00:00Z"},
		{"30.05.2024", "2024-05-30T00:00:00Z"},
		{"30.05.2024, 14:20", "2024-05-30T14:20:00Z"},
		{"30. Mai 2024", "2024-05-30T00:00:00Z"},
		{"12. Dezember 2021, 9:31 Uhr", "2021-12-12T09:31:00Z"},
		{"January 19, 2024", "2024-01-19T00:00:00Z"},
		{"Thu, 30 May 2024 08:00:00 GMT", "2024-05-30T08:00:00Z"},
		{"1717056000", "2024-05-30T08:00:00Z"},
		{"gestern", ""},
		{"", ""},
	} {
		got, ok := parseDate(tc.in)
		s := ""
		if ok {
			s = got.Format(time.RFC3339)
		}
		if s != tc.want {
			t.Errorf("parseDate(%q) = %q, want %q", tc.in, s, tc.want)
		}
	}
}

func TestSaneDate(t *testing.T) {
	floor := time.Date(2024, 5, 30, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in    time.Time
		floor time.Time
		want  bool
	}{
		{time.Date(2024, 5, 30, 12, 0, 0, 0, time.UTC), time.Time{}, true},
		{time.Date(1994, 12, 31, 0, 0, 0, 0, time.UTC), time.Time{}, false},
		{fixedNow.Add(23 * time.Hour), time.Time{}, true},
		{fixedNow.Add(49 * time.Hour), time.Time{}, false},
		{time.Date(2024, 5, 29, 20, 0, 0, 0, time.UTC), floor, true}, // time-zone slack
		{time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC), floor, false},
	} {
		if got := saneDate(tc.in, fixedNow, tc.floor); got != tc.want {
			t.Errorf("saneDate(%v, floor %v) = %v, want %v", tc.in, tc.floor, got, tc.want)
		}
	}
}

func TestDateFromURL(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  string
		exact bool
	}{
		{"https://example.org/2024/05/30/story", "2024-05-30", true},
		{"https://example.org/news/2024-05-30-story", "2024-05-30", true},
		{"https://example.org/a/20240530/story.html", "2024-05-30", true},
		{"https://example.org/2024/05/story", "2024-05-01", false},
		{"https://example.org/2024/02/31/story", "2024-02-01", false},
		{"https://example.org/news/story-5000001.html", "", false},
		{"", "", false},
	} {
		got, exact := dateFromURL(tc.in)
		s := ""
		if !got.IsZero() {
			s = got.Format("2006-01-02")
		}
		if s != tc.want || exact != tc.exact {
			t.Errorf("dateFromURL(%q) = %q %v, want %q %v", tc.in, s, exact, tc.want, tc.exact)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Das Bundesamt warnt vor einer Lücke, die Angreifer bereits ausnutzen und die sich nicht leicht schließen lässt.", "de"},
		{"The agency warned that attackers are already exploiting the flaw and that it is not easy to fix.", "en"},
		{"Le gouvernement a annoncé une nouvelle loi.", ""},
		{"", ""},
		{"CVE-2024-21887", ""},
	} {
		if got := DetectLanguage(tc.in); got != tc.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStripSiteSuffix(t *testing.T) {
	for _, tc := range []struct {
		title, site string
		h1          []string
		want        string
	}{
		{"Headline here | heise online", "heise online", nil, "Headline here"},
		{"Headline here - Golem.de", "", nil, "Headline here"},
		{"heise online - Headline here", "heise online", nil, "Headline here"},
		{"Clop - the gang behind MOVEit", "The Record", nil, "Clop - the gang behind MOVEit"},
		{"Mozilla - Wikipedia", "en.wikipedia.org", nil, "Mozilla"},
		{"Storm-0558: Bericht - Sicherheitsdienst Nachrichten", "example.org", []string{"Storm-0558: Bericht"}, "Storm-0558: Bericht"},
		{"On Recent Events - Bradley M. Kuhn ( Brad )", "", []string{"On Recent Events"}, "On Recent Events - Bradley M. Kuhn ( Brad )"},
		{"Evolve: History — evolve extension for Mercurial", "", []string{"Evolve: History"}, "Evolve: History — evolve extension for Mercurial"},
		{"Ein Titel – mit Gedankenstrich", "", []string{"Ein Titel – mit Gedankenstrich"}, "Ein Titel – mit Gedankenstrich"},
	} {
		if got := stripSiteSuffix(tc.title, tc.site, tc.h1); got != tc.want {
			t.Errorf("stripSiteSuffix(%q, %q) = %q, want %q", tc.title, tc.site, got, tc.want)
		}
	}
}

func TestJoinAuthors(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"Von Jana Beispiel"}, "Jana Beispiel"},
		{[]string{"By Alex Example and Sam Sample"}, "Alex Example, Sam Sample"},
		{[]string{"Jana Beispiel", "jana beispiel", "Max Muster"}, "Jana Beispiel, Max Muster"},
		{[]string{"Ein Bericht von Max Muster veröffentlicht am 12. Dezember 2021"}, "Max Muster"},
		{[]string{"https://example.org/autor/x"}, ""},
		{[]string{"12345"}, ""},
	} {
		if got := joinAuthors(tc.in); got != tc.want {
			t.Errorf("joinAuthors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestToUTF8(t *testing.T) {
	for _, tc := range []struct {
		name, ct string
		in       []byte
		want     string
	}{
		{"latin1 via content type", "text/html; charset=iso-8859-1", []byte("Gr\xfc\xdfe"), "Grüße"},
		{"windows-1252 via meta", "", []byte("<meta charset=\"windows-1252\"><p>\x93Zitat\x94 \x80"), `<meta charset="windows-1252"><p>“Zitat” €`},
		{"undeclared latin1", "", []byte("<p>Stra\xdfe</p>"), "<p>Straße</p>"},
		{"utf-8 despite meta", "", []byte(`<meta charset="iso-8859-1"><p>Straße</p>`), `<meta charset="iso-8859-1"><p>Straße</p>`},
		{"utf-8 bom", "", []byte("\xef\xbb\xbf<p>ä</p>"), "<p>ä</p>"},
		{"utf-16le bom", "", []byte("\xff\xfe<\x00p\x00>\x00\xe4\x00"), "<p>ä"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(toUTF8(tc.in, tc.ct)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

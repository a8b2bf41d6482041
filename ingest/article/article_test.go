package article

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/ingest/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixedNow pins the clock of the date sanity checks so that goldens do not age.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	now = func() time.Time { return fixedNow }
	os.Exit(m.Run())
}

// pageCase describes what must hold for one fixture, besides its golden file.
type pageCase struct {
	file, url, contentType string
	title, byline, site    string
	lang, published        string // published as YYYY-MM-DD
	canonical              string
	with, without          []string
}

var pageCases = []pageCase{
	{
		file: "heise-exchange.html", url: "https://www.heise.de/news/Exchange-Luecken-BSI-ruft-IT-Bedrohungslage-Rot-aus-5000001.html",
		title: "Exchange-Lücken: BSI ruft IT-Bedrohungslage Rot aus", byline: "Jana Beispiel", site: "heise online",
		lang: "de", published: "2021-03-05", canonical: "https://www.heise.de/news/Exchange-Luecken-BSI-ruft-IT-Bedrohungslage-Rot-aus-5000001.html",
		with:    []string{"IT-Bedrohungslage Rot", "CVE-2021-26855", "Webshells als Hintertür"},
		without: []string{"Cookies", "Zeit für die Cloud", "Impressum", "Mehr zum Thema"},
	},
	{
		file: "golem-log4shell.html", url: "https://www.golem.de/news/log4j-bsi-warnt-mit-warnstufe-rot-vor-log4shell-2112-161862.html",
		title: "Log4j: BSI warnt mit Warnstufe Rot vor Log4Shell", byline: "Max Muster", site: "golem.de",
		lang: "de", published: "2021-12-12",
		with:    []string{"CVE-2021-44228", "Version 2.15.0"},
		without: []string{"Cookies", "Schon wieder Java", "Tweeten"},
	},
	{
		file: "tagesschau-crowdstrike.html", url: "https://www.tagesschau.de/wirtschaft/it-stoerung-crowdstrike-100.html",
		title: "Fehlerhaftes Update legt Millionen Rechner lahm", byline: "tagesschau.de", site: "tagesschau.de",
		lang: "de", published: "2024-07-19",
		with:    []string{"8,5 Millionen Windows-Geräte", "George Kurtz", "Mühsame Reparatur von Hand"},
		without: []string{"Cookies", "Teilen auf Facebook", "Angebot der ARD"},
	},
	{
		file: "therecord-moveit.html", url: "https://therecord.media/clop-moveit-transfer-exploitation-microsoft",
		title: "Clop gang behind mass exploitation of MOVEit Transfer bug, Microsoft says", byline: "Alex Example",
		site: "The Record from Recorded Future News", lang: "en", published: "2023-06-05",
		canonical: "https://therecord.media/clop-moveit-transfer-exploitation-microsoft",
		with:      []string{"CVE-2023-34362", "Lace Tempest", "known exploited vulnerabilities"},
		without:   []string{"Subscribe to", "Related", "Podcast"},
	},
	{
		file: "bleepingcomputer-ivanti.html", url: "https://www.bleepingcomputer.com/news/security/cisa-emergency-directive-ivanti-connect-secure-zero-days/",
		title: "CISA orders federal agencies to mitigate Ivanti Connect Secure zero-days", byline: "Sam Sample",
		site: "BleepingComputer", lang: "en", published: "2024-01-19",
		canonical: "https://www.bleepingcomputer.com/news/security/cisa-emergency-directive-ivanti-connect-secure-zero-days/",
		with:      []string{"Emergency Directive 24-01", "CVE-2024-21887", "Volexity"},
		without:   []string{"Virus Removal Guides", "Post a Comment", "Terms of Use"},
	},
	{
		file: "iso-8859-1-storm0558.html", url: "https://example.org/2024/04/03/storm-0558-bericht",
		title: "Storm-0558: Prüfbericht wirft Microsoft eine Kaskade von Fehlern vor", byline: "Erika Probe", site: "example.org",
		lang: "de", published: "2024-04-03",
		with:    []string{"Außenministerium", "gefälscht", "Kaskade von Sicherheitsmängeln"},
		without: []string{"Startseite", "Datenschutzerklärung"},
	},
	{
		file: "spiegel-lockbit.html", url: "https://www.spiegel.de/netzwelt/web/lockbit-ermittler-legen-ransomware-bande-lahm-a-0e5b0a1c-1111-4c2a-9d3e-000000000001",
		title: "Operation Cronos: Ermittler legen Ransomware-Bande Lockbit lahm", byline: "Lena Beispiel", site: "DER SPIEGEL",
		lang: "de", published: "2024-02-20",
		with:    []string{"National Crime Agency", "Polen und der Ukraine", "Bundeskriminalamt"},
		without: []string{"Bildunterschrift", "Mehr zum Thema", "Netzwelt-Newsletter", "Cookies", "Cybercrime"},
	},
	{
		file: "zeit-bsi-lagebericht.html", url: "https://www.zeit.de/digital/2023-11/bsi-lagebericht-cyberangriffe-ransomware",
		title: "BSI-Lagebericht: Bedrohung im Cyberraum so hoch wie nie", byline: "Jonas Probe", site: "ZEIT ONLINE",
		lang: "de", published: "2023-11-02",
		with:    []string{"Claudia Plattner", "Nancy Faeser", "Schwachstellen"},
		without: []string{"Lesen Sie auch", "Rathäuser", "Archivbild", "Newsletter"},
	},
	{
		file: "netzpolitik-chatkontrolle.html", url: "https://netzpolitik.org/2022/chatkontrolle-eu-kommission-will-anbieter-zum-scannen-verpflichten/",
		title: "Chatkontrolle: EU-Kommission will Anbieter zum Scannen privater Nachrichten verpflichten", byline: "Paul Platzhalter",
		site: "netzpolitik.org", lang: "de", published: "2022-05-11",
		with:    []string{"Ylva Johansson", "Ende-zu-Ende-Verschlüsselung", "Parlament und der Rat"},
		without: []string{"Symbolbild", "spendenfinanziertes", "Schlagwörter", "Kommentar eines Lesers"},
	},
	{
		file: "sueddeutsche-anhalt-bitterfeld.html", url: "https://www.sueddeutsche.de/politik/anhalt-bitterfeld-hackerangriff-katastrophenfall-1.5346000",
		title: "Anhalt-Bitterfeld: Landkreis ruft nach Hackerangriff Katastrophenfall aus", byline: "Ruth Beispiel, Magdeburg",
		site: "Süddeutsche Zeitung", lang: "de", published: "2021-07-09",
		with:    []string{"Katastrophenfall", "Sozial- und Unterhaltsleistungen", "nicht darauf einzugehen"},
		without: []string{"Wenn Erpresser", "Köthen", "SZ Espresso", "Cookies"},
	},
	{
		file: "faz-bundestag-hack.html", url: "https://www.faz.net/aktuell/politik/ausland/bundestag-hack-eu-verhaengt-sanktionen-gegen-russische-hacker-17015000.html",
		title: "Hackerangriff auf den Bundestag: EU verhängt Sanktionen gegen russische Hacker", byline: "Thomas Platzhalter, Brüssel",
		site: "FAZ.NET", lang: "de", published: "2020-10-22",
		with:    []string{"APT28", "Generalbundesanwalt", "eingefroren"},
		without: []string{"Mehr zum Thema", "Reichstagsgebäude", "F+ lesen"},
	},
	{
		file: "securityweek-citrix-bleed.html", url: "https://www.securityweek.com/citrix-urges-customers-to-patch-netscaler-flaw-exploited-as-zero-day/",
		title: "Citrix Urges Customers to Patch NetScaler Flaw Exploited as Zero-Day", byline: "Casey Example",
		site: "SecurityWeek", lang: "en", published: "2023-10-24",
		with:    []string{"CVE-2023-4966", "Mandiant", "Known Exploited Vulnerabilities"},
		without: []string{"Scroll to continue", "Share on", "Related Content", "is a contributor", "Privacy Policy"},
	},
	{
		file: "theregister-xz-backdoor.html", url: "https://www.theregister.com/2024/03/29/malicious_backdoor_xz/",
		title: "Backdoor found in widely used Linux utility xz", byline: "Robin Sample",
		site: "The Register", lang: "en", published: "2024-03-29",
		with:    []string{"CVE-2024-3094", "Andres Freund", "Fedora Rawhide"},
		without: []string{"ADVERTISEMENT", "Tech Resources", "More about", "About Us"},
	},
	{
		file: "arstechnica-sunburst.html", url: "https://arstechnica.com/information-technology/2020/12/solarwinds-hack-backdoored-updates-reach-thousands-of-networks/",
		title: "SolarWinds hack: Backdoored updates reach thousands of networks", byline: "Dana Placeholder",
		site: "Ars Technica", lang: "en", published: "2020-12-14",
		with:    []string{"18,000", "Sunburst", "emergency directive"},
		without: []string{"caption of a screenshot", "holiday buying guide", "senior security editor", "Read More", "Privacy Policy"},
	},
	{
		file: "krebsonsecurity-change-healthcare.html", url: "https://krebsonsecurity.com/2024/05/unitedhealth-confirms-22-million-ransom-payment/",
		title: "UnitedHealth Confirms $22 Million Ransom Payment", byline: "Kim Sample",
		site: "Krebs on Security", lang: "en", published: "2024-05-01",
		with:    []string{"$22 million", "ALPHV", "multi-factor authentication"},
		without: []string{"caption only", "Share this", "Bookmark the permalink", "reader comment"},
	},
	{
		file: "magazine-split-body.html", url: "https://magazine.example/story/equifax-breach-lessons/",
		title: "What the Equifax Breach Taught Credit Bureaus", byline: "Jordan Sample",
		site: "Example Magazine", lang: "en", published: "2020-02-12",
		with:    []string{"147 million", "People's Liberation Army", "federal privacy legislation"},
		without: []string{"security newsletter", "Related stories", "Privacy Policy"},
	},
	{
		file: "newspaper-dek.html", url: "https://journal.example/articles/colonial-pipeline-restarts-11620858000",
		title: "Colonial Pipeline Restarts Operations After Ransomware Attack", byline: "Alex Placeholder",
		site: "Example Journal", lang: "en", published: "2021-05-12",
		with:    []string{"5,500-mile", "DarkSide", "4.4 million dollars"},
		without: []string{"shut for six days", "Cookie Notice"},
	},
	{
		file: "broken-nis2.html", url: "https://magazin.example/it/nis2-frist",
		title: "NIS2: Frist für die Umsetzung läuft ab", site: "magazin.example", lang: "de", published: "2024-10-17",
		with:    []string{"17. Oktober 2024", "BSI-Gesetz", "nicht auf das Gesetz zu warten"},
		without: []string{"Impressum"},
	},
}

func TestParseHTMLFixtures(t *testing.T) {
	for _, tc := range pageCases {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := ParseHTML(context.Background(), bytes.NewReader(b), Options{URL: tc.url, ContentType: tc.contentType})
			if err != nil {
				t.Fatalf("ParseHTML: %v", err)
			}
			checkArticle(t, a, tc)
			checkGolden(t, tc.file, a)
		})
	}
}

func checkArticle(t *testing.T, a model.Article, tc pageCase) {
	t.Helper()
	if a.Title != tc.title {
		t.Errorf("title %q, want %q", a.Title, tc.title)
	}
	if a.Byline != tc.byline {
		t.Errorf("byline %q, want %q", a.Byline, tc.byline)
	}
	if a.Site != tc.site {
		t.Errorf("site %q, want %q", a.Site, tc.site)
	}
	if a.Language != tc.lang {
		t.Errorf("language %q, want %q", a.Language, tc.lang)
	}
	got := ""
	if !a.Published.IsZero() {
		got = a.Published.Format("2006-01-02")
	}
	if got != tc.published {
		t.Errorf("published %q, want %q", got, tc.published)
	}
	if tc.canonical != "" && a.URL != tc.canonical {
		t.Errorf("url %q, want %q", a.URL, tc.canonical)
	}
	for _, w := range tc.with {
		if !strings.Contains(a.Text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	for _, w := range tc.without {
		if strings.Contains(a.Text, w) {
			t.Errorf("text has boilerplate %q", w)
		}
	}
	if strings.Contains(a.Text, "\uFFFD") {
		t.Errorf("text has replacement characters: charset was not decoded")
	}
	if !strings.Contains(a.Text, "\n\n") {
		t.Errorf("text has no paragraph breaks")
	}
	if first, _, _ := strings.Cut(a.Text, "\n\n"); first == a.Title {
		t.Errorf("text starts with the headline")
	}
}

// checkGolden compares the article's JSON with testdata/<file>.golden.json.
func checkGolden(t *testing.T, file string, a model.Article) {
	t.Helper()
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", strings.TrimSuffix(file, filepath.Ext(file))+".golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file (run with -update to create): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update if intended):\n%s", path, got)
	}
}

func TestParseText(t *testing.T) {
	b, err := os.ReadFile("testdata/cra-text.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseText(context.Background(), bytes.NewReader(b), Options{URL: "https://news.example/2024/12/10/cra"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Cyber Resilience Act tritt in Kraft" {
		t.Errorf("title %q", a.Title)
	}
	if a.Language != "de" {
		t.Errorf("language %q", a.Language)
	}
	if got := a.Published.Format("2006-01-02"); got != "2024-12-10" {
		t.Errorf("published %s, want the date from the URL", got)
	}
	paras := strings.Split(a.Text, "\n\n")
	if len(paras) != 3 {
		t.Errorf("got %d paragraphs, want 3: %q", len(paras), a.Text)
	}
	if !strings.Contains(paras[1], "bereitstellen. Aktiv") || !strings.Contains(paras[1], "melden. Die meisten") {
		t.Errorf("soft-wrapped lines not joined: %q", paras[1])
	}
	checkGolden(t, "cra-text.txt", a)
}

func TestParseTextLinePerParagraph(t *testing.T) {
	a, err := ParseText(context.Background(), strings.NewReader("Headline\nFirst paragraph.\nSecond paragraph.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Headline" || a.Text != "First paragraph.\n\nSecond paragraph." {
		t.Errorf("got %q / %q", a.Title, a.Text)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		parse    func(context.Context, *strings.Reader) error
	}{
		{"empty html", "", func(ctx context.Context, r *strings.Reader) error { _, err := ParseHTML(ctx, r, Options{}); return err }},
		{"blank text", "\n \n", func(ctx context.Context, r *strings.Reader) error { _, err := ParseText(ctx, r, Options{}); return err }},
		{"html without body text", "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
			func(ctx context.Context, r *strings.Reader) error { _, err := ParseHTML(ctx, r, Options{}); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse(context.Background(), strings.NewReader(tc.in))
			if !errors.Is(err, ErrNoContent) {
				t.Errorf("err %v, want ErrNoContent", err)
			}
		})
	}
}

func TestParseSniffs(t *testing.T) {
	html, _ := os.ReadFile("testdata/golem-log4shell.html")
	text, _ := os.ReadFile("testdata/cra-text.txt")
	for _, tc := range []struct {
		name      string
		in        []byte
		opts      Options
		wantTitle string
	}{
		{"html by content", html, Options{}, "Log4j: BSI warnt mit Warnstufe Rot vor Log4Shell"},
		{"text by content", text, Options{}, "Cyber Resilience Act tritt in Kraft"},
		{"text by content type", html, Options{ContentType: "text/plain; charset=utf-8"}, "<!DOCTYPE html>"},
		{"html by file name", []byte("<p>" + strings.Repeat("Ein Satz über Sicherheit. ", 30) + "</p>"), Options{URL: "saved/page.html"}, ""},
		{"text by file name", []byte("<b>Titel</b>\nText"), Options{URL: "notes.txt"}, "<b>Titel</b>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(context.Background(), bytes.NewReader(tc.in), tc.opts)
			if err != nil && !errors.Is(err, ErrNoContent) {
				t.Fatal(err)
			}
			if a.Title != tc.wantTitle {
				t.Errorf("title %q, want %q", a.Title, tc.wantTitle)
			}
		})
	}
}

func TestSizeCap(t *testing.T) {
	body := strings.Repeat("<p>Die Behörde warnt vor einer kritischen Schwachstelle in einer weit verbreiteten Software. Betroffen sind viele Systeme.</p>\n", 40)
	page := "<html><head><title>Warnung vor Schwachstelle</title></head><body><article>" + body +
		strings.Repeat("<p>PADDING PADDING PADDING PADDING</p>\n", 5000) + "</article></body></html>"
	limit := int64(len(body) + 200)
	var logged bytes.Buffer
	a, err := ParseHTML(context.Background(), strings.NewReader(page), Options{MaxBytes: limit, Logger: newTestLogger(&logged)})
	if err != nil {
		t.Fatalf("over-size page must be parsed, got %v", err)
	}
	if !strings.Contains(a.Text, "kritischen Schwachstelle") {
		t.Errorf("text lost: %q", a.Text[:min(200, len(a.Text))])
	}
	if strings.Count(a.Text, "PADDING") > 30 {
		t.Errorf("input beyond the cap was parsed")
	}
	if !strings.Contains(logged.String(), "truncated") {
		t.Errorf("truncation not logged: %q", logged.String())
	}
}

func TestContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b, _ := os.ReadFile("testdata/heise-exchange.html")
	if _, err := ParseHTML(ctx, bytes.NewReader(b), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

package crawl

import (
	"context"
	"fmt"
	"html"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/archive"
	"github.com/newsgraph/newsgraph/ingest/extract"
	"github.com/newsgraph/newsgraph/ingest/fetch"
)

// story is a test article, written for these tests.
type story struct {
	slug, title, lang string
	paras             []string
}

var stories = []story{
	{"lockbit-cronos", "Operation Cronos takes down LockBit's leak site", "en", []string{
		"In February 2024 the National Crime Agency of the United Kingdom, working with the FBI and Europol, took control of the infrastructure of the LockBit ransomware group in an operation called Cronos.",
		"The agencies replaced the group's leak site with a seizure notice and later published decryption keys, and the United States charged two Russian nationals with deploying the ransomware against victims worldwide.",
		"Investigators said the group had extorted companies, hospitals and public bodies for years, and that the takedown gave victims a way to recover their files without paying.",
	}},
	{"crowdstrike-update", "Faulty CrowdStrike update crashes Windows machines", "en", []string{
		"On 19 July 2024 a faulty content update for the CrowdStrike Falcon sensor caused about 8.5 million Windows computers to crash with a blue screen, according to Microsoft.",
		"Airlines, hospitals and broadcasters were hit; Delta Air Lines cancelled thousands of flights over several days and later sued CrowdStrike over its losses.",
		"CrowdStrike said the problem came from a channel file that the sensor could not read correctly, and that the incident was not a cyberattack.",
	}},
	{"moveit-cl0p", "Cl0p exploits MOVEit Transfer zero-day", "en", []string{
		"In late May 2023 the Cl0p extortion gang began exploiting a previously unknown SQL injection flaw, CVE-2023-34362, in Progress Software's MOVEit Transfer file-sharing product.",
		"CISA and the FBI published a joint advisory in June 2023 describing the gang's methods, and hundreds of organisations, among them government agencies and banks, reported stolen data.",
		"Progress released patches within days, but the attackers had already copied files from many servers before the vulnerability became public.",
	}},
	{"nis2-frist", "Deutschland verpasst die Frist für NIS2", "de", []string{
		"Die EU-Mitgliedstaaten sollten die NIS2-Richtlinie bis zum 17. Oktober 2024 in nationales Recht umsetzen, doch Deutschland hat die Frist verpasst.",
		"Das Bundesinnenministerium hatte einen Gesetzentwurf vorgelegt, der mehrere tausend Unternehmen zu mehr Cybersicherheit verpflichten sollte; nach dem Bruch der Ampel-Koalition kam er im Bundestag nicht mehr zur Abstimmung.",
		"Das BSI sollte nach dem Entwurf zusätzliche Aufsichtsbefugnisse erhalten, und betroffene Firmen hätten erhebliche Sicherheitsvorfälle melden müssen.",
	}},
}

// page renders a story as an HTML article page; canonical, when given,
// becomes its rel=canonical address.
func page(s story, canonical string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html><html lang=%q><head><meta charset=\"utf-8\"><title>%s</title>", s.lang, html.EscapeString(s.title))
	if canonical != "" {
		fmt.Fprintf(&b, "<link rel=\"canonical\" href=%q>", canonical)
	}
	b.WriteString(`<meta property="article:published_time" content="2024-10-18T09:00:00Z"></head><body><article>`)
	fmt.Fprintf(&b, "<h1>%s</h1>", html.EscapeString(s.title))
	for _, p := range s.paras {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(p))
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

// rss renders an RSS 2.0 feed of links.
func rss(title string, links ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://example.org/</link><description>test</description>`, title)
	for i, l := range links {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>%s</link><guid>%s</guid></item>", i, html.EscapeString(l), html.EscapeString(l))
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

var (
	extractorOnce sync.Once
	extractorVal  *extract.Extractor
)

func testPipeline(t testing.TB) *ingest.Pipeline {
	t.Helper()
	extractorOnce.Do(func() {
		entries, lists, err := extract.LoadGazetteer(data.Gazetteer(), ".")
		if err != nil {
			panic(err)
		}
		extractorVal = extract.New(extract.NewGazetteer(entries, lists), extract.Options{})
	})
	p, err := ingest.New(ingest.Options{Extractor: extractorVal, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type harness struct {
	t   testing.TB
	dir string
	reg *Registry
	c   *Crawler
	arc *archive.Writer
}

func newHarness(t testing.TB, clientOpts fetch.Options) *harness {
	t.Helper()
	dir := t.TempDir()
	reg, err := OpenRegistry(context.Background(), filepath.Join(dir, "feeds.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	arc, err := archive.Create(filepath.Join(dir, "archive"), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { arc.Close() })
	if clientOpts.Timeout == 0 {
		clientOpts.Timeout = 2 * time.Second
	}
	if clientOpts.BaseBackoff == 0 {
		clientOpts.BaseBackoff = 10 * time.Millisecond
	}
	c, err := New(Options{Client: fetch.New(clientOpts), Pipeline: testPipeline(t), Archive: arc, HostDelay: -1, HostConcurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, dir: dir, reg: reg, c: c, arc: arc}
}

// pass runs one pass over every feed and commits it.
func (h *harness) pass() *Pass {
	h.t.Helper()
	ctx := context.Background()
	snap, err := h.reg.Snapshot(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	p, err := h.c.Pass(ctx, snap, snap.Feeds)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.reg.Commit(ctx, p); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (p *Pass) result(t testing.TB, feedURL string) FeedResult {
	t.Helper()
	for _, r := range p.Feeds {
		if Key(r.Feed.URL) == Key(feedURL) {
			return r
		}
	}
	t.Fatalf("no result for feed %s", feedURL)
	return FeedResult{}
}

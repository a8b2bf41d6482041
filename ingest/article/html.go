package article

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// minBodyWords is the least text that counts as an article body.
const minBodyWords = 5

// now is the clock for date sanity checks; tests pin it.
var now = time.Now

// ParseHTML reads an HTML page into an Article: the main text found by
// go-trafilatura (paragraphs separated by blank lines) and the metadata from
// JSON-LD, OpenGraph, meta tags and the markup. A page without extractable
// text gives the metadata found and an error wrapping ErrNoContent.
func ParseHTML(ctx context.Context, r io.Reader, opts Options) (model.Article, error) {
	b, err := readCapped(ctx, r, opts)
	if err != nil {
		return model.Article{}, err
	}
	return parseHTMLBytes(ctx, b, opts)
}

func parseHTMLBytes(ctx context.Context, b []byte, opts Options) (a model.Article, err error) {
	// The extraction libraries walk arbitrary trees; a bug in them on some
	// odd page must cost that page, not the process.
	defer func() {
		if p := recover(); p != nil {
			a, err = model.Article{}, fmt.Errorf("article: parse %q: internal error: %v", opts.URL, p)
		}
	}()
	if len(bytes.TrimSpace(b)) == 0 {
		return model.Article{}, fmt.Errorf("article: empty page %q: %w", opts.URL, ErrNoContent)
	}
	root, err := html.Parse(bytes.NewReader(toUTF8(b, opts.ContentType)))
	if err != nil {
		return model.Article{}, fmt.Errorf("article: parse html: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return model.Article{}, err
	}
	return extract(ctx, root, opts)
}

func extract(ctx context.Context, root *html.Node, opts Options) (model.Article, error) {
	log := opts.logger()
	doc := goquery.NewDocumentFromNode(root)
	pm := readPageMeta(doc)

	var a model.Article
	a.URL = pm.pickURL(opts.URL)
	rules := opts.Rules
	if rules == nil {
		rules = BuiltinSiteRules()
	}
	rule := rules.For(firstNonEmpty(opts.URL, a.URL))
	if rule == nil && opts.URL != "" {
		rule = rules.For(a.URL)
	}
	ruled := applyRuleMeta(doc, rule, pm)

	a.Site = pm.pickSite(firstNonEmpty(opts.URL, a.URL))
	a.Title = pm.pickTitle(a.Site)
	// A site's title rule corrects the generic choice only where the two
	// disagree: the generic pick keeps a kicker the rule's element may lack.
	if ruled.title != "" && !agreesWithAny(a.Title, []string{ruled.title}) {
		a.Title = ruled.title
	}
	a.Description = pm.pickDescription()
	a.Language = pm.pickLanguage()

	urlDate, urlExact := dateFromURL(opts.URL)
	if urlDate.IsZero() {
		urlDate, urlExact = dateFromURL(a.URL)
	}
	a.Published, a.Modified = pm.pickDates(now(), urlDate, urlExact)

	// The site's remove rules apply to every text candidate.
	if rule != nil {
		for _, sel := range rule.Remove {
			doc.FindMatcher(sel.matcher).Remove()
		}
	}
	ruleText := ruleBody(doc, rule)

	tOpts := trafilatura.Options{
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled, // dates come from pickDates, and htmldate only below when needed
		Focus:           trafilatura.Balanced,
	}
	if u, err := url.Parse(a.URL); err == nil && u.IsAbs() {
		tOpts.OriginalURL = u
	}
	if pruneAfterText(root, maxExtractText) {
		log.DebugContext(ctx, "article: page text cut for the extractor", "url", opts.URL, "max_runes", maxExtractText)
	}
	res, terr := trafilatura.ExtractDocument(root, tOpts)
	if err := ctx.Err(); err != nil {
		return model.Article{}, err
	}
	var trafParas []para
	if terr == nil && res != nil {
		trafParas = renderParas(res.ContentNode, false)
		markLinkParas(trafParas, linkTexts(root))
		if a.Site == "" {
			a.Site = cleanText(res.Metadata.Sitename)
		}
	}
	if a.Title == "" && res != nil {
		a.Title = cleanText(res.Metadata.Title)
	}
	extracted := joinParas(cleanParas(trafParas))
	ldText := joinParas(cleanParas(textParas(cleanBody(pm.ld.str("articleBody")))))
	body := chooseBody(extracted, ldText, ruleText)
	// A second extractor is consulted only where trafilatura's text stands
	// alone: a site rule or an articleBody that agrees with it is evidence
	// enough, and the readability pass costs as much as trafilatura's.
	if body == extracted {
		readable := joinParas(cleanParas(readabilityParas(ctx, doc, tOpts.OriginalURL, log)))
		if preferReadable(extracted, readable) {
			log.DebugContext(ctx, "article: readability text preferred", "url", opts.URL, "extracted_runes", len(extracted), "readability_runes", len(readable))
			body = chooseBody(readable, ldText, ruleText)
		}
	}
	a.Text = dropLeadingFragments(dropLeadingTitle(dropLeadingFragments(dropLeadingTitle(body, a.Title)), a.Title))

	fallbackAuthor := ""
	if res != nil {
		fallbackAuthor = res.Metadata.Author
	}
	a.Byline = pm.pickByline(ruled.byline, fallbackAuthor)
	if a.Published.IsZero() {
		a.Published = htmlDateFallback(root, a.URL, urlDate)
	}
	if a.Language == "" {
		a.Language = DetectLanguage(a.Text)
	}
	// A few words are navigation or a caption the extractor fell back on, not an article.
	if len(strings.Fields(a.Text)) < minBodyWords {
		log.DebugContext(ctx, "article: no main text", "url", opts.URL, "trafilatura_error", terr)
		return a, fmt.Errorf("article: %q: %w", opts.URL, ErrNoContent)
	}
	return a, nil
}

// maxExtractText bounds the text handed to trafilatura, whose cost grows
// with the square of a page's text: 120,000 characters is twice the
// longest news article.
const maxExtractText = 120_000

// pruneAfterText removes everything that follows, in document order, the
// point where the page's visible text exceeds limit characters. It reports
// whether anything was cut.
func pruneAfterText(root *html.Node, limit int) bool {
	seen := 0
	var cut *html.Node
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			seen += len(n.Data)
			if seen > limit {
				cut = n
				return true
			}
		case html.ElementNode:
			if skipTags[n.Data] || n.Data == "head" {
				return false
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	if !walk(root) {
		return false
	}
	// Drop the cut node's later siblings, then those of each ancestor.
	for n := cut; n != nil && n.Parent != nil; n = n.Parent {
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			n.Parent.RemoveChild(s)
			s = next
		}
	}
	return true
}

// linkTexts collects the texts of the page's links of two words or more
// (normalised), so that paragraphs of extracted text that are a link in the
// page (teaser headlines, promo lines) can be recognised after trafilatura
// has dropped the link markup.
func linkTexts(root *html.Node) map[string]bool {
	out := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if len(out) >= 5000 {
			return
		}
		if n.Type == html.ElementNode && n.Data == "a" {
			t := renderText(n)
			if w := len(strings.Fields(t)); w >= 2 && w <= 30 {
				out[normKey(t)] = true
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

// markLinkParas sets linkShare to 1 for paragraphs that are a link's text.
func markLinkParas(ps []para, links map[string]bool) {
	if len(links) == 0 {
		return
	}
	for i := range ps {
		if ps[i].linkShare < 1 && links[normKey(ps[i].text)] {
			ps[i].linkShare = 1
		}
	}
}

// ruledMeta is what a site rule's title and byline selectors found.
type ruledMeta struct{ title, byline string }

// applyRuleMeta reads the headline, byline and date a site rule points at.
// The date joins the page's markup dates ahead of the generic ones; the
// title and byline are returned for the pickers to weigh.
func applyRuleMeta(doc *goquery.Document, rule *SiteRule, pm *pageMeta) ruledMeta {
	var m ruledMeta
	if rule == nil {
		return m
	}
	for _, sel := range rule.Title {
		if t := cleanText(doc.FindMatcher(sel.matcher).First().Text()); t != "" && utf8.RuneCountInString(t) < 400 {
			m.title = t
			break
		}
	}
	for _, sel := range rule.Byline {
		var names []string
		doc.FindMatcher(sel.matcher).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			if t := cleanText(s.Text()); t != "" {
				names = append(names, t)
			}
			return len(names) < 6
		})
		if b := joinAuthors(names); b != "" {
			m.byline = b
			break
		}
	}
	for _, sel := range rule.Date {
		var found []string
		doc.FindMatcher(sel.matcher).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			for _, attr := range []string{"datetime", "content"} {
				if v, ok := s.Attr(attr); ok && strings.TrimSpace(v) != "" {
					found = append(found, v)
					return false
				}
			}
			if t := cleanText(s.Text()); t != "" && len(t) < 80 {
				found = append(found, t)
				return false
			}
			return true
		})
		if len(found) > 0 {
			pm.times = append(found, pm.times...)
			break
		}
	}
	return m
}

// ruleBody renders the text a site rule's body selectors point at: the
// first selector that matches gives all its matches, outermost only.
func ruleBody(doc *goquery.Document, rule *SiteRule) string {
	if rule == nil {
		return ""
	}
	for _, sel := range rule.Body {
		found := doc.FindMatcher(sel.matcher)
		if found.Length() == 0 {
			continue
		}
		var ps []para
		found.Each(func(_ int, s *goquery.Selection) {
			// A match nested in an earlier match is already rendered.
			if s.ParentsMatcher(sel.matcher).Length() > 0 {
				return
			}
			for _, n := range s.Nodes {
				ps = append(ps, renderParas(n, true)...)
			}
		})
		if t := joinParas(cleanParas(ps)); len(strings.Fields(t)) >= minBodyWords {
			return t
		}
	}
	return ""
}

// htmlDateFallback asks go-htmldate (fast mode: markup and URL, no
// free-text scan) for a publication date the metadata did not give.
func htmlDateFallback(root *html.Node, pageURL string, floor time.Time) time.Time {
	t := now()
	res, err := htmldate.FromDocument(root, htmldate.Options{
		URL: pageURL, UseOriginalDate: true, SkipExtensiveSearch: true,
		MinDate: earliestDate, MaxDate: t.Add(24 * time.Hour),
	})
	if err != nil || res.IsZero() || !saneDate(res.DateTime, t, floor) {
		return time.Time{}
	}
	return res.DateTime
}

// cleanBody normalises a JSON-LD articleBody: entities unescaped, white space
// folded within lines, blank-line paragraph breaks kept.
func cleanBody(s string) string {
	if s == "" {
		return ""
	}
	// Some CMSs escape the markup once more inside JSON-LD.
	if strings.Contains(s, "&lt;") && looksLikeMarkup(html.UnescapeString(s)) {
		s = html.UnescapeString(s)
	}
	if looksLikeMarkup(s) {
		if n, err := html.Parse(strings.NewReader(s)); err == nil {
			return renderText(n)
		}
	}
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if p = cleanText(p); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

var markupTag = regexp.MustCompile(`</?(?:p|br|a|strong|em|b|i|span|div|h[1-6]|li|ul|ol|blockquote|figure|img)\b[^>]*>`)

// looksLikeMarkup reports whether an articleBody carries HTML tags, as some
// CMSs put the rendered body into JSON-LD.
func looksLikeMarkup(s string) bool {
	return markupTag.MatchString(s)
}

// chooseBody picks the article text from the candidates by evidence:
// trafilatura's extraction, the JSON-LD articleBody (the publisher's own
// statement of the body) and the text a site rule points at. A candidate
// is sane when it is long enough, has paragraphs, and its words agree with
// the other candidates; among sane ones the site rule wins (it was written
// for the page's markup), then the articleBody, then the extraction.
func chooseBody(extracted, ld, ruled string) string {
	if ruled != "" && saneAlternative(extracted, ruled, 0.5, 3, true) && (ld == "" || wordOverlap(ld, ruled) >= 0.6) {
		return ruled
	}
	if ld == "" {
		return extracted
	}
	if extracted == "" {
		if utf8.RuneCountInString(ld) >= 200 {
			return ld
		}
		return ""
	}
	if !strings.Contains(ld, "\n\n") || utf8.RuneCountInString(ld) < 500 || !saneAlternative(extracted, ld, 0.8, 3, false) {
		return extracted
	}
	return ld
}

// saneAlternative reports whether alt can replace base: its length is
// between lo and hi times base's, and most of base's words occur in it.
// With no base, any alt of some length will do. trimmed also accepts a
// shorter alt made of base's words: base with its boilerplate cut away.
func saneAlternative(base, alt string, lo, hi float64, trimmed bool) bool {
	la, lb := float64(utf8.RuneCountInString(alt)), float64(utf8.RuneCountInString(base))
	if lb == 0 {
		return len(strings.Fields(alt)) >= 40
	}
	if la < lb*lo || la > lb*hi {
		return false
	}
	return wordOverlap(base, alt) >= 0.8 || (trimmed && la < lb && wordOverlap(alt, base) >= 0.9)
}

// wordOverlap is the share of a's distinct words that also occur in b.
func wordOverlap(a, b string) float64 {
	inB := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(b)) {
		inB[strings.Trim(w, ".,;:!?\"'()“”„«»")] = true
	}
	seen := map[string]bool{}
	hit := 0
	for _, w := range strings.Fields(strings.ToLower(a)) {
		w = strings.Trim(w, ".,;:!?\"'()“”„«»")
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		if inB[w] {
			hit++
		}
	}
	if len(seen) == 0 {
		return 0
	}
	return float64(hit) / float64(len(seen))
}

// dropLeadingTitle removes the headline when the extractor repeated it as
// the first paragraph.
func dropLeadingTitle(text, title string) string {
	if title == "" || text == "" {
		return text
	}
	first, rest, _ := strings.Cut(text, "\n\n")
	if normKey(first) == normKey(title) {
		return strings.TrimLeft(rest, "\n")
	}
	return text
}

// dropLeadingFragments removes up to three short leading paragraphs without
// sentence punctuation ("veröffentlicht am", "Updated", "Share"): remnants
// of the byline and tool bars that the extractor kept above the body.
func dropLeadingFragments(text string) string {
	for i := 0; i < 3; i++ {
		first, rest, ok := strings.Cut(text, "\n\n")
		if !ok || len(strings.Fields(first)) > 4 || strings.ContainsAny(first, ".!?:") {
			return text
		}
		text = rest
	}
	return text
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

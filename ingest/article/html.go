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
	a.Site = pm.pickSite(firstNonEmpty(opts.URL, a.URL))
	a.Title = pm.pickTitle(a.Site)
	a.Description = pm.pickDescription()
	a.Language = pm.pickLanguage()

	urlDate, urlExact := dateFromURL(opts.URL)
	if urlDate.IsZero() {
		urlDate, urlExact = dateFromURL(a.URL)
	}
	a.Published, a.Modified = pm.pickDates(now(), urlDate, urlExact)

	tOpts := trafilatura.Options{
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled, // dates come from pickDates, and htmldate only below when needed
		Focus:           trafilatura.Balanced,
	}
	if u, err := url.Parse(a.URL); err == nil && u.IsAbs() {
		tOpts.OriginalURL = u
	}
	res, terr := trafilatura.ExtractDocument(root, tOpts)
	if err := ctx.Err(); err != nil {
		return model.Article{}, err
	}
	var trafText string
	if terr == nil && res != nil {
		trafText = renderText(res.ContentNode)
		if a.Site == "" {
			a.Site = cleanText(res.Metadata.Sitename)
		}
	}
	a.Text = chooseBody(trafText, cleanBody(pm.ld.str("articleBody")))
	a.Text = dropLeadingFragments(dropLeadingTitle(a.Text, a.Title))

	if a.Title == "" && res != nil {
		a.Title = cleanText(res.Metadata.Title)
	}
	fallbackAuthor := ""
	if res != nil {
		fallbackAuthor = res.Metadata.Author
	}
	a.Byline = pm.pickByline(fallbackAuthor)
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

// chooseBody returns trafilatura's text unless the JSON-LD articleBody is a
// sane alternative: it is then the publisher's own statement of the body,
// free of the boilerplate the extractor may have picked up. Sane means
// long enough, not much shorter than the extracted text, split into
// paragraphs, and mostly made of the same words.
func chooseBody(extracted, ld string) string {
	if ld == "" {
		return extracted
	}
	if extracted == "" {
		if utf8.RuneCountInString(ld) >= 200 {
			return ld
		}
		return ""
	}
	le, ll := utf8.RuneCountInString(extracted), utf8.RuneCountInString(ld)
	if ll < 500 || ll < le*8/10 || ll > le*3 || !strings.Contains(ld, "\n\n") {
		return extracted
	}
	if wordOverlap(extracted, ld) < 0.8 {
		return extracted
	}
	return ld
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

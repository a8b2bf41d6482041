package article

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// pageMeta is what the page says about itself, read once from the parsed
// document; each field is chosen from it by the pick* functions.
type pageMeta struct {
	meta    map[string][]string // lower-cased name/property/itemprop/http-equiv → contents, in page order
	ld      ldObject            // the JSON-LD object describing the article, nil if none
	ldAll   []ldObject
	title   string // <title>
	h1      []string
	lang    string // <html lang>
	canon   string // <link rel=canonical>
	times   []string
	authors []string // rel=author, itemprop=author and byline-class texts, in page order
}

func readPageMeta(doc *goquery.Document) *pageMeta {
	pm := &pageMeta{meta: map[string][]string{}}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			if v, ok2 := s.Attr("value"); ok2 {
				content = v
			} else if v, ok2 := s.Attr("datetime"); ok2 {
				content = v
			} else {
				return
			}
		}
		content = strings.TrimSpace(content)
		if content == "" {
			return
		}
		for _, attr := range []string{"name", "property", "itemprop", "http-equiv"} {
			if k, ok := s.Attr(attr); ok {
				for _, key := range strings.Fields(strings.ToLower(k)) {
					pm.meta[key] = append(pm.meta[key], content)
				}
			}
		}
	})
	pm.ldAll = ldNodes(doc)
	pm.ld = bestArticle(pm.ldAll)
	pm.title = cleanText(doc.Find("title").First().Text())
	doc.Find("h1").EachWithBreak(func(i int, s *goquery.Selection) bool {
		if t := cleanText(s.Text()); t != "" {
			pm.h1 = append(pm.h1, t)
		}
		return len(pm.h1) < 5
	})
	pm.lang, _ = doc.Find("html").First().Attr("lang")
	if pm.lang == "" {
		pm.lang, _ = doc.Find("html").First().Attr("xml:lang")
	}
	doc.Find(`link[rel]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		rel, _ := s.Attr("rel")
		if strings.EqualFold(strings.TrimSpace(rel), "canonical") {
			pm.canon, _ = s.Attr("href")
			return false
		}
		return true
	})
	// Dates in the markup: the article's own <time> elements first.
	doc.Find(`[itemprop="datePublished"], time[pubdate], article time[datetime], header time[datetime], time[datetime]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, a := range []string{"datetime", "content"} {
			if v, ok := s.Attr(a); ok && strings.TrimSpace(v) != "" {
				pm.times = append(pm.times, v)
				return len(pm.times) < 8
			}
		}
		if t := cleanText(s.Text()); t != "" && len(t) < 60 {
			pm.times = append(pm.times, t)
		}
		return len(pm.times) < 8
	})
	doc.Find(`[rel="author"], [itemprop="author"], .byline, .author, .author-name, .authors, .article-author, .byline__name, .autor, .author__name, [class*="byline"], [class*="Byline"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var t string
		if n := s.Find(`[itemprop="name"]`); n.Length() > 0 {
			var names []string
			n.Each(func(_ int, x *goquery.Selection) { names = append(names, cleanText(x.Text())) })
			t = strings.Join(names, ", ")
		} else if v, ok := s.Attr("content"); ok {
			t = v
		} else {
			t = cleanText(s.Text())
		}
		if t != "" {
			pm.authors = append(pm.authors, t)
		}
		return len(pm.authors) < 10
	})
	return pm
}

func (pm *pageMeta) first(keys ...string) string {
	for _, k := range keys {
		for _, v := range pm.meta[k] {
			if v = cleanText(v); v != "" {
				return v
			}
		}
	}
	return ""
}

var spaceRun = regexp.MustCompile(`\s+`)

// cleanText unescapes HTML entities (JSON-LD and some meta tags carry them
// double-escaped) and folds white space.
func cleanText(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = strings.Map(func(r rune) rune {
		if r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(spaceRun.ReplaceAllString(s, " "))
}

// --- headline ---

var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " // ", " » ", " « "}

// pickTitle chooses the headline. Structured sources come first (JSON-LD
// headline, then og:title and its kin), but only when the page's own <title>
// or an <h1> agrees with them: sites put section names or SEO variants into
// their structured data often enough that an unconfirmed value is a worse
// bet than the visible title. Site-name suffixes are stripped.
func (pm *pageMeta) pickTitle(site string) string {
	ld := cleanText(pm.ld.str("headline"))
	og := pm.first("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title", "headline")
	visible := append([]string{pm.title}, pm.h1...)
	if ld != "" && utf8.RuneCountInString(ld) < 400 && agreesWithAny(ld, visible) {
		return stripSiteSuffix(ld, site, pm.h1)
	}
	// A <title> whose headline part is exactly the <h1> beats an og:title
	// that is a shortened form of it (topline dropped).
	if pm.title != "" {
		if t := stripSiteSuffix(pm.title, site, pm.h1); sameKey(t, pm.h1) && og != "" && droppedKicker(t, og) {
			return t
		}
	}
	if og != "" && utf8.RuneCountInString(og) < 400 && agreesWithAny(og, visible) {
		return stripSiteSuffix(og, site, pm.h1)
	}
	if pm.title != "" {
		if t := stripSiteSuffix(pm.title, site, pm.h1); agreesWithAny(t, pm.h1) || (ld == "" && og == "") {
			return t
		}
	}
	for _, t := range []string{og, ld} {
		if t != "" && utf8.RuneCountInString(t) < 400 {
			return stripSiteSuffix(t, site, pm.h1)
		}
	}
	if pm.title != "" {
		return stripSiteSuffix(pm.title, site, pm.h1)
	}
	if len(pm.h1) > 0 {
		return pm.h1[0]
	}
	return cleanText(pm.ld.str("name"))
}

// droppedKicker reports whether short is long without a leading kicker
// ("Exchange-Lücken: Headline" → "Headline"): long ends with short and the
// part before it is at least two words or ends in a colon or dash. A mere
// article ("The Headline" vs "Headline") is a variant, not a kicker.
func droppedKicker(long, short string) bool {
	kl, ks := normKey(long), normKey(short)
	if ks == "" || kl == ks || !strings.HasSuffix(kl, ks) {
		return false
	}
	lw, sw := strings.Fields(long), strings.Fields(short)
	if len(lw) <= len(sw) {
		return false
	}
	prefix := lw[:len(lw)-len(sw)]
	last := prefix[len(prefix)-1]
	return len(prefix) >= 2 || strings.HasSuffix(last, ":") || last == "-" || last == "–"
}

func sameKey(t string, others []string) bool {
	k := normKey(t)
	for _, o := range others {
		if k != "" && normKey(o) == k {
			return true
		}
	}
	return false
}

// agreesWithAny reports whether t and one of others name the same headline:
// one contains the other, or most of the shorter one's words are shared.
func agreesWithAny(t string, others []string) bool {
	kt := normKey(t)
	if kt == "" {
		return false
	}
	wt := strings.Fields(strings.ToLower(t))
	for _, o := range others {
		ko := normKey(o)
		if ko == "" {
			continue
		}
		if strings.Contains(ko, kt) || (len(ko) >= 12 && strings.Contains(kt, ko)) {
			return true
		}
		wo := strings.Fields(strings.ToLower(o))
		if len(wt) < 3 || len(wo) < 3 {
			continue
		}
		set := map[string]bool{}
		for _, w := range wo {
			set[normKey(w)] = true
		}
		hit := 0
		for _, w := range wt {
			if set[normKey(w)] {
				hit++
			}
		}
		shorter := min(len(wt), len(wo))
		if float64(hit) >= 0.6*float64(shorter) {
			return true
		}
	}
	return false
}

// stripSiteSuffix removes a trailing (or leading) site name joined by a
// separator: "Headline | heise online" → "Headline". A segment is taken for
// the site name when it matches the known site or host, or when an <h1>
// equals the rest.
func stripSiteSuffix(t, site string, h1 []string) string {
	nt := normKey(t)
	for _, h := range h1 {
		if nh := normKey(h); nh != "" && nh == nt {
			return t
		}
	}
	for _, sep := range titleSeparators {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
		if head == "" {
			continue
		}
		// Only a segment identified as the site's name is cut: the rest of a
		// <title> ("Headline - Author Name") may be part of what the page
		// calls itself, and an <h1> equal to the head does not tell which.
		if isSiteName(tail, site) {
			return head
		}
		// A short proper name after a head that is the page's <h1>
		// ("Headline - Sicherheitsdienst Nachrichten") is the site's name
		// even when the page does not declare it.
		if sameKey(head, h1) && looksLikeName(tail) {
			return head
		}
		// Leading site name: "heise online - Headline".
		j := strings.Index(t, sep)
		if lead := strings.TrimSpace(t[:j]); normKey(lead) != "" && normKey(lead) == normKey(site) {
			return strings.TrimSpace(t[j+len(sep):])
		}
	}
	return t
}

// looksLikeName reports whether s is one to three capitalised words, the
// shape of a site's name rather than of a subtitle.
func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 3 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// hostLabels are the distinctive labels of a host name: "en.wikipedia.org"
// → "wikipedia"; "heise.de" → "heise".
func hostLabels(host string) []string {
	parts := strings.Split(strings.ToLower(host), ".")
	if len(parts) < 2 {
		return nil
	}
	var out []string
	for _, p := range parts[:len(parts)-1] {
		if len(p) >= 3 && p != "www" && p != "com" && p != "co" {
			out = append(out, p)
		}
	}
	return out
}

func isSiteName(seg, site string) bool {
	s := normKey(seg)
	if s == "" {
		return false
	}
	n := normKey(site)
	if n != "" && (s == n || (len(s) >= 2 && strings.HasPrefix(n, s)) || (strings.Contains(s, n) && len(s) <= len(n)+12)) {
		return true
	}
	if strings.Contains(site, ".") && !strings.Contains(site, " ") {
		for _, l := range hostLabels(site) {
			if normKey(l) == s {
				return true
			}
		}
	}
	// Host-like segments ("heise.de", "Golem.de") are site names too.
	return strings.Contains(seg, ".") && !strings.Contains(seg, " ") && len(seg) < 40
}

// normKey reduces a string to lower-case letters and digits for loose comparisons.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// --- byline ---

var bylinePrefix = regexp.MustCompile(`(?i)^(?:(?:ein\s+)?(?:beitrag|gastbeitrag|bericht|text|artikel|kommentar|analyse|interview|kolumne|test|report|story|column)\s+)?(?:von|by|par|por|written by|autor(?:in)?:?|author:?|posted by|story by|geschrieben von|reporting by)\s+`)

// pickByline prefers structured authors (JSON-LD, meta) over the markup.
// ruled, a byline a site rule found, comes after JSON-LD and before the
// meta tags.
func (pm *pageMeta) pickByline(ruled, fallback string) string {
	if names := ldNames(pm.ld["author"]); len(names) > 0 {
		// An author that is the publisher itself says less than a site
		// rule's byline element, which names the journalist.
		if b := joinAuthors(names); b != "" && !(ruled != "" && pm.isPublisher(b)) {
			return b
		}
	}
	if names := ldNames(pm.ld["creator"]); len(names) > 0 {
		if b := joinAuthors(names); b != "" {
			return b
		}
	}
	if ruled != "" {
		return ruled
	}
	for _, k := range []string{"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl", "cxenseparse:author", "twitter:creator"} {
		vals := pm.meta[k]
		var names []string
		for _, v := range vals {
			if !isURL(v) && !(k == "twitter:creator" && strings.HasPrefix(v, "@")) {
				names = append(names, v)
			}
		}
		if b := joinAuthors(names); b != "" {
			return b
		}
	}
	for _, a := range pm.authors {
		if b := joinAuthors([]string{a}); b != "" {
			return b
		}
	}
	return joinAuthors([]string{fallback})
}

// isPublisher reports whether name is the site's own name (og:site_name or
// the JSON-LD publisher).
func (pm *pageMeta) isPublisher(name string) bool {
	k := normKey(name)
	for _, s := range append(ldNames(pm.ld["publisher"]), pm.first("og:site_name")) {
		if k != "" && normKey(s) == k {
			return true
		}
	}
	return false
}

// joinAuthors cleans author names, drops duplicates and implausible ones,
// and joins them with ", ".
func joinAuthors(names []string) string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		for _, part := range splitAuthors(n) {
			part = cleanAuthor(part)
			k := normKey(part)
			if part == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, part)
		}
	}
	return strings.Join(out, ", ")
}

var authorSplit = regexp.MustCompile(`\s*(?:;|,?\s+(?:and|und|&)\s+|\s*\|\s*)\s*`)

func splitAuthors(s string) []string {
	s = cleanText(s)
	if s == "" {
		return nil
	}
	return authorSplit.Split(s, -1)
}

var authorTrailer = regexp.MustCompile(`(?i)\s*(?:[,|–-]\s*)?(?:\d{1,2}\.\d{1,2}\.\d{2,4}|updated|aktualisiert|published|veröffentlicht|am\s+\d).*$`)

func cleanAuthor(s string) string {
	s = cleanText(s)
	for {
		t := bylinePrefix.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	s = authorTrailer.ReplaceAllString(s, "")
	s = strings.Trim(s, " ,;:|-–—·()")
	if s == "" || isURL(s) || utf8.RuneCountInString(s) > 80 || strings.Count(s, " ") > 8 {
		return ""
	}
	// A byline has letters; "(ds)" style initials are fine, "123" is not.
	hasLetter := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			hasLetter = true
			break
		}
	}
	if !hasLetter {
		return ""
	}
	return s
}

// --- dates ---

// pickDates finds the publication and modification dates, most structured
// source first, keeping only sane ones. urlDate (from the path) bounds them
// from below and is the last resort for the published date.
func (pm *pageMeta) pickDates(now, urlDate time.Time, urlExact bool) (published, modified time.Time) {
	floor := time.Time{}
	if !urlDate.IsZero() {
		floor = urlDate
	}
	candidates := []string{pm.ld.str("datePublished")}
	for _, k := range []string{"article:published_time", "og:article:published_time", "og:published_time", "datepublished",
		"parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
		"date", "pubdate", "publishdate", "publish-date", "publish_date", "article.published", "article_date_original",
		"citation_publication_date", "citation_date", "og:pubdate", "release_date", "cxenseparse:recs:publishtime", "dc.date.created", "datecreated"} {
		candidates = append(candidates, pm.meta[k]...)
	}
	candidates = append(candidates, pm.ld.str("dateCreated"))
	candidates = append(candidates, pm.times...)
	for _, c := range candidates {
		if t, ok := parseDate(c); ok && saneDate(t, now, floor) {
			published = t
			break
		}
	}
	if published.IsZero() && urlExact {
		published = urlDate
	}
	mods := []string{pm.ld.str("dateModified")}
	for _, k := range []string{"article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified", "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "sailthru.lastmodified"} {
		mods = append(mods, pm.meta[k]...)
	}
	for _, c := range mods {
		if t, ok := parseDate(c); ok && saneDate(t, now, floor) && (published.IsZero() || !t.Before(published)) {
			modified = t
			break
		}
	}
	return published, modified
}

// --- site, language, URL ---

func (pm *pageMeta) pickSite(pageURL string) string {
	if s := pm.first("og:site_name"); s != "" {
		return s
	}
	if pub, ok := pm.ld["publisher"]; ok {
		if n := ldNames(pub); len(n) > 0 {
			return cleanText(n[0])
		}
	}
	if s := pm.first("application-name", "twitter:site", "publisher", "dc.publisher", "cxenseparse:site"); s != "" {
		return strings.TrimPrefix(s, "@")
	}
	return hostName(pageURL)
}

// hostName is the URL's host without "www." ("heise.de").
func hostName(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return ""
	}
	h := strings.ToLower(p.Hostname())
	for _, pre := range []string{"www.", "www2.", "m.", "amp."} {
		h = strings.TrimPrefix(h, pre)
	}
	return h
}

func (pm *pageMeta) pickLanguage() string {
	for _, l := range []string{pm.ld.str("inLanguage"), pm.lang, pm.first("og:locale"), pm.first("content-language", "language", "dc.language", "dcterms.language")} {
		if l = normLang(l); l != "" {
			return l
		}
	}
	return ""
}

// normLang turns "de-DE", "de_DE", "DE" into "de"; anything that is not a
// two- or three-letter code gives "".
func normLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_,; "); i >= 0 {
		l = l[:i]
	}
	if len(l) < 2 || len(l) > 3 {
		return ""
	}
	for _, r := range l {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return l
}

// pickURL returns the canonical absolute URL: rel=canonical, og:url, JSON-LD
// url, else the address the page was fetched from.
func (pm *pageMeta) pickURL(pageURL string) string {
	base, _ := url.Parse(strings.TrimSpace(pageURL))
	if base != nil && base.Scheme != "http" && base.Scheme != "https" {
		base = nil
	}
	cands := []string{pm.canon, pm.first("og:url"), pm.ld.str("url")}
	if me, ok := pm.ld["mainEntityOfPage"]; ok {
		cands = append(cands, ldStrings(me)...)
	}
	for _, c := range cands {
		if u := absURL(c, base); u != "" {
			return u
		}
	}
	if base != nil {
		base.Fragment = ""
		return base.String()
	}
	return ""
}

func absURL(s string, base *url.URL) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			if strings.HasPrefix(s, "//") {
				u.Scheme = "https"
			} else {
				return ""
			}
		} else {
			u = base.ResolveReference(u)
		}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

func (pm *pageMeta) pickDescription() string {
	for _, d := range []string{pm.ld.str("description"), pm.first("og:description", "description", "twitter:description", "dc.description", "dcterms.description")} {
		if d = cleanText(d); d != "" {
			return d
		}
	}
	return ""
}

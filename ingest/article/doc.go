// Package article turns one fetched page into a model.Article: the page's
// main text, with its paragraph breaks, and its metadata (headline,
// description, byline, publication and modification dates, site name,
// canonical URL and language).
//
// HTML pages are decoded to UTF-8 first (BOM, Content-Type, meta charset),
// parsed once, and that one tree serves both go-trafilatura, which finds the
// main text, and goquery, which reads the metadata from JSON-LD, OpenGraph,
// meta tags and the markup. Each field takes the most trustworthy source
// that gives a sane value, so a page with broken or missing structured data
// still yields what its markup says. Plain-text articles (first line the
// headline) are read by ParseText; Parse sniffs which of the two a page is.
//
// The body is chosen per page among candidates by evidence: trafilatura's
// text, the JSON-LD articleBody, and the element a per-site rule points at
// (SiteRules: goquery selectors for body, removals, title, byline and date,
// built in from data/sites and extendable with LoadSiteRules). Where
// trafilatura's text stands alone (no agreeing rule or articleBody), a
// readability pass gives a second opinion, preferred only when the two
// agree on the article and differ clearly in extent. The winner is
// then cleaned of furniture: ad labels, link-only promo lines, and the
// teasers, newsletter boxes and comments that follow many articles.
package article

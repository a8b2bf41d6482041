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
package article

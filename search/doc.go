// Package search is newsgraph's full-text index: it stores articles and the
// statements quoted in them in a Bleve (scorch) index and answers query-string
// searches with filters, highlighted snippets and facets.
//
// # Documents
//
// Put writes one Bleve document per article (id = model.Article.ID()) and one
// per statement (id = model.Statement.ID(articleID), field kind = "statement").
// Re-putting an article replaces it and deletes the statement documents it no
// longer has; DeleteArticles removes articles together with their statements.
// Writes go through Bleve batches of Options.BatchSize documents, because
// single-document writes are an order of magnitude slower.
//
// # Languages
//
// Bleve picks the analyser of a field from the mapping alone, so a field name
// shared by German and English documents could only have one analyser at query
// time. The index therefore keeps per-language fields: title_de, body_de,
// description_de and text_de (statements) use Bleve's "de" analyser (German
// light stemming and umlaut folding), the *_en fields use "en" (Porter
// stemming), and the *_std fields the "standard" analyser for every other
// language. Queries are rewritten to match: a bare term or phrase searches
// title, description, body and text in all three languages, each analysed like
// the field it hits, and the user-facing field names title:, body:,
// description: and text: fan out the same way. site: searches the outlet name
// as words (site:heise finds "heise online"); every other field is searched
// as-is.
//
// # Fields
//
//	kind           keyword  "article" or "statement"
//	title          stored   headline (of the statement's article for statements)
//	url, site      keyword  stored; site keeps its case for facets
//	site_key       keyword  lower-cased site, for exact case-insensitive filters
//	site_text      text     site as words, for site: in query strings
//	language       keyword  lower-cased ISO 639-1 code
//	published      datetime for ranges, sorting and published:>"2024-07-01"
//	published_text stored   the RFC 3339 date as the article gave it
//	month          keyword  "2024-07", for the months facet
//	entity         keyword  entity ids the article mentions (statements: speaker and about)
//	entity_type    keyword  the types of those entities
//	speaker, about keyword  statements only: entity ids
//	article_id     keyword  statements only: the article's id
//
// Every index records MappingVersion; Open refuses an index built with another
// version (ErrMappingVersion) instead of silently mixing analysers.
//
// # Snippets
//
// Hits carry highlighted fragments of the fields that matched. Request.Highlight
// chooses the markers: "plain" (the default) wraps matched words in «» so that
// they stand out on a terminal and in JSON without escape codes, "ansi" uses
// terminal colours, "html" wraps them in <mark></mark> (HTML-escaped text), and
// "none" skips highlighting. Hits without highlighted text fall back to the
// article's description.
//
// # Filters and facets
//
// Request filters (dates, sites, languages, entities, entity types, kind) are a
// non-scoring conjunction with the query; a date range excludes undated
// documents. Statement documents carry their article's site, language, date,
// URL and title, so the same filters apply to them, and their entity fields
// hold the speaker and the about ids. An empty query lists the newest first.
// Facets are term facets on site, entity_type, month and language (up to 20
// terms each, most frequent first); months are the 24 most frequent, returned
// in chronological order.
//
// # Locking
//
// A scorch index can be open in one process only (bolt file lock). Open waits
// at most Options.LockTimeout (default 2s) and then fails with ErrLocked rather
// than hanging.
package search

package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion names the index layout. Bump it whenever NewMapping or the
// document fields change; Open refuses indexes with another version.
const MappingVersion = "1"

// Document kinds (field kind, Request.Kind).
const (
	KindArticle   = "article"
	KindStatement = "statement"
	KindAll       = "all"
)

// Field names shared by the mapping, Put and Search.
const (
	fieldKind          = "kind"
	fieldTitle         = "title" // stored only, for display
	fieldURL           = "url"
	fieldSite          = "site"
	fieldSiteKey       = "site_key"
	fieldSiteText      = "site_text"
	fieldLanguage      = "language"
	fieldPublished     = "published"
	fieldPublishedText = "published_text"
	fieldMonth         = "month"
	fieldEntity        = "entity"
	fieldEntityType    = "entity_type"
	fieldSpeaker       = "speaker"
	fieldAbout         = "about"
	fieldArticleID     = "article_id"
)

// textBases are the user-facing names of the language-analysed fields; each
// exists once per language suffix.
var textBases = []string{"title", "description", "body", "text"}

// langSuffixes maps an index language suffix to its Bleve analyser.
var langSuffixes = []struct{ suffix, analyzer string }{
	{"de", de.AnalyzerName},
	{"en", en.AnalyzerName},
	{"std", standard.Name},
}

// langSuffix returns the field suffix for an article language code
// ("de", "de-DE" → "de"; unknown → "std").
func langSuffix(lang string) string {
	l := normLanguage(lang)
	switch l {
	case "de", "en":
		return l
	}
	return "std"
}

// normLanguage lower-cases a language code and drops its region.
func normLanguage(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}

// langField names the language variant of a text field, e.g. body_de.
func langField(base, suffix string) string { return base + "_" + suffix }

// NewMapping returns the index mapping described in the package documentation.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	keywordField := func(store, docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = store
		f.DocValues = docValues
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		return f
	}
	storedOnly := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}

	doc := mapping.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) { doc.AddFieldMappingsAt(name, f) }

	add(fieldKind, keywordField(true, false))
	add(fieldTitle, storedOnly())
	add(fieldURL, keywordField(true, false))
	add(fieldSite, keywordField(true, true))
	add(fieldSiteKey, keywordField(false, false))
	siteText := mapping.NewTextFieldMapping()
	siteText.Analyzer = standard.Name
	siteText.Store = false
	siteText.IncludeTermVectors = false
	siteText.IncludeInAll = false
	siteText.DocValues = false
	add(fieldSiteText, siteText)
	add(fieldLanguage, keywordField(true, true))
	published := mapping.NewDateTimeFieldMapping()
	published.Store = false
	published.DocValues = true // sorting by date
	published.IncludeInAll = false
	add(fieldPublished, published)
	add(fieldPublishedText, storedOnly())
	add(fieldMonth, keywordField(false, true))
	add(fieldEntity, keywordField(false, false))
	add(fieldEntityType, keywordField(false, true))
	add(fieldSpeaker, keywordField(true, false))
	add(fieldAbout, keywordField(true, false))
	add(fieldArticleID, keywordField(true, false))

	for _, base := range textBases {
		for _, l := range langSuffixes {
			f := mapping.NewTextFieldMapping()
			f.Analyzer = l.analyzer
			f.Store = true              // highlighting reads the stored text
			f.IncludeTermVectors = true // and the term positions
			f.IncludeInAll = false      // bare queries are rewritten to these fields instead of _all
			f.DocValues = false
			add(langField(base, l.suffix), f)
		}
	}

	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = standard.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}

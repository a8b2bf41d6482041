package search

import (
	"fmt"
	"reflect"
	"regexp/syntax"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	vellumregexp "github.com/blevesearch/vellum/regexp"
)

// titleBoost weights a match in a headline above one in the body.
const titleBoost = 2.0

// defaultTextBases are the fields a query term without a field prefix searches.
var defaultTextBases = []string{"title", "description", "body", "text"}

// ParseQuery parses a Bleve query-string and rewrites it for this index's
// per-language fields (see the package documentation). An empty string
// matches all documents. Errors wrap ErrBadQuery.
func ParseQuery(s string) (query.Query, error) {
	if strings.TrimSpace(s) == "" {
		return query.NewMatchAllQuery(), nil
	}
	q, err := query.NewQueryStringQuery(s).Parse()
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %s", ErrBadQuery, s, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	q, err = rewrite(q)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrBadQuery, s, err)
	}
	if v, ok := q.(query.ValidatableQuery); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrBadQuery, s, err)
		}
	}
	return q, nil
}

// rewrite replaces every leaf aimed at a user-facing text field (or at no
// field) by a disjunction over the field's language variants.
func rewrite(q query.Query) (query.Query, error) {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&t.Must, &t.Should, &t.MustNot, &t.Filter} {
			if *sub == nil {
				continue
			}
			r, err := rewrite(*sub)
			if err != nil {
				return nil, err
			}
			*sub = r
		}
		return t, nil
	case *query.ConjunctionQuery:
		for i, c := range t.Conjuncts {
			r, err := rewrite(c)
			if err != nil {
				return nil, err
			}
			t.Conjuncts[i] = r
		}
		return t, nil
	case *query.DisjunctionQuery:
		for i, c := range t.Disjuncts {
			r, err := rewrite(c)
			if err != nil {
				return nil, err
			}
			t.Disjuncts[i] = r
		}
		return t, nil
	case *query.RegexpQuery:
		if err := checkRegexp(t.Regexp); err != nil {
			return nil, err
		}
	case *query.MatchQuery:
		if err := checkFuzziness(t.Fuzziness); err != nil {
			return nil, err
		}
	case *query.MatchPhraseQuery:
		if err := checkFuzziness(t.Fuzziness); err != nil {
			return nil, err
		}
	case *query.FuzzyQuery:
		if err := checkFuzziness(t.Fuzziness); err != nil {
			return nil, err
		}
	}
	fq, ok := q.(query.FieldableQuery)
	if !ok || !textLeaf(q) {
		return q, nil
	}
	field := fq.Field()
	// Keyword fields hold whole values ("agency:bsi", "law"), without term
	// positions: a quoted value must be an exact term, not a phrase.
	if keywordFields[field] {
		switch t := q.(type) {
		case *query.MatchPhraseQuery:
			tq := query.NewTermQuery(t.MatchPhrase)
			tq.SetField(field)
			return tq, nil
		case *query.MatchQuery:
			tq := query.NewTermQuery(t.Match)
			tq.SetField(field)
			return tq, nil
		}
		return q, nil
	}
	var bases []string
	switch {
	case field == "" || field == "_all":
		bases = defaultTextBases
	case field == fieldSite:
		lowerPattern(fq)
		fq.SetField(fieldSiteText)
		return fq, nil
	case isTextBase(field):
		bases = []string{field}
	default:
		return q, nil
	}
	lowerPattern(fq)
	var clauses []query.Query
	for _, base := range bases {
		for _, l := range langSuffixes {
			c := cloneQuery(fq)
			c.SetField(langField(base, l.suffix))
			if base == "title" {
				if b, ok := c.(query.BoostableQuery); ok {
					b.SetBoost(b.Boost() * titleBoost)
				}
			}
			clauses = append(clauses, c)
		}
	}
	// The query-string form of a boolean skips sub-queries that analyse to
	// nothing (stop words), like Bleve does for the original leaf.
	return query.NewBooleanQueryForQueryString(nil, clauses, nil), nil
}

// checkRegexp rejects patterns that Bleve's automaton (vellum) cannot run,
// such as anchors, which it would otherwise report only at search time.
func checkRegexp(pattern string) error {
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err == nil {
		_, err = vellumregexp.NewParsedWithLimit(pattern, parsed, vellumregexp.DefaultLimit)
	}
	if err != nil {
		return fmt.Errorf("regular expression /%s/: %v", pattern, err)
	}
	return nil
}

// checkFuzziness rejects edit distances Bleve would refuse at search time.
func checkFuzziness(n int) error {
	if n > searcher.MaxFuzziness {
		return fmt.Errorf("fuzziness %d exceeds the maximum of %d", n, searcher.MaxFuzziness)
	}
	return nil
}

// textLeaf reports whether q is a leaf that searches text terms, as opposed
// to numeric or date ranges, which only make sense on their own fields.
func textLeaf(q query.Query) bool {
	switch q.(type) {
	case *query.MatchQuery, *query.MatchPhraseQuery, *query.RegexpQuery, *query.TermQuery,
		*query.FuzzyQuery, *query.WildcardQuery, *query.PrefixQuery:
		return true
	}
	return false
}

// lowerPattern lower-cases unanalysed patterns aimed at analysed text, whose
// terms are all lower-case.
func lowerPattern(q query.Query) {
	switch t := q.(type) {
	case *query.WildcardQuery:
		t.Wildcard = strings.ToLower(t.Wildcard)
	case *query.PrefixQuery:
		t.Prefix = strings.ToLower(t.Prefix)
	}
}

func isTextBase(f string) bool {
	for _, b := range textBases {
		if b == f {
			return true
		}
	}
	return false
}

// cloneQuery returns a shallow copy of a pointer-to-struct query, so that one
// parsed leaf can be aimed at several fields.
func cloneQuery(q query.FieldableQuery) query.FieldableQuery {
	v := reflect.ValueOf(q).Elem()
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	return c.Interface().(query.FieldableQuery)
}

// keywordFields are indexed as single, exact terms.
var keywordFields = map[string]bool{fieldKind: true, fieldURL: true, fieldLanguage: true, fieldMonth: true,
	fieldEntity: true, fieldEntityType: true, fieldSpeaker: true, fieldAbout: true, fieldArticleID: true, fieldSiteKey: true}

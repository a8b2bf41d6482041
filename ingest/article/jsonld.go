package article

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// articleTypes are the schema.org types whose JSON-LD describes a news
// article, in any prefix form ("NewsArticle", "schema:NewsArticle").
var articleTypes = map[string]int{
	"newsarticle": 3, "reportagenewsarticle": 3, "analysisnewsarticle": 3, "opinionnewsarticle": 3,
	"backgroundnewsarticle": 3, "reviewnewsarticle": 3, "askpublicnewsarticle": 3,
	"article": 2, "blogposting": 2, "techarticle": 2, "scholarlyarticle": 2, "liveblogposting": 2,
	"report": 1, "socialmediaposting": 1, "posting": 1, "creativework": 1,
	"webpage": 0, "itempage": 0,
}

// ldObject is one JSON-LD node.
type ldObject map[string]any

// ldNodes returns every JSON-LD object on the page: the top-level ones,
// those inside @graph arrays, and nested mainEntity objects.
func ldNodes(doc *goquery.Document) []ldObject {
	var out []ldObject
	doc.Find(`script[type="application/ld+json"], script[type="application/ld+json; charset=utf-8"]`).Each(func(_ int, s *goquery.Selection) {
		// Wrappers such as <!-- -->, CDATA sections and trailing semicolons
		// are common: the JSON is what lies between the outer brackets.
		raw := strings.NewReplacer("<![CDATA[", "", "]]>", "").Replace(s.Text())
		i := strings.IndexAny(raw, "{[")
		j := strings.LastIndexAny(raw, "}]")
		if i < 0 || j < i {
			return
		}
		raw = raw[i : j+1]
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			// Raw line breaks inside strings are the usual defect.
			fixed := strings.Map(func(r rune) rune {
				if r == '\n' || r == '\r' || r == '\t' {
					return ' '
				}
				return r
			}, raw)
			if err := json.Unmarshal([]byte(fixed), &v); err != nil {
				return // broken JSON-LD is common; the other sources remain
			}
		}
		walkLD(v, &out, 0)
	})
	return out
}

func walkLD(v any, out *[]ldObject, depth int) {
	if depth > 6 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkLD(e, out, depth+1)
		}
	case map[string]any:
		*out = append(*out, ldObject(x))
		if g, ok := x["@graph"]; ok {
			walkLD(g, out, depth+1)
		}
		if m, ok := x["mainEntity"]; ok {
			walkLD(m, out, depth+1)
		}
	}
}

// typeRank is how article-like the object's @type is; -1 when not at all.
func (o ldObject) typeRank() int {
	best := -1
	for _, t := range ldStrings(o["@type"]) {
		t = strings.ToLower(t)
		if i := strings.LastIndexAny(t, ":/"); i >= 0 {
			t = t[i+1:]
		}
		if r, ok := articleTypes[t]; ok && r > best {
			best = r
		}
	}
	return best
}

// bestArticle picks the JSON-LD object that describes the page's article:
// the most article-like type, preferring one with a headline and a body.
func bestArticle(nodes []ldObject) ldObject {
	var best ldObject
	bestScore := -1
	for _, o := range nodes {
		r := o.typeRank()
		if r < 0 {
			continue
		}
		score := r * 10
		if o.str("headline") != "" {
			score += 4
		}
		if o.str("datePublished") != "" {
			score += 2
		}
		if o.str("articleBody") != "" {
			score++
		}
		if score > bestScore {
			best, bestScore = o, score
		}
	}
	return best
}

// str returns a string field; for objects it takes their name or @id,
// for arrays the first string.
func (o ldObject) str(key string) string {
	if o == nil {
		return ""
	}
	ss := ldStrings(o[key])
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

// ldStrings flattens a JSON-LD value into strings: a string is itself, an
// object contributes its name (or @value, or @id), an array each element.
func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return []string{s}
		}
	case float64:
		return []string{strconv.FormatFloat(x, 'f', -1, 64)}
	case map[string]any:
		for _, k := range []string{"name", "@value", "@id", "url"} {
			if s := ldStrings(x[k]); len(s) > 0 {
				return s[:1]
			}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ldStrings(e)...)
		}
		return out
	}
	return nil
}

// ldNames returns the names of persons or organisations in a field such as
// author: strings, objects with a name, or arrays of those. Bare URLs (an
// author given only as a profile link) are left out.
func ldNames(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case map[string]any:
		if n := ldStrings(x["name"]); len(n) > 0 {
			out = append(out, n[0])
		} else if gn, fn := ldStrings(x["givenName"]), ldStrings(x["familyName"]); len(gn)+len(fn) > 0 {
			out = append(out, strings.TrimSpace(strings.Join(append(gn, fn...), " ")))
		}
	case []any:
		for _, e := range x {
			out = append(out, ldNames(e)...)
		}
	}
	keep := out[:0]
	for _, n := range out {
		if n = strings.TrimSpace(n); n != "" && !isURL(n) {
			keep = append(keep, n)
		}
	}
	return keep
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//")
}

package extract

import (
	"strings"
	"unicode"
)

// matcher finds gazetteer aliases in token streams. Aliases are stored as
// sequences of word stems in a trie, so that German inflection ("des
// BSI-Gesetzes", "Microsofts", "dem Europäischen Parlament") and English
// plurals match their base form; hyphens are ignored, so that
// "Microsoft-Cloud" and "Microsoft Cloud" are alike.
type matcher struct {
	root *trieNode
}

type trieNode struct {
	next map[string]*trieNode
	ends []aliasEnd
}

type aliasEnd struct {
	id    string
	words []string // the alias's words as written, for case checks
}

func newMatcher() *matcher { return &matcher{root: &trieNode{}} }

// stem strips one German or English inflectional ending from a normalised
// word, for words long enough that the rest is still distinctive.
func stem(w string) string {
	if len(w) < 5 {
		return w
	}
	for _, suf := range [...]string{"es", "en", "er", "em", "s", "n", "e"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// matchWords are the tokens that take part in matching: words, and
// punctuation other than hyphens and apostrophes.
func matchWords(toks []token) []int {
	idx := make([]int, 0, len(toks))
	for i, t := range toks {
		if !t.Word && (t.Text == "-" || t.Text == "‑" || t.Text == "'" || t.Text == "’") {
			continue
		}
		idx = append(idx, i)
	}
	return idx
}

func (m *matcher) add(id, alias string) {
	toks := tokenize(alias)
	var words []string
	n := m.root
	for _, ti := range matchWords(toks) {
		t := toks[ti]
		key := stem(t.Norm)
		if n.next == nil {
			n.next = map[string]*trieNode{}
		}
		c := n.next[key]
		if c == nil {
			c = &trieNode{}
			n.next[key] = c
		}
		n = c
		words = append(words, t.Text)
	}
	if len(words) == 0 {
		return
	}
	for _, e := range n.ends {
		if e.id == id {
			return
		}
	}
	n.ends = append(n.ends, aliasEnd{id: id, words: words})
}

// match is one alias found in a sentence, as a range of token indexes.
type match struct {
	id         string
	start, end int // token indexes into the sentence's tokens, end exclusive
}

// find returns the longest non-overlapping alias matches, left to right.
func (m *matcher) find(toks []token) []match {
	idx := matchWords(toks)
	var out []match
	for i := 0; i < len(idx); {
		bestLen, bestID := 0, ""
		n := m.root
		for j := i; j < len(idx) && n != nil; j++ {
			t := toks[idx[j]]
			c := n.next[stem(t.Norm)]
			if c == nil && t.Word && len(t.Text) > 2 && strings.HasSuffix(t.Text, "s") && isAbbreviation(t.Text[:len(t.Text)-1]) {
				// "CISAs", "BSIs": a genitive s on an abbreviation.
				c = n.next[stem(normWord(t.Text[:len(t.Text)-1]))]
			}
			if c == nil {
				break
			}
			n = c
			for _, e := range n.ends {
				if caseFits(e.words, toks, idx[i:j+1]) && j-i+1 > bestLen {
					bestLen, bestID = j-i+1, e.id
					break
				}
			}
		}
		if bestLen > 0 {
			out = append(out, match{id: bestID, start: idx[i], end: idx[i+bestLen-1] + 1})
			i += bestLen
			continue
		}
		i++
	}
	return out
}

// caseFits checks the case rules: abbreviations (BSI, DHS) match only in
// their own case, and a one-word alias written with a capital matches only a
// capitalised word, so that "apple" or "signal" in running text do not.
func caseFits(words []string, toks []token, at []int) bool {
	if len(words) != len(at) {
		return true
	}
	for k, w := range words {
		t := toks[at[k]].Text
		if isAbbreviation(w) {
			if t != w && t != w+"s" {
				return false
			}
			continue
		}
		if len(words) == 1 {
			wr := []rune(w)
			tr := []rune(t)
			if len(wr) > 0 && len(tr) > 0 && unicode.IsUpper(wr[0]) && !unicode.IsUpper(tr[0]) {
				return false
			}
		}
	}
	return true
}

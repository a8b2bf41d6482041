package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// quotePairs maps each opening quotation mark to the marks that close it.
var quotePairs = map[rune]string{
	'„': "“”\"", '»': "«", '«': "»", '“': "”\"", '"': "\"“”", '‚': "‘’", '\'': "'",
}

// quoteSpan is the content of one quotation, as byte offsets into its sentence.
type quoteSpan struct{ start, end, open, close int }

// findQuotes lists the quotations of a sentence. Single quotes count only at
// word boundaries, so that apostrophes ("Microsoft's") are not taken for them.
func findQuotes(s string) []quoteSpan {
	var out []quoteSpan
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		closers, ok := quotePairs[r]
		if !ok || (r == '\'' || r == '‚') && i > 0 && !boundaryBefore(s, i) {
			i += w
			continue
		}
		j := i + w
		found := -1
		for j < len(s) {
			r2, w2 := utf8.DecodeRuneInString(s[j:])
			if strings.ContainsRune(closers, r2) && (r2 != '\'' || boundaryAfter(s, j+w2)) {
				found = j
				break
			}
			j += w2
		}
		if found < 0 {
			i += w
			continue
		}
		_, cw := utf8.DecodeRuneInString(s[found:])
		out = append(out, quoteSpan{start: i + w, end: found, open: i, close: found + cw})
		i = found + cw
	}
	return out
}

func boundaryBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// speechVerbs attribute a quotation to a speaker.
var speechVerbs = map[string]bool{
	"sagte": true, "sagt": true, "sagten": true, "sagen": true, "erklärte": true, "erklärt": true, "erklärten": true,
	"erläutert": true, "erläuterte": true, "betonte": true, "betont": true, "meinte": true, "meint": true, "so": true,
	"warnte": true, "warnt": true, "kritisierte": true, "kritisiert": true, "schreibt": true, "schrieb": true, "teilte": true,
	"lautet": true, "lautete": true, "hieß": true, "heißt": true, "ergänzte": true, "ergänzt": true, "fügte": true,
	"kommentierte": true, "bestätigte": true, "räumte": true, "forderte": true, "fordert": true, "mahnte": true,
	"unterstrich": true, "zitiert": true, "resümierte": true, "bilanzierte": true, "sprach": true, "twitterte": true,
	"said": true, "says": true, "told": true, "stated": true, "added": true, "explained": true, "wrote": true, "writes": true,
	"noted": true, "warned": true, "argued": true, "claimed": true, "commented": true, "according": true, "tweeted": true,
	"posted": true, "acknowledged": true, "confirmed": true, "insisted": true, "continued": true, "urged": true,
	"stressed": true, "emphasized": true, "emphasised": true, "explains": true, "adds": true, "notes": true, "argues": true,
}

var spokesWords = []string{"sprecher", "sprecherin", "spokesperson", "spokesman", "spokeswoman", "representative", "vertreter", "vertreterin", "pressestelle"}

var pronouns = map[string]bool{"er": true, "sie": true, "sein": true, "seine": true, "seinem": true, "seiner": true,
	"ihr": true, "ihre": true, "ihrem": true, "ihrer": true, "he": true, "she": true, "his": true, "her": true, "they": true}

// addressees mark the one spoken to, not the speaker ("gegenüber heise", "told The Record").
var addressees = map[string]bool{"gegenüber": true, "told": true, "to": true, "an": true, "tells": true}

func (d *doc) findStatements() []model.Statement {
	out := []model.Statement{}
	lastSpeaker := ""
	lastQuoted := -2
	for si, s := range d.sents {
		if s.Paragraph < 0 {
			continue // the headline quotes, it does not attribute
		}
		quotes := findQuotes(s.Text)
		if len(quotes) == 0 {
			continue
		}
		inQuote := func(tk token) bool {
			for _, q := range quotes {
				if tk.Start >= q.open && tk.End <= q.close {
					return true
				}
			}
			return false
		}
		outsideWords := 0
		verb := -1
		for i, tk := range s.Tokens {
			if tk.Word && !inQuote(tk) {
				outsideWords++
				if verb < 0 && speechVerbs[tk.Norm] {
					verb = i
				}
			}
		}
		continued := outsideWords == 0 && lastQuoted == si-1 && lastSpeaker != ""
		if verb < 0 && !continued {
			continue
		}
		speaker := lastSpeaker
		if !continued {
			speaker = d.speaker(si, verb, inQuote, lastSpeaker)
		}
		for _, q := range quotes {
			text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s.Text[q.start:q.end]), ",;"))
			if len(strings.Fields(text)) < 4 || !standsAlone(s.Text, q) {
				continue
			}
			st := model.Statement{Speaker: speaker, Text: text, About: d.about(si, q, speaker), Evidence: s.Text}
			out = append(out, st)
			lastQuoted = si
		}
		if speaker != "" {
			lastSpeaker = speaker
		}
	}
	return out
}

// standsAlone tells a quoted statement from quoted words inside a clause
// (a title, a term, scare quotes): a statement opens the sentence or follows
// a colon, a comma or a speech verb.
func standsAlone(s string, q quoteSpan) bool {
	before := strings.TrimRightFunc(s[:q.open], unicode.IsSpace)
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	if r == ':' || r == ',' || r == '(' || r == '–' || r == '—' {
		return true
	}
	words := strings.Fields(before)
	return speechVerbs[normWord(strings.Trim(words[len(words)-1], ".,;"))]
}

// speaker resolves who speaks in sentence si: a spokesperson's body, a named
// person, another named entity near the speech verb, or (for a pronoun) the
// previous speaker.
func (d *doc) speaker(si, verb int, inQuote func(token) bool, last string) string {
	s := d.sents[si]
	toks := s.Tokens
	var outside []mention
	for _, m := range d.ments[si] {
		if !inQuote(toks[m.start]) {
			p := prevWord(toks, m.start)
			if p >= 0 && addressees[toks[p].Norm] {
				continue
			}
			outside = append(outside, m)
		}
	}
	// "ein Sprecher des BSI", "BSI-Sprecher", "a CISA spokesperson".
	for i, tk := range toks {
		if !tk.Word || inQuote(tk) || !hasSpokesWord(tk.Norm) {
			continue
		}
		best, dist := "", 1<<30
		for _, m := range outside {
			if !speakerType(d.typeOf(m.id)) || d.typeOf(m.id) == model.Person {
				continue
			}
			dd := m.start - i
			if dd < 0 {
				dd = i - m.end + 1
			}
			if dd < dist && dd <= 4 {
				best, dist = m.id, dd
			}
		}
		if best != "" {
			return best
		}
		if last != "" {
			return last
		}
	}
	// A named person, else another entity, nearest to the speech verb.
	best, dist := "", 1<<30
	for _, want := range []bool{true, false} {
		for _, m := range outside {
			ty := d.typeOf(m.id)
			if (ty == model.Person) != want || !speakerType(ty) {
				continue
			}
			dd := abs(m.start - verb)
			if dd < dist && dd <= 8 {
				best, dist = m.id, dd
			}
		}
		if best != "" {
			return best
		}
	}
	for i := verb - 3; i <= verb+3 && i < len(toks); i++ {
		if i >= 0 && !inQuote(toks[i]) && pronouns[toks[i].Norm] {
			return last
		}
	}
	return ""
}

func hasSpokesWord(w string) bool {
	for _, sw := range spokesWords {
		if strings.HasSuffix(w, sw) {
			return true
		}
	}
	return false
}

func speakerType(t model.EntityType) bool {
	switch t {
	case model.Person, model.Agency, model.Vendor, model.Organization, model.ThreatActor, model.Outlet:
		return true
	}
	return false
}

// about lists the entities that a quotation names, else the others of its sentence.
func (d *doc) about(si int, q quoteSpan, speaker string) []string {
	toks := d.sents[si].Tokens
	var in, rest []string
	seen := map[string]bool{speaker: true}
	for _, m := range d.ments[si] {
		if seen[m.id] {
			continue
		}
		seen[m.id] = true
		if toks[m.start].Start >= q.start && toks[m.end-1].End <= q.end {
			in = append(in, m.id)
		} else {
			rest = append(rest, m.id)
		}
	}
	if len(in) > 0 {
		return in
	}
	if rest == nil {
		return []string{}
	}
	return rest
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

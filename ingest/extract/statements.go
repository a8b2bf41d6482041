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
	unclosed := map[rune]bool{} // openers with no closer left in s: stays true to the end
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		closers, ok := quotePairs[r]
		if !ok || unclosed[r] || (r == '\'' || r == '‚') && i > 0 && !boundaryBefore(s, i) {
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
			if r != '\'' {
				unclosed[r] = true // (a single quote's closer also needs a word boundary)
			}
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
	"unterstrich": true, "schlussfolgert": true, "schlussfolgerte": true, "resümiert": true, "urteilt": true, "urteilte": true, "zitiert": true, "resümierte": true, "bilanzierte": true, "sprach": true, "twitterte": true,
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
	// A quotation that runs over several sentences or paragraphs (German
	// style: „ opens a paragraph and “ closes a later one).
	var long *longQuote
	for si, s := range d.sents {
		if s.Paragraph < 0 {
			continue // the headline quotes, it does not attribute
		}
		if long != nil {
			closeAt := firstCloser(s.Text)
			if closeAt < 0 {
				long.add(si, s.Paragraph, s.Text)
				continue
			}
			long.add(si, s.Paragraph, s.Text[:closeAt])
			speaker := long.speaker
			if verb := speechVerbIn(s.Tokens, closeAt); verb >= 0 {
				if sp := d.speaker(si, verb, func(t token) bool { return t.Start < closeAt }, lastSpeaker); sp != "" {
					speaker = sp
				}
			}
			for _, c := range long.chunks {
				if len(strings.Fields(c.text)) < 4 {
					continue
				}
				out = append(out, model.Statement{Speaker: speaker, Text: c.text, About: d.aboutSentences(c.sents, speaker), Evidence: c.text})
			}
			if speaker != "" {
				lastSpeaker = speaker
			}
			lastQuoted = si
			long = nil
			continue
		}
		quotes := findQuotes(s.Text)
		if open := unclosedOpener(s.Text, quotes); open >= 0 && (open == 0 || standsAlone(s.Text, quoteSpan{open: open})) {
			long = &longQuote{speaker: lastSpeaker}
			_, w := utf8.DecodeRuneInString(s.Text[open:])
			if verb := speechVerbIn(s.Tokens, -1); verb >= 0 && s.Tokens[verb].Start < open {
				if sp := d.speaker(si, verb, func(t token) bool { return t.Start >= open }, lastSpeaker); sp != "" {
					long.speaker = sp
				}
			}
			long.add(si, s.Paragraph, s.Text[open+w:])
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
				if verb < 0 && speechVerbs[tk.Norm] && speechVerbHere(s.Tokens, i) {
					verb = i
				}
			}
		}
		if len(quotes) == 0 {
			// Reported speech names the speaker of what follows: "…,
			// schlussfolgert Patrick Breyer." — then a quotation.
			if verb >= 0 {
				if sp := d.speaker(si, verb, inQuote, ""); sp != "" {
					lastSpeaker = sp
					d.blame(sp, s.Tokens[:verb], s.Text)
					if text := reportedSpeech(s, verb); text != "" {
						out = append(out, model.Statement{Speaker: sp, Text: text, About: d.aboutText(si, text, sp), Evidence: s.Text})
					}
				}
			}
			continue
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
	d.criticismInStatements(out)
	return out
}

// longQuote collects a quotation over sentences, one chunk per paragraph.
type longQuote struct {
	speaker string
	chunks  []quoteChunk
}

type quoteChunk struct {
	para  int
	text  string
	sents []int
}

func (l *longQuote) add(si, para int, text string) {
	text = strings.TrimSpace(text)
	if n := len(l.chunks); n > 0 && l.chunks[n-1].para == para {
		l.chunks[n-1].text += " " + text
		l.chunks[n-1].sents = append(l.chunks[n-1].sents, si)
		return
	}
	l.chunks = append(l.chunks, quoteChunk{para: para, text: text, sents: []int{si}})
}

// unclosedOpener is the byte offset of an opening quotation mark that no
// mark in the sentence closes, or -1.
func unclosedOpener(s string, quotes []quoteSpan) int {
	for i, r := range s {
		if r != '„' && r != '»' && r != '“' && r != '"' {
			continue
		}
		inside := false
		for _, q := range quotes {
			if i >= q.open && i < q.close {
				inside = true
				break
			}
		}
		if !inside {
			return i
		}
	}
	return -1
}

// firstCloser is the byte offset of the first closing quotation mark, or -1.
func firstCloser(s string) int {
	for i, r := range s {
		if r == '“' || r == '”' || r == '«' || r == '"' {
			return i
		}
	}
	return -1
}

// speechVerbIn is the index of the first speech verb at or after byte offset from (-1: anywhere).
func speechVerbIn(toks []token, from int) int {
	for i, t := range toks {
		if t.Start >= from && speechVerbs[t.Norm] && speechVerbHere(toks, i) {
			return i
		}
	}
	return -1
}

// aboutSentences lists the entities named in some sentences, but the speaker.
func (d *doc) aboutSentences(sents []int, speaker string) []string {
	out := []string{}
	seen := map[string]bool{speaker: true}
	for _, si := range sents {
		for _, m := range d.ments[si] {
			if !seen[m.id] {
				seen[m.id] = true
				out = append(out, m.id)
			}
		}
	}
	return out
}

// failureWords in a quotation blame the entity named just before them.
var failureWords = map[string]bool{"failed": true, "fails": true, "failure": true, "failures": true, "negligent": true,
	"irresponsible": true, "refused": true, "ignored": true, "versagt": true, "versagen": true, "versäumt": true,
	"ignoriert": true, "weigert": true, "unverantwortlich": true, "fahrlässig": true, "verschleppt": true, "mangelnde": true, "mangelnden": true, "lack": true}

// criticismInStatements reads "criticizes" from quotations that blame
// someone: "… yet Mojang has failed to act on it" (said Askar).
func (d *doc) criticismInStatements(stmts []model.Statement) {
	for _, st := range stmts {
		if st.Speaker != "" {
			d.blame(st.Speaker, tokenize(st.Text), st.Evidence)
		}
	}
}

// blame adds speaker criticizes X for an entity that words of failure
// describe: "Mojang has failed to act", "die mangelnde Bereitschaft der EU".
func (d *doc) blame(speaker string, toks []token, evidence string) {
	for i, t := range toks {
		if !failureWords[t.Norm] {
			continue
		}
		lo, hi := max(0, i-5), min(len(toks), i+5)
		for _, m := range d.x.m.find(toks[lo:hi]) {
			before := lo+m.end <= i
			if !before && !genitiveArticles[markerBefore(toks, lo+m.start)] {
				continue // after the cue only as its genitive: "Bereitschaft der EU"
			}
			ty := d.typeOf(m.id)
			if (ty == model.Vendor || ty == model.Agency || ty == model.Organization) && m.id != speaker {
				d.addRelationText(speaker, model.Criticizes, m.id, evidence, 0.6)
			}
		}
	}
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
	// "…, sagte X" and "„…“, sagte X": the speaker follows the verb; what
	// stands before the comma is what was said.
	after := verb > 0 && toks[verb-1].Text == ","
	if after {
		for k := verb + 1; k < len(toks) && k <= verb+2; k++ {
			if pronouns[toks[k].Norm] {
				return d.recentPerson(si, last)
			}
		}
	}
	if toks[verb].Norm == "according" && verb+2 < len(toks) && pronouns[toks[verb+2].Norm] {
		return d.recentPerson(si, last)
	}
	// "X said (that) …", "X erklärte, …", "X sagte: „…“": the speaker
	// stands before the verb and what follows is what was said. "According
	// to X, …": the speaker stands between "to" and the comma.
	before := !after && verb+1 < len(toks) && (toks[verb+1].Text == "," || toks[verb+1].Text == ":" ||
		toks[verb+1].Norm == "that" || toks[verb+1].Norm == "dass")
	lo, hi := 0, len(toks)
	switch {
	case toks[verb].Norm == "according":
		lo = verb + 2
		for k := lo; k < len(toks); k++ {
			if toks[k].Text == "," {
				hi = k
				break
			}
		}
	case after:
		lo = verb + 1
	case before:
		hi = verb
	}
	var outside []mention
	for _, m := range d.ments[si] {
		if m.start < lo || m.end > hi {
			continue
		}
		if !inQuote(toks[m.start]) {
			p := prevWord(toks, m.start)
			if p >= 0 && addressees[toks[p].Norm] && !(p > 0 && toks[p-1].Norm == "according") {
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
			return d.recentPerson(si, last)
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

// konjunktiv are German subjunctive (Konjunktiv I) forms that mark reported
// speech: "Die Lücke sei kritisch, sagte ein Sprecher."
var konjunktiv = map[string]bool{"sei": true, "seien": true, "habe": true, "werde": true, "könne": true, "müsse": true,
	"solle": true, "wolle": true, "dürfe": true, "gebe": true, "liege": true, "stehe": true, "gehe": true, "komme": true,
	"wisse": true, "verfüge": true, "arbeite": true, "prüfe": true, "sehe": true, "brauche": true, "bleibe": true}

// reportedSpeech returns what a sentence reports someone to have said, or
// "": German clauses in the subjunctive before or after the attribution
// ("Die Lücke sei kritisch, sagte ein Sprecher des BSI"; "Das BSI erklärte,
// man prüfe den Fall"), and English "according to X, …" and "X said that …".
func reportedSpeech(s *sentence, verb int) string {
	toks := s.Tokens
	text := s.Text
	trim := func(x string) string {
		x = strings.Trim(strings.TrimSpace(x), ".,;: ")
		if len(strings.Fields(x)) < 5 {
			return ""
		}
		return x
	}
	hasKonjunktiv := func(from, to int) bool {
		for k := from; k < to && k < len(toks); k++ {
			if konjunktiv[toks[k].Norm] {
				return true
			}
		}
		return false
	}
	v := toks[verb]
	// "…, sagte X." — the attribution after a comma.
	if verb > 0 && toks[verb-1].Text == "," && hasKonjunktiv(0, verb) {
		return trim(text[:toks[verb-1].Start])
	}
	// "X erklärte, …" / "X said that …".
	for k := verb + 1; k < len(toks) && k <= verb+6; k++ {
		if toks[k].Text == "," && hasKonjunktiv(k, len(toks)) {
			return trim(text[toks[k].End:])
		}
		if toks[k].Norm == "that" && k <= verb+2 && v.Norm != "according" {
			return trim(text[toks[k].End:])
		}
	}
	// "According to X, …".
	if v.Norm == "according" && verb+1 < len(toks) && toks[verb+1].Norm == "to" {
		for k := verb + 2; k < len(toks) && k <= verb+12; k++ {
			if toks[k].Text == "," {
				return trim(text[toks[k].End:])
			}
		}
	}
	return ""
}

// aboutText lists the entities named in a part of a sentence, but the speaker.
func (d *doc) aboutText(si int, part, speaker string) []string {
	s := d.sents[si]
	off := strings.Index(s.Text, part)
	out := []string{}
	seen := map[string]bool{speaker: true}
	for _, m := range d.ments[si] {
		if seen[m.id] {
			continue
		}
		if off >= 0 && (s.Tokens[m.start].Start < off || s.Tokens[m.end-1].End > off+len(part)) {
			continue
		}
		seen[m.id] = true
		out = append(out, m.id)
	}
	return out
}

// speechVerbHere rules out the ambiguous attribution words where they are
// something else: German "so" only right after a quotation ("„…“, so
// Plattner"), English "according" only in "according to".
func speechVerbHere(toks []token, i int) bool {
	switch toks[i].Norm {
	case "so":
		return i >= 2 && toks[i-1].Text == "," && strings.ContainsAny(toks[i-2].Text, "“”\"«»'’")
	case "according":
		return i+1 < len(toks) && toks[i+1].Norm == "to"
	}
	return true
}

// recentPerson resolves a pronoun speaker ("sagte sie"): the person named
// last in this or the two sentences before, else the previous speaker.
func (d *doc) recentPerson(si int, last string) string {
	for s := si; s >= 0 && s >= si-2; s-- {
		ms := d.ments[s]
		for k := len(ms) - 1; k >= 0; k-- {
			if d.typeOf(ms[k].id) == model.Person {
				return ms[k].id
			}
		}
	}
	return last
}

package extract

import (
	"strings"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// A reference class: generic nouns ("die Behörde", "the company") that refer
// back to an entity of one kind named earlier in the article.
type refClass struct {
	nouns    []string // normalised words; "*x" matches any word ending in x
	fits     func(e *model.Entity) bool
	anywhere bool // may refer to the only fitting entity of the article, even one named later
}

func nameHas(e *model.Entity, parts ...string) bool {
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		ln := strings.ToLower(n)
		for _, p := range parts {
			if strings.Contains(ln, p) {
				return true
			}
		}
	}
	return false
}

var boardWords = []string{"board", "gremium", "untersuchungskommission", "review"}
var committeeWords = []string{"ausschuss", "committee"}

var refClasses = []refClass{
	{ // an investigation or review board
		nouns:    []string{"untersuchungskommission", "untersuchungsgremium", "prüfgremium", "gremium", "board", "panel"},
		fits:     func(e *model.Entity) bool { return e.Type == model.Agency && nameHas(e, boardWords...) },
		anywhere: true,
	},
	{ // a parliamentary committee
		nouns: []string{"ausschuss", "committee"},
		fits:  func(e *model.Entity) bool { return e.Type == model.Agency && nameHas(e, committeeWords...) },
	},
	{ // a public body
		nouns: []string{"*behörde", "bundesamt", "amt", "*ministerium", "agency", "authority", "regulator", "watchdog", "ministry", "department"},
		fits: func(e *model.Entity) bool {
			return e.Type == model.Agency && !nameHas(e, boardWords...) && !nameHas(e, committeeWords...)
		},
	},
	{ // a company
		nouns: []string{"*konzern", "unternehmen", "*hersteller", "firma", "company", "firm", "vendor", "giant", "maker"},
		fits:  func(e *model.Entity) bool { return e.Type == model.Vendor || e.Type == model.Organization },
	},
	{ // an incident named before: "in diesem Fall", "the attack"
		nouns: []string{"fall", "vorfall", "angriff", "cyberangriff", "hackerangriff", "einbruch", "attack", "incident", "breach", "intrusion", "hack", "campaign", "kampagne"},
		fits:  func(e *model.Entity) bool { return e.Type == model.Incident },
	},
	{ // a vulnerability named shortly before: "the flaw", "die Lücke"
		nouns: []string{"vulnerability", "flaw", "bug", "lücke", "sicherheitslücke", "schwachstelle"},
		fits:  func(e *model.Entity) bool { return e.Type == model.Vulnerability },
	},
	{ // an attacker group
		nouns: []string{"gruppe", "hackergruppe", "angreifergruppe", "bande", "gang", "group", "crew"},
		fits:  func(e *model.Entity) bool { return e.Type == model.ThreatActor },
	},
}

var determiners = map[string]bool{
	"der": true, "die": true, "das": true, "dem": true, "den": true, "des": true, "the": true, "this": true,
	"diese": true, "dieser": true, "dieses": true, "diesem": true, "diesen": true,
}

// countryCues narrow a reference: "die deutsche Behörde", "the US agency".
var countryCues = map[string]string{
	"deutsch": "DE", "deutsche": "DE", "deutschen": "DE", "german": "DE", "us": "US", "amerikanische": "US",
	"amerikanischen": "US", "american": "US", "federal": "US", "britische": "UK", "britischen": "UK", "british": "UK", "uk": "UK",
	"europäische": "EU", "europäischen": "EU", "european": "EU", "eu": "EU", "französische": "FR", "french": "FR",
}

// refNouns maps every form of an exact reference noun to its classes;
// refSuffixes lists the word endings ("*behörde") with theirs.
var refNouns, refSuffixes = func() (map[string][]int, []struct {
	suffix string
	class  int
}) {
	exact := map[string][]int{}
	var suffixes []struct {
		suffix string
		class  int
	}
	for ci, c := range refClasses {
		for _, n := range c.nouns {
			if strings.HasPrefix(n, "*") {
				for _, end := range []string{"", "n", "s"} {
					suffixes = append(suffixes, struct {
						suffix string
						class  int
					}{n[1:] + end, ci})
				}
				continue
			}
			for _, end := range []string{"", "s", "es", "en"} {
				exact[n+end] = append(exact[n+end], ci)
			}
		}
	}
	return exact, suffixes
}()

// refClassOf is the first reference class whose noun the word is, or -1.
func refClassOf(w string) int {
	best := -1
	if cs, ok := refNouns[w]; ok {
		best = cs[0]
	}
	for _, s := range refSuffixes {
		if (best < 0 || s.class < best) && strings.HasSuffix(w, s.suffix) {
			best = s.class
		}
	}
	return best
}

// resolveReferences links generic references to the entity they mean, when
// that is unambiguous: the most recent fitting entity of the last three
// sentences, or for boards the only one in the article.
func (d *doc) resolveReferences() {
	for si, s := range d.sents {
		toks := s.Tokens
		for i, t := range toks {
			if !t.Word || inMention(d.ments[si], i) {
				continue
			}
			// A bare abbreviation that begins a name named before: "das LKA"
			// after "Landeskriminalamt Niedersachsen (LKA Niedersachsen)".
			if isAbbreviation(t.Text) && len(t.Text) >= 3 && !commonAbbreviations[t.Text] {
				if id := d.abbreviationOf(si, t.Text); id != "" {
					d.ments[si] = sortMentions(append(d.ments[si], mention{id: id, sent: si, start: i, end: i + 1, surface: t.Text, coref: true}))
				}
				continue
			}
			ci := refClassOf(t.Norm)
			if ci < 0 {
				continue
			}
			country, ok := determined(toks, d.ments[si], i)
			if !ok {
				continue
			}
			// "die Behörde BSI": an apposition names the entity itself; "the
			// MOVEit flaw", "die Ivanti-Lücke": a name before the noun says
			// which one is meant, and it is not the one named earlier.
			if i+1 < len(toks) && startsMention(d.ments[si], i+1) || i > 0 && endsMention(d.ments[si], prevWord(toks, i)) {
				continue
			}
			if id := d.antecedent(si, i, refClasses[ci], country); id != "" {
				d.ments[si] = sortMentions(append(d.ments[si], mention{id: id, sent: si, start: i, end: i + 1, surface: t.Text, coref: true}))
			}
		}
	}
}

// determined reports whether the noun at i is preceded by a determiner
// (with only adjectives, participle phrases or names between) and which
// country an adjective names.
func determined(toks []token, ms []mention, i int) (string, bool) {
	country := ""
	for k := i - 1; k >= 0 && k >= i-14; k-- {
		t := toks[k]
		if c, ok := countryCues[t.Norm]; ok && country == "" {
			country = c
		}
		if determiners[t.Norm] {
			return country, true
		}
		if !t.Word && t.Text != "-" && t.Text != "(" && t.Text != ")" {
			return "", false
		}
		if t.Upper && !inMention(ms, k) && t.Norm != "us" && t.Norm != "it" && !isAbbreviation(t.Text) {
			return "", false // another noun: the determiner belongs to it
		}
	}
	return "", false
}

func (d *doc) antecedent(si, ti int, c refClass, country string) string {
	fits := func(id string) bool {
		e := d.entity(id)
		if e == nil || !c.fits(e) {
			return false
		}
		if country != "" {
			if g, ok := d.x.gaz.Lookup(id); ok && g.Attrs["country"] != "" && g.Attrs["country"] != country {
				return false
			}
		}
		return true
	}
	for s := si; s >= 0 && s >= si-3; s-- {
		ms := d.ments[s]
		for k := len(ms) - 1; k >= 0; k-- {
			if s == si && ms[k].start >= ti {
				continue
			}
			if fits(ms[k].id) {
				return ms[k].id
			}
		}
	}
	if !c.anywhere {
		return ""
	}
	only := ""
	for _, ms := range d.ments {
		for _, m := range ms {
			if m.coref || !fits(m.id) {
				continue
			}
			if only != "" && only != m.id {
				return ""
			}
			only = m.id
		}
	}
	return only
}

func inMention(ms []mention, i int) bool {
	for _, m := range ms {
		if m.start <= i && i < m.end {
			return true
		}
	}
	return false
}

func startsMention(ms []mention, i int) bool {
	for _, m := range ms {
		if m.start == i {
			return true
		}
	}
	return false
}

func endsMention(ms []mention, i int) bool {
	for _, m := range ms {
		if m.end == i+1 {
			return true
		}
	}
	return false
}

// abbreviationOf is the one entity named up to sentence si whose name or an
// alias starts with the abbreviation and a space ("LKA Niedersachsen").
func (d *doc) abbreviationOf(si int, abbr string) string {
	found := ""
	for s := 0; s <= si; s++ {
		for _, m := range d.ments[s] {
			e := d.entity(m.id)
			if e == nil || m.id == found {
				continue
			}
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				if strings.HasPrefix(n, abbr+" ") {
					if found != "" {
						return "" // ambiguous
					}
					found = m.id
					break
				}
			}
		}
	}
	return found
}

// commonAbbreviations start many names without naming one body.
var commonAbbreviations = map[string]bool{"USA": true, "CEO": true, "CTO": true, "CIO": true, "CISO": true, "KI": true,
	"IT": true, "EU": true, "UK": true, "US": true, "UN": true, "NATO": true, "API": true, "VPN": true, "SQL": true}

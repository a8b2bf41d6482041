package extract

import (
	"strings"
	"unicode"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// sectionMarkers introduce a citation of a law's section or article.
var sectionMarkers = map[string]string{
	"§": "§", "§§": "§", "paragraf": "§", "paragraph": "§", "paragrafen": "§", "paragraphen": "§",
	"art": "Art.", "artikel": "Art.", "article": "Art.", "articles": "Art.", "section": "§", "sec": "§", "sections": "§",
}

// citationFillers may stand between a section number and the law it belongs to.
var citationFillers = map[string]bool{
	"des": true, "der": true, "dem": true, "den": true, "im": true, "aus": true, "zum": true, "zur": true,
	"of": true, "the": true, "in": true, "under": false, "eu": false,
}

// sectionRefinements are the sub-divisions that a citation may name after the number.
var sectionRefinements = map[string]bool{
	"abs": true, "absatz": true, "satz": true, "s": true, "nr": true, "nummer": true, "ziffer": true,
	"para": true, "paragraph": true, "subsection": true, "buchst": true, "buchstabe": true, "lit": true, "unterabsatz": true,
}

// lawSections turns citations of a law's section into section entities,
// each part_of its law: "§ 7a BSIG", "Paragraf 7a des BSI-Gesetzes",
// "BSIG § 7a", "Art. 23 NIS2", "Section 7a of the BSI Act". A section cited
// without its law ("Paragraf 7a regelt …") belongs to the law cited just before.
func (d *doc) lawSections(si int, ms []mention) []mention {
	toks := d.sents[si].Tokens
	for i := 0; i < len(toks); i++ {
		marker, ok := sectionMarkers[toks[i].Norm]
		if !ok {
			continue
		}
		if toks[i].Norm != "§" && toks[i].Norm != "§§" && !d.looksLikeCitation(toks, i) {
			continue
		}
		j := i + 1
		if j < len(toks) && toks[j].Text == "." {
			j++
		}
		if j >= len(toks) || !startsWithDigit(toks[j].Text) {
			continue
		}
		num := strings.ToLower(toks[j].Text)
		end := j + 1
		// Skip sub-divisions: "Abs. 1", "Satz 2", "Nr. 3", "(1)".
		for end < len(toks) {
			t := toks[end]
			if sectionRefinements[t.Norm] {
				k := end + 1
				if k < len(toks) && toks[k].Text == "." {
					k++
				}
				if k < len(toks) && (startsWithDigit(toks[k].Text) || len(toks[k].Text) == 1 && unicode.IsLetter(rune(toks[k].Text[0]))) {
					end = k + 1
					continue
				}
			}
			if t.Text == "(" && end+2 < len(toks) && startsWithDigit(toks[end+1].Text) && toks[end+2].Text == ")" {
				end += 3
				continue
			}
			break
		}
		// The law: right after (with fillers), or right before the marker.
		k := end
		for k < len(toks) && citationFillers[toks[k].Norm] {
			k++
		}
		lawIdx := -1
		for mi, m := range ms {
			if d.typeOf(m.id) != model.Law || d.sectionOf[m.id] != "" {
				continue
			}
			if m.start == k || m.end == i {
				lawIdx = mi
				break
			}
		}
		var lawID string
		start, stop := i, end
		if lawIdx >= 0 {
			lawID = ms[lawIdx].id
			if ms[lawIdx].start == k {
				stop = ms[lawIdx].end
			} else {
				start = ms[lawIdx].start
			}
		} else if recent := d.recentLaw(si, ms, i); recent != "" {
			lawID = recent
		} else {
			continue
		}
		if e, ok := d.x.gaz.Lookup(lawID); ok && e.Attrs["section"] != "" && toks[i].Norm == "section" {
			marker = e.Attrs["section"]
		}
		secID := d.section(lawID, marker, num)
		surface := d.sents[si].Text[toks[start].Start:toks[stop-1].End]
		if e := d.entities[secID]; e != nil && !strings.EqualFold(surface, e.Name) {
			e.Aliases = appendUnique(e.Aliases, surface)
		}
		// The section mention replaces the law's mention inside it.
		var kept []mention
		for _, m := range ms {
			if m.start < stop && start < m.end {
				continue
			}
			kept = append(kept, m)
		}
		kept = append(kept, mention{id: secID, sent: si, start: start, end: stop, surface: surface})
		ms = sortMentions(kept)
		d.addRelation(secID, model.PartOf, lawID, si, 1.0)
		i = stop - 1
	}
	return ms
}

// looksLikeCitation tells "Art. 23" and "Section 5 of" from "eine Art" or "this section".
func (d *doc) looksLikeCitation(toks []token, i int) bool {
	j := i + 1
	if j < len(toks) && toks[j].Text == "." {
		j++
	}
	return j < len(toks) && startsWithDigit(toks[j].Text) && (toks[i].Upper || toks[i].Norm == "section")
}

// recentLaw is the law cited last before token i of sentence si, in this
// sentence or the two before it.
func (d *doc) recentLaw(si int, ms []mention, i int) string {
	for k := len(ms) - 1; k >= 0; k-- {
		if ms[k].end <= i && d.typeOf(ms[k].id) == model.Law {
			return d.baseLaw(ms[k].id)
		}
	}
	for s := si - 1; s >= 0 && s >= si-2; s-- {
		for k := len(d.ments[s]) - 1; k >= 0; k-- {
			if d.typeOf(d.ments[s][k].id) == model.Law {
				return d.baseLaw(d.ments[s][k].id)
			}
		}
	}
	return ""
}

// baseLaw maps a section id back to its law ("law:bsig-7a" → "law:bsig").
func (d *doc) baseLaw(id string) string {
	if p := d.sectionOf[id]; p != "" {
		return p
	}
	return id
}

// section makes (or finds) the entity for one section of a law.
func (d *doc) section(lawID, marker, num string) string {
	cite := ""
	name := ""
	if e, ok := d.x.gaz.Lookup(lawID); ok {
		cite = e.Attrs["cite"]
		name = e.Name
		if m := e.Attrs["section"]; m != "" && marker == "§" && m == "Art." {
			marker = m
		}
	} else if e := d.entities[lawID]; e != nil {
		name = e.Name
	}
	if cite == "" {
		cite = name
	}
	var id, canon string
	if marker == "Art." {
		id = lawID + "-art" + slug(num)
		canon = "Art. " + num + " " + cite
	} else {
		id = lawID + "-" + slug(num)
		canon = "§ " + num + " " + cite
	}
	if _, ok := d.entities[id]; !ok {
		aliases := []string{}
		if marker == "§" {
			aliases = append(aliases, cite+" § "+num)
			if name != cite {
				aliases = append(aliases, "§ "+num+" "+name)
			}
		} else {
			aliases = append(aliases, "Article "+num+" "+cite)
		}
		d.entities[id] = &model.Entity{ID: id, Type: model.Law, Name: canon, Aliases: aliases}
		d.sectionOf[id] = lawID
	}
	return id
}

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

func sortMentions(ms []mention) []mention {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].start < ms[j-1].start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return ms
}

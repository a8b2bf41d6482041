package extract

import (
	"strings"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// trigger is a word or phrase that signals a relation in a sentence.
type trigger struct {
	words []string // normalised words in sequence; a trailing * matches a word prefix
	pred  model.Predicate
	// noun: a nominalisation ("Kritik", "Anordnung"); a genitive after it
	// names its subject ("Kritik des Boards") unless genObject is set
	// ("Versagen Microsofts": the one who failed).
	noun      bool
	genObject bool
	// object markers: a preposition right after the trigger that introduces
	// the object ("gegen", "vor", "against", "to").
	objPrep []string
	// adjacent: the object must follow right after the trigger (within 3 words).
	adjacent bool
	conf     float64
}

// argTypes are the entity types each predicate admits as subject and object.
var argTypes = map[model.Predicate][2][]model.EntityType{
	model.Sues:           {{model.Agency, model.Organization, model.Vendor, model.Person}, {model.Vendor, model.Organization, model.Agency, model.Person}},
	model.Fines:          {{model.Agency}, {model.Vendor, model.Organization, model.Person}},
	model.Investigates:   {{model.Agency, model.Organization, model.Vendor, model.Outlet, model.Person}, {model.Vendor, model.Incident, model.Organization, model.Agency, model.Product, model.ThreatActor, model.Vulnerability}},
	model.Criticizes:     {{model.Agency, model.Organization, model.Vendor, model.Person, model.Outlet}, {model.Vendor, model.Agency, model.Organization, model.Person, model.Law, model.Product}},
	model.WarnsAbout:     {{model.Agency, model.Vendor, model.Organization, model.Person}, {model.Vulnerability, model.ThreatActor, model.Incident, model.Product, model.Vendor}},
	model.Sanctions:      {{model.Agency}, {model.Vendor, model.Organization, model.ThreatActor, model.Person, model.Product}},
	model.AffectedBy:     {{model.Vendor, model.Agency, model.Organization, model.Product}, {model.Incident, model.Vulnerability}},
	model.AttributedTo:   {{model.Incident}, {model.ThreatActor}},
	model.Exploits:       {{model.ThreatActor, model.Incident, model.Person}, {model.Vulnerability}},
	model.Invokes:        {{model.Agency, model.Organization, model.Person}, {model.Law}},
	model.Established:    {{model.Agency}, {model.Agency}},
	model.MadeBy:         {{model.Product}, {model.Vendor, model.Organization}},
	model.AgreesWith:     {{model.Agency, model.Organization, model.Vendor, model.Person}, {model.Agency, model.Organization, model.Vendor, model.Person}},
	model.CooperatesWith: {{model.Agency, model.Organization, model.Vendor}, {model.Agency, model.Organization, model.Vendor}},
}

func t(pred model.Predicate, conf float64, phrase string) trigger {
	return trigger{words: strings.Fields(phrase), pred: pred, conf: conf}
}

func (tr trigger) asNoun(genObject bool) trigger { tr.noun = true; tr.genObject = genObject; return tr }
func (tr trigger) prep(p ...string) trigger      { tr.objPrep = p; return tr }
func (tr trigger) near() trigger                 { tr.adjacent = true; return tr }

// triggers in German and English. The phrases are lower case; inflected
// forms are listed, or matched by a trailing * where the stem is distinctive.
var triggers = []trigger{
	// sues
	t(model.Sues, 0.9, "verklag*"), t(model.Sues, 0.9, "klage gegen").asNoun(false), t(model.Sues, 0.85, "klagt gegen"),
	t(model.Sues, 0.85, "verfahren gegen").asNoun(false), t(model.Sues, 0.85, "anordnung gegen").asNoun(false),
	t(model.Sues, 0.75, "anordnung").asNoun(false), t(model.Sues, 0.75, "verfahren").asNoun(false), t(model.Sues, 0.8, "anordnungen").asNoun(false),
	t(model.Sues, 0.9, "sues"), t(model.Sues, 0.9, "sued"), t(model.Sues, 0.9, "suing"), t(model.Sues, 0.9, "lawsuit against").asNoun(false),
	t(model.Sues, 0.85, "legal action against").asNoun(false), t(model.Sues, 0.8, "ordered").near(), t(model.Sues, 0.8, "orders").near(),
	t(model.Sues, 0.85, "vor gericht"), t(model.Sues, 0.85, "took to court"), t(model.Sues, 0.8, "charged"), t(model.Sues, 0.8, "indicted"),
	t(model.Sues, 0.8, "anklage gegen").asNoun(false), t(model.Sues, 0.8, "angeklagt"),
	// fines
	t(model.Fines, 0.9, "bußgeld*").asNoun(false), t(model.Fines, 0.9, "bussgeld*").asNoun(false), t(model.Fines, 0.85, "geldbuße*").asNoun(false),
	t(model.Fines, 0.85, "geldstrafe").asNoun(false), t(model.Fines, 0.9, "fined"), t(model.Fines, 0.9, "fines"), t(model.Fines, 0.85, "fine"),
	t(model.Fines, 0.8, "penalty").asNoun(false), t(model.Fines, 0.8, "penalized"), t(model.Fines, 0.8, "penalised"), t(model.Fines, 0.85, "strafe gegen").asNoun(false),
	// investigates
	t(model.Investigates, 0.85, "untersucht"), t(model.Investigates, 0.85, "untersuchte"), t(model.Investigates, 0.85, "untersuchen"),
	t(model.Investigates, 0.8, "untersuchung").asNoun(false), t(model.Investigates, 0.85, "ermittelt gegen"), t(model.Investigates, 0.85, "ermittlungen gegen").asNoun(false),
	t(model.Investigates, 0.8, "ermittelt"), t(model.Investigates, 0.8, "ermittelte"), t(model.Investigates, 0.75, "prüft"), t(model.Investigates, 0.75, "prüfte"), t(model.Investigates, 0.75, "überprüft"),
	t(model.Investigates, 0.8, "auskunftsbegehren").asNoun(false), t(model.Investigates, 0.8, "fordert auskunft"), t(model.Investigates, 0.8, "forderte auskunft"),
	t(model.Investigates, 0.8, "verlangt").prep("von"), t(model.Investigates, 0.8, "verlangte").prep("von"), t(model.Investigates, 0.8, "forderte").prep("von"),
	t(model.Investigates, 0.8, "befragt"), t(model.Investigates, 0.8, "befragte"), t(model.Investigates, 0.8, "questioned"), t(model.Investigates, 0.8, "demanded information from").prep("from"),
	t(model.Investigates, 0.75, "diagnostizierte"), t(model.Investigates, 0.75, "stellte fest"),
	t(model.Investigates, 0.85, "investigates"), t(model.Investigates, 0.85, "investigated"), t(model.Investigates, 0.85, "investigating"),
	t(model.Investigates, 0.8, "investigation into").asNoun(false), t(model.Investigates, 0.8, "probe into").asNoun(false), t(model.Investigates, 0.8, "probes"), t(model.Investigates, 0.8, "probed"), t(model.Investigates, 0.8, "probing"),
	t(model.Investigates, 0.75, "reviewed"), t(model.Investigates, 0.75, "review of").asNoun(false), t(model.Investigates, 0.75, "examined"), t(model.Investigates, 0.75, "examines"),
	// criticizes
	t(model.Criticizes, 0.85, "kritisiert"), t(model.Criticizes, 0.85, "kritisierte"), t(model.Criticizes, 0.85, "kritisieren"),
	t(model.Criticizes, 0.8, "kritik").asNoun(false).prep("an", "am"), t(model.Criticizes, 0.8, "wirft vor"), t(model.Criticizes, 0.8, "warf vor"), t(model.Criticizes, 0.8, "werfen vor"), t(model.Criticizes, 0.75, "vorwurf").asNoun(false),
	t(model.Criticizes, 0.8, "*versagen").asNoun(true), t(model.Criticizes, 0.8, "rügt"), t(model.Criticizes, 0.8, "rügte"), t(model.Criticizes, 0.8, "bemängelt"), t(model.Criticizes, 0.8, "bemängelte"),
	t(model.Criticizes, 0.85, "criticizes"), t(model.Criticizes, 0.85, "criticized"), t(model.Criticizes, 0.85, "criticised"), t(model.Criticizes, 0.85, "criticises"),
	t(model.Criticizes, 0.8, "blames"), t(model.Criticizes, 0.8, "slams"), t(model.Criticizes, 0.8, "slammed"), t(model.Criticizes, 0.8, "rebuked"), t(model.Criticizes, 0.8, "condemned"),
	t(model.Criticizes, 0.75, "criticism of").asNoun(false), t(model.Criticizes, 0.75, "*versäumnissen").asNoun(false).prep("bei"), t(model.Criticizes, 0.75, "*versäumnisse").asNoun(false).prep("bei"),
	t(model.Criticizes, 0.7, "unzureichend"), t(model.Criticizes, 0.7, "inadequate"), t(model.Criticizes, 0.75, "failures").asNoun(true), t(model.Criticizes, 0.75, "lambasted"),
	// warns about
	t(model.WarnsAbout, 0.9, "warnt vor"), t(model.WarnsAbout, 0.9, "warnte vor"), t(model.WarnsAbout, 0.9, "warnen vor"), t(model.WarnsAbout, 0.85, "warnung vor").asNoun(false),
	t(model.WarnsAbout, 0.85, "warns about"), t(model.WarnsAbout, 0.85, "warned about"), t(model.WarnsAbout, 0.85, "warns of"), t(model.WarnsAbout, 0.85, "warned of"),
	t(model.WarnsAbout, 0.8, "warning about").asNoun(false), t(model.WarnsAbout, 0.75, "warns"), t(model.WarnsAbout, 0.75, "warned"), t(model.WarnsAbout, 0.75, "warnt"),
	// sanctions
	t(model.Sanctions, 0.85, "sanktioniert"), t(model.Sanctions, 0.85, "sanktionen gegen").asNoun(false), t(model.Sanctions, 0.8, "verbietet"), t(model.Sanctions, 0.8, "verbot").asNoun(false),
	t(model.Sanctions, 0.85, "sanctioned"), t(model.Sanctions, 0.85, "sanctions against").asNoun(false), t(model.Sanctions, 0.85, "sanctions on").asNoun(false), t(model.Sanctions, 0.8, "banned"), t(model.Sanctions, 0.8, "bans"),
	// affected by
	t(model.AffectedBy, 0.8, "betroffen von"), t(model.AffectedBy, 0.75, "betroffen"), t(model.AffectedBy, 0.8, "opfer").asNoun(false),
	t(model.AffectedBy, 0.8, "hit by"), t(model.AffectedBy, 0.8, "affected by"), t(model.AffectedBy, 0.8, "impacted by"), t(model.AffectedBy, 0.8, "victim of"), t(model.AffectedBy, 0.75, "breached in"),
	t(model.AffectedBy, 0.75, "vulnerable to"), t(model.AffectedBy, 0.7, "affects"), t(model.AffectedBy, 0.7, "affecting"),
	// attributed to
	t(model.AttributedTo, 0.85, "zugeschrieben"), t(model.AttributedTo, 0.85, "zugerechnet"), t(model.AttributedTo, 0.8, "zurückgeführt"), t(model.AttributedTo, 0.8, "steckt hinter"), t(model.AttributedTo, 0.8, "stecken hinter"),
	t(model.AttributedTo, 0.85, "attributed to"), t(model.AttributedTo, 0.85, "blamed on"), t(model.AttributedTo, 0.75, "linked to"), t(model.AttributedTo, 0.75, "carried out by"), t(model.AttributedTo, 0.75, "behind"),
	// exploits
	t(model.Exploits, 0.85, "nutzt"), t(model.Exploits, 0.85, "nutzten"), t(model.Exploits, 0.85, "ausgenutzt"), t(model.Exploits, 0.85, "ausnutzen"), t(model.Exploits, 0.85, "ausgenutzte"),
	t(model.Exploits, 0.85, "exploits"), t(model.Exploits, 0.85, "exploited"), t(model.Exploits, 0.85, "exploiting"), t(model.Exploits, 0.8, "leveraged"), t(model.Exploits, 0.8, "abused"),
	// invokes: the verbs an authority acts with; the object must be a law
	t(model.Invokes, 0.85, "griff"), t(model.Invokes, 0.85, "greift"), t(model.Invokes, 0.85, "gegriffen"), t(model.Invokes, 0.8, "nutzt"), t(model.Invokes, 0.8, "nutzte"),
	t(model.Invokes, 0.85, "beruft"), t(model.Invokes, 0.85, "berief"), t(model.Invokes, 0.85, "gestützt"), t(model.Invokes, 0.85, "stützt"),
	t(model.Invokes, 0.85, "invoked"), t(model.Invokes, 0.85, "invokes"), t(model.Invokes, 0.85, "invoking"), t(model.Invokes, 0.8, "used"), t(model.Invokes, 0.8, "uses"), t(model.Invokes, 0.8, "cited"),
	// established
	t(model.Established, 0.85, "eingesetzt"), t(model.Established, 0.85, "eingesetzte"), t(model.Established, 0.85, "eingesetzten"), t(model.Established, 0.85, "gegründet"),
	t(model.Established, 0.85, "gegründete"), t(model.Established, 0.85, "eingerichtet"), t(model.Established, 0.85, "eingerichtete"),
	t(model.Established, 0.85, "set up"), t(model.Established, 0.85, "established"), t(model.Established, 0.8, "created"), t(model.Established, 0.8, "convened"),
	// made by
	t(model.MadeBy, 0.85, "made by"), t(model.MadeBy, 0.85, "developed by"), t(model.MadeBy, 0.85, "entwickelt von"),
	// agrees with
	t(model.AgreesWith, 0.85, "einschätzung").asNoun(true), t(model.AgreesWith, 0.85, "auffassung").asNoun(true), t(model.AgreesWith, 0.85, "agrees with"), t(model.AgreesWith, 0.85, "agreed with"),
	t(model.AgreesWith, 0.85, "shares the assessment"), t(model.AgreesWith, 0.8, "concurs with"), t(model.AgreesWith, 0.8, "stimmt zu"),
	// cooperates with
	t(model.CooperatesWith, 0.85, "zusammen mit"), t(model.CooperatesWith, 0.85, "zusammenarbeit mit").asNoun(false), t(model.CooperatesWith, 0.85, "kooperiert mit"),
	t(model.CooperatesWith, 0.85, "kooperation mit").asNoun(false), t(model.CooperatesWith, 0.85, "partners with"), t(model.CooperatesWith, 0.85, "partnered with"),
	t(model.CooperatesWith, 0.8, "in cooperation with"), t(model.CooperatesWith, 0.8, "worked with"), t(model.CooperatesWith, 0.8, "working with"),
}

// triggerIndex maps a trigger's first word (or its prefix) to the triggers that start with it.
type triggerIndex struct {
	exact  map[string][]int
	prefix []int
}

var triggersByWord = func() triggerIndex {
	ix := triggerIndex{exact: map[string][]int{}}
	for i, tr := range triggers {
		w := tr.words[0]
		if strings.HasSuffix(w, "*") || strings.HasPrefix(w, "*") {
			ix.prefix = append(ix.prefix, i)
			continue
		}
		ix.exact[w] = append(ix.exact[w], i)
	}
	return ix
}()

func wordMatches(pattern, w string) bool {
	switch {
	case strings.HasSuffix(pattern, "*"):
		return strings.HasPrefix(w, pattern[:len(pattern)-1])
	case strings.HasPrefix(pattern, "*"):
		return strings.HasSuffix(w, pattern[1:])
	}
	return w == pattern
}

// triggerHit is one trigger found in a sentence.
type triggerHit struct {
	tr         *trigger
	start, end int // token range
}

// findTriggers lists the triggers of a sentence. Multi-word German
// triggers may be split by the verb bracket ("wirft … vor", "stellte … fest"):
// the first word must appear, the rest within the next eight words.
func findTriggers(toks []token) []triggerHit {
	var hits []triggerHit
	for i, tk := range toks {
		if !tk.Word {
			continue
		}
		cands := triggersByWord.exact[tk.Norm]
		for _, pi := range triggersByWord.prefix {
			if wordMatches(triggers[pi].words[0], tk.Norm) {
				cands = append(cands, pi)
			}
		}
		for _, ci := range cands {
			tr := &triggers[ci]
			end, ok := matchRest(toks, i+1, tr.words[1:])
			if ok {
				hits = append(hits, triggerHit{tr: tr, start: i, end: end})
			}
		}
	}
	return hits
}

func matchRest(toks []token, i int, rest []string) (int, bool) {
	if len(rest) == 0 {
		return i, true
	}
	// Contiguous first.
	j := i
	k := 0
	for j < len(toks) && k < len(rest) && wordMatches(rest[k], toks[j].Norm) {
		j++
		k++
	}
	if k == len(rest) {
		return j, true
	}
	// Then split by a few words, as verb brackets and objects split them
	// ("wirft dem Konzern … vor", "attributed the attack to"): the first
	// word must have matched contiguously or not at all, and no clause may end between.
	if k > 0 {
		return 0, false
	}
	j = i
	for k < len(rest) && j < len(toks) && j < i+7 {
		switch toks[j].Text {
		case ",", ";", ".", ":", "–":
			return 0, false
		}
		if wordMatches(rest[k], toks[j].Norm) {
			k++
		}
		j++
	}
	if k == len(rest) {
		return j, true
	}
	return 0, false
}

// findRelations reads relations sentence by sentence.
func (d *doc) findRelations() {
	for si := range d.sents {
		d.sentenceRelations(si)
		d.legalBasis(si)
	}
	d.knownRelations()
}

func (d *doc) allowed(id string, types []model.EntityType) bool {
	ty := d.typeOf(id)
	for _, t := range types {
		if t == ty {
			return true
		}
	}
	return false
}

var passiveAgent = map[string]bool{"von": true, "vom": true, "durch": true, "by": true}

var genitiveArticles = map[string]bool{"des": true, "der": true, "of": true}

// adversarial predicates take their object with "gegen" / "against".
var adversarial = map[model.Predicate]bool{model.Sues: true, model.Fines: true, model.Sanctions: true, model.Investigates: true, model.Criticizes: true}

var relativePronouns = map[string]bool{"dessen": true, "deren": true, "whose": true}

// relMentions are a sentence's mentions as relation arguments: a name
// repeated in parentheses ("Department of Homeland Security (DHS)") counts once.
func relMentions(toks []token, ms []mention) []mention {
	out := make([]mention, 0, len(ms))
	for _, m := range ms {
		if n := len(out); n > 0 && out[n-1].id == m.id && (m.start == out[n-1].end || m.start > 0 && toks[m.start-1].Text == "(" && m.start-out[n-1].end <= 1) {
			if m.start == out[n-1].end {
				out[n-1].end = m.end // "Heimatschutzministerium DHS": one name
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

func (d *doc) sentenceRelations(si int) {
	s := d.sents[si]
	toks := s.Tokens
	ms := relMentions(toks, d.ments[si])
	if len(ms) < 2 {
		return
	}
	hits := findTriggers(toks)
	// Mentions that are the agent of a participle attribute ("die vom DHS
	// eingesetzte Kommission") are not the subject of the main clause.
	attrAgent := map[int]bool{}
	for mi, m := range ms {
		if attributePhrase(toks, ms, m) || modifiesPerson(toks, ms, mi) || possessiveOf(toks, ms, mi) {
			attrAgent[mi] = true
		}
	}
	german := d.article.Language == "de" || d.article.Language == "" && looksGerman(toks)
	for _, h := range hits {
		types, ok := argTypes[h.tr.pred]
		if !ok || negated(toks, h) {
			continue
		}
		subj, obj := -1, -1
		conf := h.tr.conf
		passive := isPassive(toks, h)
		// Explicit markers first: a passive agent, an object preposition.
		for mi, m := range ms {
			mk := markerBefore(toks, m.start)
			after := m.start >= h.end
			nearAfter := after && m.start-h.end <= 4
			nearBefore := m.end <= h.start && h.start-m.end <= 6
			if passiveAgent[mk] && (nearAfter || nearBefore) && d.allowed(m.id, types[0]) && !h.tr.noun && !contains(h.tr.objPrep, mk) {
				// "von X" is the agent of a passive, or of a participle right
				// after it ("die vom BSI verklagte Firma").
				// English reduced relatives: "the board, established by DHS".
				switch {
				case h.tr.pred == model.MadeBy || h.tr.pred == model.AttributedTo || passive:
					subj = mi
				case after && mk == "by" && m.start-h.end <= 2:
					subj = mi
					// The patient stands right before the participle.
					for oi := len(ms) - 1; oi >= 0; oi-- {
						if ms[oi].end <= h.start && h.start-ms[oi].end <= 2 && d.allowed(ms[oi].id, types[1]) && obj < 0 {
							obj = oi
							break
						}
					}
				case !after && mk != "by" && h.start-m.end <= 2 && (!attrAgent[mi] || h.tr.pred == model.Established):
					subj = mi
				}
			}
			if nearAfter && (mk == "vor" || contains(h.tr.objPrep, mk)) && d.allowed(m.id, types[1]) && obj < 0 {
				obj = mi
			}
			// "gegen X" / "against X" marks the target of legal action
			// wherever it stands: "Gegen Microsoft hat das BSI ein Verfahren eingeleitet".
			if (mk == "gegen" || mk == "against") && adversarial[h.tr.pred] && d.allowed(m.id, types[1]) && obj < 0 {
				obj = mi
			}
		}
		// Inside a split trigger: "wirft dem Konzern … vor" (object),
		// "attributed the attack to" (the incident is the subject).
		for mi, m := range ms {
			if m.start > h.start && m.end < h.end {
				if h.tr.pred == model.AttributedTo && subj < 0 && d.allowed(m.id, types[0]) {
					subj = mi
				} else if obj < 0 && d.allowed(m.id, types[1]) {
					obj = mi
				}
			}
		}
		if h.tr.noun {
			// "…, dessen Einschätzung das BSI teile": the relative pronoun's
			// antecedent is one argument, the clause's subject the other.
			if pw := prevWord(toks, h.start); pw >= 0 && relativePronouns[toks[pw].Norm] {
				ante, next := -1, -1
				for mi, m := range ms {
					if m.end <= pw && pw-m.end <= 2 {
						ante = mi
					}
					if m.start >= h.end && next < 0 {
						next = mi
					}
				}
				if ante >= 0 && next >= 0 {
					if h.tr.genObject && d.allowed(ms[next].id, types[0]) && d.allowed(ms[ante].id, types[1]) {
						d.addRelation(ms[next].id, h.tr.pred, ms[ante].id, si, conf)
					} else if !h.tr.genObject && d.allowed(ms[ante].id, types[0]) && d.allowed(ms[next].id, types[1]) {
						d.addRelation(ms[ante].id, h.tr.pred, ms[next].id, si, conf)
					}
				}
				continue
			}
			// A genitive right after a nominalisation: "Kritik des CSRB",
			// "Komplettversagen Microsofts", "die Einschätzung des CSRB".
			for mi, m := range ms {
				if m.start < h.end || m.start-h.end > 4 {
					continue
				}
				gen := genitiveArticles[markerBefore(toks, m.start)] || m.start == h.end && strings.HasSuffix(m.surface, "s")
				if gen {
					if h.tr.genObject && obj < 0 && d.allowed(m.id, types[1]) {
						obj = mi
					} else if !h.tr.genObject && subj < 0 && d.allowed(m.id, types[0]) && mi != obj {
						subj = mi
					}
				}
				break
			}
		}
		// Then position: the subject is the first admissible mention before
		// the trigger (the grammatical subject of most German and English
		// clauses), or right after a German verb in second place ("griff das
		// BSI zu …"); the object the nearest after the trigger; in a German
		// verb-final clause or a passive both stand before it.
		if subj < 0 {
			for mi, m := range ms {
				if m.end <= h.start && mi != obj && !attrAgent[mi] && d.allowed(m.id, types[0]) {
					subj = mi
					conf -= 0.05
					break
				}
			}
		}
		if subj < 0 && !h.tr.noun && german {
			for mi, m := range ms {
				if m.start >= h.end && m.start-h.end <= 3 && mi != obj && d.allowed(m.id, types[0]) {
					subj = mi
					conf -= 0.1
					break
				}
			}
		}
		if subj < 0 {
			continue
		}
		// A passive without its agent names only the patient: "Das Gremium
		// wurde 2022 eingerichtet" says nothing about who set it up.
		if hasPassiveAux(toks, h) && !passiveAgent[markerBefore(toks, ms[subj].start)] && h.tr.pred != model.AttributedTo {
			continue
		}
		if obj < 0 && !h.tr.noun && h.tr.pred == model.WarnsAbout && h.end < len(toks) && (toks[h.end].Norm == "that" || toks[h.end].Norm == "dass" || toks[h.end].Text == "," && h.end+1 < len(toks) && toks[h.end+1].Norm == "dass") {
			// "warned that attackers were exploiting CVE-…": the warning is
			// about the threat the clause names, not about the vendor.
			first := -1
			for mi, m := range ms {
				ty := d.typeOf(m.id)
				if m.start < h.end || mi == subj {
					continue
				}
				if first < 0 && m.start-h.end <= 4 && d.allowed(m.id, types[1]) {
					first = mi // the clause's subject: "warnt, dass Facebooks Pläne …"
				}
				if ty == model.Vulnerability || ty == model.ThreatActor || ty == model.Incident {
					obj = mi
					break
				}
			}
			if obj < 0 {
				obj = first
			}
			if obj < 0 {
				continue
			}
		}
		if obj < 0 && !h.tr.noun {
			for mi, m := range ms {
				if m.start >= h.end && (clauseBreak(toks, h.end, m.start) || conjoined(toks, h.end, m.start)) {
					break
				}
				if m.start >= h.end && mi != subj && m.id != ms[subj].id && d.allowed(m.id, types[1]) {
					if h.tr.adjacent && m.start-h.end > 3 {
						break
					}
					// English objects follow their verb closely: "fined Avast",
					// not "sanctioned two Russian nationals for … LockBit".
					if !german && !h.tr.noun && !closeObject(toks, h.end, m.start, h.tr.pred, d.typeOf(m.id)) {
						break
					}
					obj = mi
					break
				}
			}
		}
		if obj < 0 && !h.tr.adjacent && !h.tr.noun && (german || hasPassiveAux(toks, h)) {
			for mi, m := range ms {
				if m.end <= h.start && mi != subj && !attrAgent[mi] && m.id != ms[subj].id && d.allowed(m.id, types[1]) {
					obj = mi
					conf -= 0.1
					break
				}
			}
		}
		if obj < 0 || ms[subj].id == ms[obj].id {
			continue
		}
		d.addRelation(ms[subj].id, h.tr.pred, ms[obj].id, si, conf)
	}
}

var passiveAux = map[string]bool{"wurde": true, "wurden": true, "worden": true, "wird": true, "werden": true,
	"was": true, "were": true, "been": true, "is": true, "are": true, "be": true, "being": true}

// isPassive reports a passive voice around a verb trigger: an auxiliary
// shortly before it and an agent ("von", "by") after it.
func isPassive(toks []token, h triggerHit) bool {
	if h.tr.noun {
		return false
	}
	aux := false
	for k := h.start - 1; k >= 0 && k >= h.start-6; k-- {
		if passiveAux[toks[k].Norm] {
			aux = true
			break
		}
	}
	if !aux {
		return false
	}
	for k := h.end; k < len(toks) && k < h.end+3; k++ {
		if passiveAgent[toks[k].Norm] {
			return true
		}
	}
	for k := h.start - 1; k >= 0 && k >= h.start-6; k-- {
		if passiveAgent[toks[k].Norm] {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// knownLinks are the gazetteer attributes that name related entities.
var knownLinks = []struct {
	attr string
	pred model.Predicate
}{{"part_of", model.PartOf}, {"made_by", model.MadeBy}, {"attributed_to", model.AttributedTo}, {"exploits", model.Exploits}}

// knownRelations adds what the gazetteer knows (a product's maker, an
// agency's parent body) when both entities are named in one sentence: the
// sentence is then the evidence that the article connects them.
func (d *doc) knownRelations() {
	for si, ms := range d.ments {
		if len(ms) < 2 {
			continue
		}
		present := map[string]bool{}
		for _, m := range ms {
			present[m.id] = true
		}
		for _, m := range ms {
			g, ok := d.x.gaz.Lookup(m.id)
			if !ok {
				continue
			}
			for _, k := range knownLinks {
				for _, o := range strings.Split(g.Attrs[k.attr], ",") {
					if o = strings.TrimSpace(o); o != "" && present[o] {
						d.addRelation(m.id, k.pred, o, si, 0.7)
					}
				}
			}
		}
	}
	// An incident's known victims (attribute victim=ID,ID), when the article
	// names both: the evidence is the sentence that names the incident.
	named := map[string]int{}
	for si := len(d.ments) - 1; si >= 0; si-- {
		for _, m := range d.ments[si] {
			named[m.id] = si
		}
	}
	for id, si := range named {
		g, ok := d.x.gaz.Lookup(id)
		if !ok || g.Type != model.Incident || g.Attrs["victim"] == "" {
			continue
		}
		for _, v := range strings.Split(g.Attrs["victim"], ",") {
			if _, ok := named[strings.TrimSpace(v)]; ok {
				d.addRelation(strings.TrimSpace(v), model.AffectedBy, id, si, 0.6)
			}
		}
	}
}

// markerBefore returns the word that governs a mention starting at token i,
// looking back over adjectives and name prefixes ("vom US-amerikanischen
// DHS"): the nearest preceding function word, within five tokens.
func markerBefore(toks []token, i int) string {
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		t := toks[k]
		if passiveAgent[t.Norm] || genitiveArticles[t.Norm] || t.Norm == "gegen" || t.Norm == "against" || t.Norm == "vor" || t.Norm == "an" && k == i-1 || t.Norm == "am" {
			return t.Norm
		}
		if t.Text == "-" || t.Norm == "us" || t.Norm == "eu" || t.Norm == "uk" || determiners[t.Norm] || t.Norm == "a" || t.Norm == "an" || t.Norm == "ein" || t.Norm == "einem" || t.Norm == "einer" {
			continue
		}
		if !t.Word {
			return ""
		}
		if t.Upper || !isAdjective(t.Norm) {
			return t.Norm
		}
	}
	return ""
}

// isAdjective guesses a German or English attributive adjective by its ending.
func isAdjective(w string) bool {
	for _, suf := range []string{"ischen", "ische", "ischer", "isches", "an", "ian", "ese", "ish", "en", "e", "er", "es", "em", "al"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}

// prevNorm is the normalised word before token i (hyphens skipped), or "".
func prevNorm(toks []token, i int) string {
	if k := prevWord(toks, i); k >= 0 {
		return toks[k].Norm
	}
	return ""
}

func prevWord(toks []token, i int) int {
	for k := i - 1; k >= 0; k-- {
		if toks[k].Text == "-" {
			continue
		}
		return k
	}
	return -1
}

// legalBases are the words that make a law the legal basis of an act:
// "nach § 7a BSIG", "gemäß Art. 23 NIS2", "auf Grundlage des …", "under section 5".
var legalBases = map[string]bool{"nach": true, "gemäß": true, "gemäss": true, "grundlage": true, "basis": true,
	"under": true, "pursuant": true, "aufgrund": true}

// legalBasis adds "invokes" from the acting body to a law cited as the
// legal basis of what it does.
func (d *doc) legalBasis(si int) {
	toks := d.sents[si].Tokens
	ms := d.ments[si]
	for _, m := range ms {
		if d.typeOf(m.id) != model.Law {
			continue
		}
		basis := false
		for k := m.start - 1; k >= 0 && k >= m.start-4; k-- {
			if legalBases[toks[k].Norm] {
				basis = true
				break
			}
		}
		if !basis {
			continue
		}
		for _, s := range ms {
			if s.end <= m.start && d.typeOf(s.id) == model.Agency && !passiveAgent[markerBefore(toks, s.start)] {
				d.addRelation(s.id, model.Invokes, m.id, si, 0.8)
				break
			}
		}
	}
}

// attributeMarkers open a participle attribute: "die vom DHS eingesetzte
// Kommission", "das beim DHS angesiedelte Gremium".
var attributeMarkers = map[string]bool{"von": true, "vom": true, "beim": true, "bei": true, "durch": true, "im": true}

// attributePhrase reports a mention inside a participle attribute, whose
// participle and noun follow it: such a mention is not the clause's subject.
func attributePhrase(toks []token, ms []mention, m mention) bool {
	if !attributeMarkers[markerBefore(toks, m.start)] {
		return false
	}
	for k := m.end; k < len(toks) && k <= m.end+3; k++ {
		t := toks[k]
		if !t.Word || t.Upper {
			continue
		}
		if participleAttr(t.Norm) && k+1 < len(toks) && (toks[k+1].Upper || startsMention(ms, k+1)) {
			return true
		}
	}
	return false
}

func participleAttr(w string) bool {
	for _, suf := range []string{"te", "ten", "tes", "ter", "ene", "enen", "enes", "ener"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+3 {
			return true
		}
	}
	return false
}

// negations before or right after a trigger turn it around: "nicht
// verklagt", "did not exploit", "was not caused by a flaw".
var negations = map[string]bool{"not": true, "nicht": true, "kein": true, "keine": true, "keinen": true, "never": true,
	"nie": true, "niemals": true, "no": true, "weder": true, "nor": true, "denied": true, "bestreitet": true,
	"bestritt": true, "dementiert": true, "dementierte": true, "n't": true, "without": true, "ohne": true}

func negated(toks []token, h triggerHit) bool {
	for k := max(0, h.start-3); k < len(toks) && k < h.end+2; k++ {
		if k >= h.start && k < h.end {
			continue
		}
		if negations[toks[k].Norm] {
			return true
		}
	}
	return false
}

// hasPassiveAux reports a participle trigger with an auxiliary of the
// passive shortly before it ("wurde … eingerichtet", "was fined").
func hasPassiveAux(toks []token, h triggerHit) bool {
	if h.tr.noun || !participle(toks[h.start].Norm) {
		return false
	}
	for k := h.start - 1; k >= 0 && k >= h.start-6; k-- {
		if passiveAux[toks[k].Norm] {
			return true
		}
		if toks[k].Text == "," {
			return false
		}
	}
	return false
}

// clauseBreak reports punctuation that ends a clause between two tokens.
func clauseBreak(toks []token, from, to int) bool {
	for k := from; k < to && k < len(toks); k++ {
		switch toks[k].Text {
		case ",":
			// "warnt, dass …", "warned that …": the object is in the clause that follows.
			if k+1 < len(toks) && (toks[k+1].Norm == "dass" || toks[k+1].Norm == "that" || toks[k+1].Norm == "ob") {
				continue
			}
			return true
		case ";", "–", "—":
			return true
		}
	}
	return false
}

// looksGerman guesses a sentence's language from function words, for
// articles whose language is unknown.
func looksGerman(toks []token) bool {
	de, en := 0, 0
	for _, t := range toks {
		switch t.Norm {
		case "der", "die", "das", "und", "nicht", "mit", "von", "ist", "hat", "den", "dem", "des", "auf", "für":
			de++
		case "the", "and", "of", "to", "is", "was", "with", "has", "for", "that", "by", "on":
			en++
		}
	}
	return de > en
}

// participle guesses a past participle: English -ed, German -t or ge…en.
func participle(w string) bool {
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "t") ||
		strings.HasPrefix(w, "ge") && strings.HasSuffix(w, "en") || strings.Contains(w, "ge") && strings.HasSuffix(w, "en") && len(w) > 8
}

// conjoined reports a coordinating conjunction between the trigger and a
// candidate object: "condemned the attack and said the government …" —
// the object of the first verb came before "and".
func conjoined(toks []token, from, to int) bool {
	for k := from; k < to && k < len(toks); k++ {
		switch toks[k].Norm {
		case "and", "und", "or", "oder", "but", "aber", "sowie":
			return true
		}
	}
	return false
}

// modifiesPerson reports a body named as part of a person's title: "White
// House press secretary Josh Earnest", "BSI-Präsidentin Claudia Plattner" —
// the person, not the body, is the one who acts.
func modifiesPerson(toks []token, ms []mention, mi int) bool {
	m := ms[mi]
	for k := mi + 1; k < len(ms) && ms[k].start-m.end <= 3; k++ {
		if model.TypeOfID(ms[k].id) != model.Person && !strings.HasPrefix(ms[k].id, "person:") {
			continue
		}
		for j := m.end; j < ms[k].start; j++ {
			if toks[j].Word && hasRoleWord(toks[j].Norm) {
				return true
			}
		}
	}
	// "BSI-Präsidentin": the role is the compound's second part.
	if m.end+1 < len(toks) && toks[m.end].Text == "-" && hasRoleWord(toks[m.end+1].Norm) {
		return true
	}
	return false
}

// objectFillers may stand between an English verb and its object.
var objectFillers = map[string]bool{"the": true, "a": true, "an": true, "its": true, "their": true, "his": true, "her": true,
	"us": true, "u.s": true, "uk": true, "eu": true, "german": true, "american": true, "british": true, "chinese": true,
	"russian": true, "of": true, "about": true, "'": true, "’": true, "s": true, "-": true, "both": true, "rival": true}

// closeObject reports whether an English object stands close enough to its
// verb: only articles, possessives and nationality words between, or, after
// "warned that …", a vulnerability, threat actor or incident in the clause.
func closeObject(toks []token, from, to int, pred model.Predicate, objType model.EntityType) bool {
	if from < len(toks) && (toks[from].Norm == "that" || toks[from].Norm == "of" && pred == model.WarnsAbout) {
		return objType == model.Vulnerability || objType == model.ThreatActor || objType == model.Incident
	}
	for k := from; k < to && k < len(toks); k++ {
		if !objectFillers[toks[k].Norm] && !(toks[k].Word && isAdjective(toks[k].Norm) && k == to-1) {
			return false
		}
	}
	return true
}

// possessiveOf reports a mention that only qualifies the next one: "the US
// Treasury Department's Office of Foreign Assets Control" — OFAC acts.
func possessiveOf(toks []token, ms []mention, mi int) bool {
	m := ms[mi]
	if mi+1 >= len(ms) || m.end+1 >= len(toks) {
		return false
	}
	apostrophe := toks[m.end].Text == "'" || toks[m.end].Text == "’"
	return apostrophe && toks[m.end+1].Norm == "s" && ms[mi+1].start-m.end <= 3
}

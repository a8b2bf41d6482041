package extract

import (
	"strings"
	"unicode"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Discovery finds entities that the gazetteer lacks, by their shape:
// persons (a known given name or a role before capitalised words), public
// bodies ("Bundesamt für …", "… Agency"), companies (a legal-form suffix) and
// vulnerabilities named after a product ("Exchange-Lücke", "Minecraft exploit").

// roleWords introduce a person's name: "BSI-Präsidentin Claudia Plattner",
// "CISA Director Jen Easterly", "researcher Ammar Askar". Matched as word endings.
var roleWords = []string{
	"präsident", "präsidentin", "chef", "chefin", "sprecher", "sprecherin", "minister", "ministerin",
	"abgeordneter", "abgeordnete", "direktor", "direktorin", "leiter", "leiterin", "forscher", "forscherin",
	"experte", "expertin", "vorsitzende", "vorsitzender", "staatssekretär", "staatssekretärin", "kanzler", "kanzlerin",
	"analyst", "analystin", "anwalt", "anwältin", "professor", "professorin", "gründer", "gründerin", "berichterstatter",
	"director", "researcher", "president", "ceo", "cto", "ciso", "cio", "spokesperson", "spokesman", "spokeswoman",
	"secretary", "senator", "commissioner", "founder", "chair", "chairman", "chairwoman", "analyst", "professor",
	"lawyer", "attorney", "engineer", "developer", "mep", "minister", "chancellor", "executive", "officer", "head", "whistleblower",
	"general", "deputy", "chief",
}

var vulnNouns = map[string]bool{
	"vulnerability": true, "vulnerabilities": true, "flaw": true, "flaws": true, "bug": true, "exploit": true,
	"sicherheitslücke": true, "sicherheitslücken": true, "schwachstelle": true, "schwachstellen": true, "lücke": true, "lücken": true,
}

// agencyHeads end English names of public bodies.
var agencyHeads = map[string]bool{"agency": true, "office": true, "commission": true, "board": true, "authority": true,
	"department": true, "ministry": true, "council": true, "committee": true, "bureau": true, "centre": true, "center": true,
	"directorate": true, "inspectorate": true}

// germanAgencyStarts begin German names of public bodies: "Bundesamt für Verfassungsschutz".
var germanAgencyStarts = map[string]bool{"bundesamt": true, "landesamt": true, "bundesministerium": true, "bundesanstalt": true,
	"landesanstalt": true, "bundesagentur": true, "ausschuss": true, "landesbeauftragte": true, "bundesbeauftragte": true}

var courtWords = map[string]bool{"landgericht": true, "oberlandesgericht": true, "amtsgericht": true, "verwaltungsgericht": true,
	"oberverwaltungsgericht": true, "staatsanwaltschaft": true, "generalstaatsanwaltschaft": true, "sozialgericht": true, "arbeitsgericht": true}

// legalForms end company names, written as companies write them.
var legalForms = map[string]bool{"AG": true, "GmbH": true, "SE": true, "Inc": true, "Corp": true, "Ltd": true, "LLC": true,
	"AB": true, "plc": true, "PLC": true, "KGaA": true, "SA": true, "S.A": true, "NV": true, "N.V": true, "BV": true, "B.V": true}

func hasRoleWord(w string) bool {
	for _, r := range roleWords {
		if w == r || strings.HasSuffix(w, r) && len(w) > len(r)+2 {
			return true
		}
	}
	return false
}

// nameToken is a capitalised word that can be part of a name.
func nameToken(t token) bool {
	if !t.Word || !t.Upper || len(t.Text) < 2 {
		return false
	}
	for _, r := range t.Text {
		if unicode.IsDigit(r) {
			return false
		}
	}
	return !isAbbreviation(t.Text) || len(t.Text) <= 1
}

// discover adds the shaped entities of one sentence to its mentions.
func (d *doc) discover(si int, ms []mention) []mention {
	s := d.sents[si]
	toks := s.Tokens
	taken := func(a, b int) bool { return overlaps(ms, a, b) }
	add := func(id string, typ model.EntityType, name string, a, b int) {
		d.discovered(id, typ, name)
		ms = append(ms, mention{id: id, sent: si, start: a, end: b, surface: s.Text[toks[a].Start:toks[b-1].End]})
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.Word || taken(i, i+1) {
			continue
		}
		// Persons: a given name, or a role word before two capitalised words
		// ("Director General Graeme Biggar": the role may take two words).
		given := d.x.gaz.givenNames[t.Text]
		role := i > 0 && hasRoleWord(prevNorm(toks, i)) && !hasRoleWord(t.Norm)
		if nameToken(t) && (given || role) {
			j := i + 1
			// A middle initial: "Kiran C. Nair".
			if j+1 < len(toks) && len(toks[j].Text) == 1 && unicode.IsUpper(rune(toks[j].Text[0])) && toks[j+1].Text == "." {
				j += 2
			}
			k := j
			for k < len(toks) && k < j+2 && nameToken(toks[k]) && !taken(k, k+1) && !d.x.gaz.givenNames[toks[k].Text] || k < len(toks) && k == j && isParticle(toks[k].Norm) {
				k++
			}
			if k > j && !d.x.gaz.Stopped(toks[k-1].Text) {
				full := s.Text[t.Start:toks[k-1].End]
				id := "person:" + slug(full)
				if g, ok := d.x.byNorm[normPhrase(full)]; ok {
					id = g
				}
				add(id, model.Person, full, i, k)
				d.surnames[normWord(toks[k-1].Text)] = id
				if role && i > 0 {
					d.roleOf(si, i, id, ms)
				}
				i = k - 1
				continue
			}
		}
		// Public bodies, German: "Bundesamt für Verfassungsschutz", "Landgericht München".
		if t.Upper && (germanAgencyStarts[stem(t.Norm)] || germanAgencyStarts[t.Norm] || courtWords[t.Norm]) {
			if end := germanBodyEnd(toks, i, courtWords[t.Norm], taken); end > i+1 && !taken(i, end) {
				name := s.Text[t.Start:toks[end-1].End]
				if st := stem(t.Norm); st != t.Norm && germanAgencyStarts[st] {
					// "des Ausschusses für …" is named in the nominative: "Ausschuss für …".
					name = t.Text[:len(st)] + s.Text[t.End:toks[end-1].End]
				}
				if id, ok := d.x.byNorm[normPhrase(name)]; ok {
					add(id, d.typeOf(id), name, i, end)
				} else {
					add("agency:"+slug(name), model.Agency, name, i, end)
				}
				i = end - 1
				continue
			}
		}
		// Public bodies, English: two or more capitalised words before a head
		// ("National Cyber Security Centre", "Federal Trade Commission").
		if nameToken(t) && !taken(i, i+1) {
			k := i
			for k < len(toks) && (nameToken(toks[k]) || toks[k].Norm == "of" || toks[k].Norm == "for" || toks[k].Norm == "and" || toks[k].Text == "-") && !taken(k, k+1) {
				if agencyHeads[toks[k].Norm] && k-i >= 2 {
					name := s.Text[t.Start:toks[k].End]
					first := toks[i].Norm
					if first != "the" && first != "a" && !d.x.gaz.Stopped(name) && publicBody(toks[i:k+1]) {
						add("agency:"+slug(name), model.Agency, name, i, k+1)
						i = k
					}
					break
				}
				k++
			}
			if i == k {
				continue
			}
		}
		// Companies named after a company noun: "der Energiekonzern
		// Vattenfall", "the security firm Volexity".
		if i > 0 && nameToken(t) && !taken(i, i+1) && !d.x.gaz.Stopped(t.Text) {
			if kind, ok := companyNoun(prevNorm(toks, i)); ok {
				k := i + 1
				for k < len(toks) && k < i+3 && nameToken(toks[k]) && !taken(k, k+1) && !germanNoun(toks[k]) {
					k++
				}
				name := s.Text[t.Start:toks[k-1].End]
				id := kind + ":" + slug(name)
				if g, ok := d.x.byNorm[normPhrase(name)]; ok {
					id = g
				}
				// The mention takes in the noun, so that "gegen den
				// Energiekonzern Vattenfall" marks the company as the object.
				d.discovered(id, d.typeOfOr(id, model.EntityType(kind)), name)
				from := prevWord(toks, i)
				ms = append(ms, mention{id: id, sent: si, start: from, end: k, surface: name})
				i = k - 1
				continue
			}
		}
		// Companies by legal form: "Mojang AB", "Zellis Ltd".
		// The name runs over up to three capitalised words before the legal
		// form; one that follows a known name or "of" ("Cisco Systems Inc",
		// "Bank of America Corp") belongs to that name, not to a new company.
		if nameToken(t) && !taken(i, i+1) && !(i > 0 && (taken(i-1, i) || connectors[toks[i-1].Norm])) {
			j := i
			for j+1 < len(toks) && j < i+2 && !legalForms[toks[j+1].Text] && nameToken(toks[j+1]) && !taken(j+1, j+2) {
				j++
			}
			if j+1 < len(toks) && legalForms[toks[j+1].Text] && !taken(j+1, j+2) {
				base := s.Text[t.Start:toks[j].End]
				id := "organization:" + slug(base)
				if g, ok := d.x.byNorm[normPhrase(base)]; ok {
					id = g
				}
				add(id, d.typeOfOr(id, model.Organization), s.Text[t.Start:toks[j+1].End], i, j+2)
				i = j + 1
				continue
			}
		}
	}
	ms = sortMentions(ms)
	ms = d.featureProducts(si, ms)
	ms = d.productVariants(si, ms)
	return d.namedVulnerabilities(si, ms)
}

// productVariants names a product that a capitalised modifier makes more
// specific: "Enhanced Safe Browsing" (part of Safe Browsing). Only in English
// running text: German capitalises every noun, and headlines every word.
func (d *doc) productVariants(si int, ms []mention) []mention {
	s := d.sents[si]
	if s.Paragraph < 0 || d.article.Language != "en" {
		return ms
	}
	toks := s.Tokens
	for k, m := range ms {
		if d.typeOf(m.id) != model.Product {
			continue
		}
		start := m.start - 1
		if start < 1 || !nameToken(toks[start]) || overlaps(ms, start, start+1) || !productModifier(toks[start].Norm) {
			continue
		}
		base := d.entity(m.id)
		name := s.Text[toks[start].Start:toks[m.start-1].End] + " " + base.Name
		id := "product:" + slug(name)
		if g, ok := d.x.byNorm[normPhrase(name)]; ok {
			id = g
		} else {
			d.discovered(id, model.Product, name)
		}
		ms[k] = mention{id: id, sent: si, start: start, end: m.end, surface: s.Text[toks[start].Start:toks[m.end-1].End]}
		d.addRelation(id, model.PartOf, m.id, si, 0.7)
	}
	return ms
}

func (d *doc) typeOfOr(id string, def model.EntityType) model.EntityType {
	if _, ok := d.x.gaz.Lookup(id); ok {
		return d.typeOf(id)
	}
	return def
}

func isParticle(w string) bool {
	return w == "von" || w == "van" || w == "de" || w == "der" && false || w == "zu"
}

// germanBodyEnd finds the end of "Bundesamt für Sicherheit in der
// Informationstechnik" or "Landgericht München": after "für"/"der"/"des" the
// name runs over capitalised nouns, adjectives and joining words.
func germanBodyEnd(toks []token, i int, court bool, taken func(a, b int) bool) int {
	j := i + 1
	if court {
		if j < len(toks) && nameToken(toks[j]) {
			j++
			if j < len(toks) && nameToken(toks[j]) && toks[j].Norm == "i" {
				j++
			}
		}
		return j
	}
	if j >= len(toks) || (toks[j].Norm != "für" && toks[j].Norm != "des" && toks[j].Norm != "der") {
		return i
	}
	j++
	end := i
	for j < len(toks) && !taken(j, j+1) {
		t := toks[j]
		if t.Norm == "für" {
			return end // a second "für" starts what the body does, not its name
		}
		switch {
		case t.Word && t.Upper:
			if germanAgencyStarts[t.Norm] || courtWords[t.Norm] {
				return end
			}
			j++
			end = j
		case (t.Norm == "und" || t.Norm == "die" || t.Norm == "das") && j+1 < len(toks) && determiners[toks[j+1].Norm]:
			return end
		case t.Norm == "und" || t.Norm == "in" || t.Norm == "der" || t.Norm == "die" || t.Norm == "das" || t.Norm == "für" || t.Text == "-":
			j++
		case t.Word && (strings.HasSuffix(t.Norm, "e") || strings.HasSuffix(t.Norm, "en") || strings.HasSuffix(t.Norm, "er") || strings.HasSuffix(t.Norm, "es")) && j+1 < len(toks) && toks[j+1].Upper:
			j++ // an adjective before a noun: "bürgerliche Freiheiten"
		case t.Text == "," && j+1 < len(toks) && toks[j+1].Upper && j+2 < len(toks) && (toks[j+2].Norm == "und" || toks[j+2].Text == ","):
			j++ // an enumeration inside the name: "Freiheiten, Justiz und Inneres"
		default:
			return end
		}
	}
	return end
}

// roleOf links a person named after a role word to the body in that word
// ("BSI-Präsidentin Claudia Plattner") or named right before it ("CISA
// Director Jen Easterly").
func (d *doc) roleOf(si, i int, person string, ms []mention) {
	toks := d.sents[si].Tokens
	rw := prevWord(toks, i)
	// The compound's first part, or the word before the role: a mention ending there.
	for k := rw - 1; k >= 0 && k >= rw-2; k-- {
		if toks[k].Text == "-" {
			continue
		}
		for _, m := range ms {
			if m.end == k+1 {
				ty := d.typeOf(m.id)
				if ty == model.Agency || ty == model.Vendor || ty == model.Organization {
					d.addRelation(person, model.PartOf, m.id, si, 0.8)
				}
				return
			}
		}
		return
	}
}

// namedVulnerabilities names a vulnerability after the product it is in:
// "Exchange-Lücke", "Minecraft NBT vulnerability", "a flaw in X" is left to
// CVE ids. The product is affected by it.
func (d *doc) namedVulnerabilities(si int, ms []mention) []mention {
	toks := d.sents[si].Tokens
	var out []mention
	for _, m := range ms {
		ty := d.typeOf(m.id)
		if ty != model.Product {
			continue
		}
		// "a critical flaw in FortiOS, tracked as CVE-2024-21762": with one
		// CVE id in the sentence, the product is affected by that one.
		if d.hasCVE {
			if cve := soleCVE(ms); cve != "" && vulnInBefore(toks, m.start) {
				d.addRelation(m.id, model.AffectedBy, cve, si, 0.75)
			}
			continue
		}
		// "a flaw in the popular game Minecraft", "eine Lücke in Exchange".
		for k := m.start - 1; k >= 0 && k >= m.start-7; k-- {
			if toks[k].Norm == "in" && k > 0 && vulnNouns[prevNorm(toks, k)] {
				v := prevWord(toks, k)
				if overlaps(ms, v, v+1) || negatedBefore(toks, v, 5) {
					break
				}
				id := d.productVulnerability(m.id)
				out = append(out, mention{id: id, sent: si, start: v, end: v + 1, surface: toks[v].Text})
				d.addRelation(m.id, model.AffectedBy, id, si, 0.8)
				break
			}
			if !toks[k].Word {
				break
			}
		}
		if d.hasCVE {
			continue // CVE ids name vulnerabilities better than products do
		}
		j := m.end
		for j < len(toks) && toks[j].Text == "-" {
			j++
		}
		extra := j
		if j < len(toks) && nameToken(toks[j]) && !vulnNouns[toks[j].Norm] && j+1 < len(toks) && vulnNouns[toks[j+1].Norm] {
			j++
		}
		for j < len(toks) && toks[j].Text == "-" {
			j++
		}
		if j >= len(toks) || !vulnNouns[toks[j].Norm] || overlaps(ms, extra, j+1) {
			continue
		}
		id := d.productVulnerability(m.id)
		if v := d.entities[id]; v != nil {
			v.Aliases = appendUnique(v.Aliases, d.sents[si].Text[toks[m.start].Start:toks[j].End])
		}
		out = append(out, mention{id: id, sent: si, start: extra, end: j + 1, surface: d.sents[si].Text[toks[extra].Start:toks[j].End]})
		d.addRelation(m.id, model.AffectedBy, id, si, 0.8)
	}
	if len(out) == 0 {
		return ms
	}
	return sortMentions(append(ms, out...))
}

// surnameMentions finds later mentions of discovered persons by surname alone ("Askar said").
func (d *doc) surnameMentions() {
	if len(d.surnames) == 0 {
		return
	}
	for si, s := range d.sents {
		for i, t := range s.Tokens {
			if !t.Word || !t.Upper {
				continue
			}
			id, ok := d.surnames[normWord(strings.TrimSuffix(strings.TrimSuffix(t.Text, "s"), "’"))]
			if !ok {
				id, ok = d.surnames[t.Norm]
			}
			if !ok || inMention(d.ments[si], i) {
				continue
			}
			d.ments[si] = sortMentions(append(d.ments[si], mention{id: id, sent: si, start: i, end: i + 1, surface: t.Text}))
		}
	}
}

// productVulnerability is the vulnerability named after a product, when no CVE id names it.
func (d *doc) productVulnerability(product string) string {
	e := d.entity(product)
	id := "vulnerability:" + slug(strings.TrimPrefix(product, "product:")) + "-vulnerability"
	if _, ok := d.entities[id]; !ok {
		d.discovered(id, model.Vulnerability, e.Name+" vulnerability")
		d.entities[id].Aliases = []string{e.Name + " exploit", e.Name + " flaw"}
	}
	return id
}

// productModifiers make a product name more specific ("Enhanced Safe
// Browsing", "Advanced Threat Protection").
var productModifiers = map[string]bool{"standard": true, "premium": true, "enterprise": true, "pro": true, "basic": true,
	"secure": true, "smart": true, "private": true, "personal": true, "business": true, "mobile": true, "extended": true,
	"enhanced": true, "advanced": true, "managed": true, "protected": true, "hosted": true, "embedded": true}

func productModifier(w string) bool {
	return productModifiers[w]
}

// negatedBefore reports a negation within n tokens before token i.
func negatedBefore(toks []token, i, n int) bool {
	for k := i - 1; k >= 0 && k >= i-n; k-- {
		if negations[toks[k].Norm] {
			return true
		}
	}
	return false
}

// featureWords name the interface features that articles refer to by a
// capitalised or quoted name: the "Like" button, the Share buttons.
var featureWords = map[string]string{"button": "button", "buttons": "button", "schaltfläche": "Schaltfläche", "knopf": "Knopf"}

// featureProducts finds features named by a capitalised or quoted word
// before a feature noun ("Like" button → product "Like button"), made by the
// vendor the sentence names as its owner ("Facebook's", or the only vendor).
func (d *doc) featureProducts(si int, ms []mention) []mention {
	s := d.sents[si]
	toks := s.Tokens
	for i, t := range toks {
		head, ok := featureWords[t.Norm]
		if !ok || i == 0 {
			continue
		}
		end := i // the name ends before the feature noun, after an optional closing quote
		k := i - 1
		quoted := false
		if strings.ContainsAny(toks[k].Text, "\"“”»«'’") {
			quoted, k = true, k-1
		}
		start := k
		for start >= 0 && k-start < 3 && nameToken(toks[start]) && !overlaps(ms, start, start+1) {
			start--
		}
		start++
		if start > k || (!quoted && k-start > 0) || start == 0 && !quoted {
			continue
		}
		if quoted && (start == 0 || !strings.ContainsAny(toks[start-1].Text, "\"“”»«'‘")) {
			continue
		}
		name := s.Text[toks[start].Start:toks[k].End] + " " + head
		id := "product:" + slug(name)
		if g, ok := d.x.byNorm[normPhrase(name)]; ok {
			id = g
		} else {
			d.discovered(id, model.Product, name)
		}
		from := start
		if quoted {
			from = start - 1
		}
		ms = append(ms, mention{id: id, sent: si, start: from, end: end + 1, surface: s.Text[toks[from].Start:toks[end].End]})
		// The owner: a possessive vendor right before ("Facebook's"), else the only vendor of the sentence.
		owner, vendors := "", map[string]bool{}
		for _, m := range ms {
			if d.typeOf(m.id) != model.Vendor {
				continue
			}
			vendors[m.id] = true
			if m.end <= from && from-m.end <= 2 && (strings.HasSuffix(m.surface, "s") || m.end < len(toks) && (toks[m.end].Text == "'" || toks[m.end].Text == "’")) {
				owner = m.id
			}
		}
		if owner == "" && len(vendors) == 1 {
			for v := range vendors {
				owner = v
			}
		}
		if owner != "" {
			d.addRelation(id, model.MadeBy, owner, si, 0.6)
		}
	}
	return sortMentions(ms)
}

// soleCVE is the one CVE id among a sentence's mentions, or "".
func soleCVE(ms []mention) string {
	cve := ""
	for _, m := range ms {
		if strings.HasPrefix(m.id, "vulnerability:cve-") {
			if cve != "" && cve != m.id {
				return ""
			}
			cve = m.id
		}
	}
	return cve
}

// vulnInBefore reports "flaw/vulnerability/Lücke in …" right before token i
// (possibly with a vendor's possessive between: "a flaw in Fortinet's FortiOS").
func vulnInBefore(toks []token, i int) bool {
	for k := i - 1; k >= 1 && k >= i-5; k-- {
		if toks[k].Norm == "in" && vulnNouns[prevNorm(toks, k)] {
			return true
		}
	}
	return false
}

// publicSectorWords mark a name as a public body's: "Congressional Budget
// Office", "Federal Trade Commission", "Food Standards Agency".
var publicSectorWords = map[string]bool{"national": true, "federal": true, "state": true, "european": true, "international": true,
	"congressional": true, "government": true, "governmental": true, "defense": true, "defence": true, "police": true,
	"environmental": true, "environment": true, "food": true, "drug": true, "patent": true, "trademark": true, "space": true,
	"cyber": true, "cybersecurity": true, "security": true, "intelligence": true, "protection": true, "public": true,
	"royal": true, "parliamentary": true, "us": true, "u.s": true, "uk": true, "eu": true, "competition": true, "markets": true,
	"trade": true, "communications": true, "justice": true, "homeland": true, "standards": true, "budget": true, "audit": true,
	"accountability": true, "statistics": true, "census": true, "election": true, "electoral": true, "regulatory": true,
	"consumer": true, "financial": true, "monetary": true, "treasury": true, "interior": true, "foreign": true, "affairs": true,
	"health": true, "energy": true, "transportation": true, "aviation": true, "maritime": true, "telecommunications": true,
	"information": true, "data": true, "privacy": true, "crime": true, "investigation": true, "investigations": true,
	"emergency": true, "infrastructure": true, "house": true, "senate": true, "select": true, "joint": true, "standing": true, "legislative": true, "safety": true, "exchange": true, "securities": true, "revenue": true, "tax": false}

// privateWords mark names that end like a public body's but are not one.
var privateWords = map[string]bool{"news": true, "music": true, "cultural": true, "culture": true, "arts": true, "tourism": true,
	"travel": true, "university": true, "college": true, "hospital": true, "museum": true, "church": true, "club": true,
	"foundation": true, "institute": true, "business": true, "letter": true, "shopping": true, "medical": true, "stewardship": true}

// publicBody accepts an English name ending in a public body's head word
// only when it also carries a public-sector word and no private one.
func publicBody(toks []token) bool {
	head := toks[len(toks)-1].Norm
	public := head == "ministry" || head == "directorate" || head == "inspectorate"
	for _, t := range toks[:len(toks)-1] {
		if privateWords[t.Norm] {
			return false
		}
		if publicSectorWords[t.Norm] {
			public = true
		}
	}
	return public
}

// companyNoun tells whether a word is a noun that introduces a company's
// name, and which type the company gets: IT companies are vendors.
func companyNoun(w string) (string, bool) {
	for _, it := range []string{"softwarekonzern", "softwarehersteller", "techkonzern", "technologiekonzern", "it-dienstleister",
		"dienstleister", "sicherheitsfirma", "cloud-anbieter", "cloudanbieter", "chiphersteller", "antivirenhersteller"} {
		if w == it {
			return string(model.Vendor), true
		}
	}
	// German: only compounds ("Energiekonzern Vattenfall"); after a bare
	// "dem Konzern" a common noun follows as often as a name ("dem Konzern
	// Angaben machen").
	for _, suf := range []string{"konzern", "unternehmen", "hersteller", "firma", "anbieter", "betreiber", "versorger"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+3 {
			return string(model.Organization), true
		}
	}
	switch w {
	case "vendor", "provider", "firm", "company", "maker":
		// English capitalises names only: "the security firm Volexity".
		if w == "vendor" || w == "provider" {
			return string(model.Vendor), true
		}
		return string(model.Organization), true
	}
	return "", false
}

// germanNoun guesses a capitalised German common noun that ends a name
// ("Vattenfall Kunden"): long words with typical noun endings.
func germanNoun(t token) bool {
	for _, suf := range []string{"ung", "heit", "keit", "schaft", "tion", "daten", "kunden"} {
		if strings.HasSuffix(t.Norm, suf) {
			return true
		}
	}
	return false
}

// connectors join a name's words ("Bank of America", "AT&T", "Procter & Gamble").
var connectors = map[string]bool{"of": true, "&": true, "and": true, "und": true, "for": true, "de": true}

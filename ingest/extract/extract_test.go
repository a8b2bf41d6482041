package extract

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// testExtractor reads the small test gazetteer in testdata.
func testExtractor(t testing.TB) *Extractor {
	t.Helper()
	entries, lists, err := LoadGazetteer(os.DirFS("testdata"), ".")
	if err != nil {
		t.Fatal(err)
	}
	return New(NewGazetteer(entries, lists), Options{})
}

func extractText(t testing.TB, x *Extractor, title, text string) model.Document {
	t.Helper()
	d, err := x.Extract(context.Background(), model.Article{Title: title, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func entityIDs(d model.Document) []string {
	var ids []string
	for _, e := range d.Entities {
		ids = append(ids, e.ID)
	}
	return ids
}

func relationKeys(d model.Document) []string {
	var out []string
	for _, r := range d.Relations {
		out = append(out, r.Subject+" "+string(r.Predicate)+" "+r.Object)
	}
	return out
}

func TestEntities(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name    string
		text    string
		want    []string
		notWant []string
	}{
		{"long form and abbreviation are one entity", "Das Bundesamt für Sicherheit in der Informationstechnik (BSI) warnt.", []string{"agency:bsi"}, nil},
		{"German genitive", "Die Kritik des Cyber Security Review Boards und Microsofts Antwort.", []string{"agency:csrb", "vendor:microsoft"}, nil},
		{"abbreviations keep their case", "Die bsi-Werte und dhs sind keine Behörden.", nil, []string{"agency:bsi", "agency:dhs"}},
		{"hyphen compounds", "Die Microsoft-Cloud und der BSI-Präsident.", []string{"agency:bsi"}, nil},
		{"CVE ids", "Angreifer nutzten CVE-2023-23397 aus.", []string{"vulnerability:cve-2023-23397"}, nil},
		{"threat actor shapes", "Forest Blizzard and Volt Typhoon were named, as was APT 28.", []string{"threat_actor:forest-blizzard", "threat_actor:volt-typhoon", "threat_actor:apt28"}, nil},
		{"gazetteer threat actor", "Die Gruppe Storm-0558 stahl einen Schlüssel.", []string{"threat_actor:storm-0558"}, nil},
		{"stop list", "Die Behörde schweigt.", nil, []string{"agency:bsi"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := extractText(t, x, "", tc.text)
			got := entityIDs(d)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("unexpected %s in %v", w, got)
				}
			}
		})
	}
}

func TestLawCitations(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		text string
		id   string
		name string
	}{
		{"Das BSI stützt sich auf § 7a BSIG.", "law:bsig-7a", "§ 7a BSIG"},
		{"Das BSI griff zu Paragraf 7a des BSI-Gesetzes.", "law:bsig-7a", "§ 7a BSIG"},
		{"Grundlage ist § 7a Abs. 1 BSIG.", "law:bsig-7a", "§ 7a BSIG"},
		{"Grundlage ist BSIG § 8b.", "law:bsig-8b", "§ 8b BSIG"},
		{"Meldepflichten regelt Art. 23 NIS2.", "law:nis2-art23", "Art. 23 NIS2"},
		{"Meldepflichten regelt Art. 23 der EU-Richtlinie 2022/2555.", "law:nis2-art23", "Art. 23 NIS2"},
		{"Meldepflichten regelt Artikel 23 der NIS-2-Richtlinie.", "law:nis2-art23", "Art. 23 NIS2"},
		{"The agency relied on Section 7a of the BSI Act.", "law:bsig-7a", "§ 7a BSIG"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			d := extractText(t, x, "", tc.text)
			e, ok := d.Entity(tc.id)
			if !ok {
				t.Fatalf("no %s in %v", tc.id, entityIDs(d))
			}
			if e.Name != tc.name || e.Type != model.Law {
				t.Errorf("got %s %q, want law %q", e.Type, e.Name, tc.name)
			}
			parent := tc.id[:strings.LastIndex(tc.id, "-")]
			if !slices.Contains(relationKeys(d), tc.id+" part_of "+parent) {
				t.Errorf("no part_of %s in %v", parent, relationKeys(d))
			}
		})
	}
	// A section cited without its law belongs to the law cited just before.
	d := extractText(t, x, "", "In Paragraf 7 des BSI-Gesetzes geht es um Warnungen. Paragraf 7a regelt die Untersuchung.")
	if _, ok := d.Entity("law:bsig-7a"); !ok {
		t.Errorf("section without law: got %v", entityIDs(d))
	}
}

func TestRelations(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name    string
		text    string
		want    []string
		notWant []string
	}{
		{"German active", "Das BSI verklagt Microsoft.", []string{"agency:bsi sues vendor:microsoft"}, nil},
		{"German inversion", "Gegen Microsoft hat das BSI ein Verfahren eingeleitet.", []string{"agency:bsi sues vendor:microsoft"}, []string{"vendor:microsoft sues agency:bsi"}},
		{"German passive", "Microsoft wurde vom BSI verklagt.", []string{"agency:bsi sues vendor:microsoft"}, []string{"vendor:microsoft sues agency:bsi"}},
		{"legal basis", "Das BSI verlangte nach § 7a BSIG Auskunft von Microsoft.", []string{"agency:bsi invokes law:bsig-7a"}, nil},
		{"participle attribute", "Die vom DHS eingesetzte Untersuchungskommission kritisierte Microsoft. Der Cyber Safety Review Board tagte.",
			[]string{"agency:dhs established agency:csrb", "agency:csrb criticizes vendor:microsoft"}, []string{"agency:dhs criticizes vendor:microsoft"}},
		{"English passive", "Microsoft was criticized by the Cyber Safety Review Board.", []string{"agency:csrb criticizes vendor:microsoft"}, []string{"vendor:microsoft criticizes agency:csrb"}},
		{"English active", "CISA warned about Storm-0558.", []string{"agency:cisa warns_about threat_actor:storm-0558"}, nil},
		{"attribution", "The Microsoft key theft was attributed to Storm-0558.", []string{"incident:storm-0558-key-theft attributed_to threat_actor:storm-0558"}, nil},
		{"relative clause", "Das BSI verwies auf den Cyber Safety Review Board, dessen Einschätzung das BSI teile.", []string{"agency:bsi agrees_with agency:csrb"}, []string{"agency:csrb agrees_with agency:bsi"}},
		{"type constraints", "Microsoft verklagt Exchange Online.", nil, []string{"vendor:microsoft sues product:exchange-online"}},
		{"no trigger no edge", "Das BSI und Microsoft trafen sich in Bonn.", nil, []string{"agency:bsi sues vendor:microsoft"}},
		{"negation", "Das BSI hat Microsoft nicht verklagt.", nil, []string{"agency:bsi sues vendor:microsoft"}},
		{"English negation", "CISA did not criticize Microsoft.", nil, []string{"agency:cisa criticizes vendor:microsoft"}},
		{"passive without agent", "Der Cyber Safety Review Board wurde beim DHS angesiedelt und 2022 eingerichtet.", nil, []string{"agency:csrb established agency:dhs"}},
		{"English reduced relative", "The Cyber Safety Review Board met again. The board, established by the Department of Homeland Security, criticized Microsoft.", []string{"agency:dhs established agency:csrb", "agency:csrb criticizes vendor:microsoft"}, []string{"agency:csrb established agency:dhs", "agency:dhs criticizes vendor:microsoft"}},
		{"English has no verb-second subject", "It said it was working with CrowdStrike and with Microsoft.", nil, []string{"vendor:crowdstrike cooperates_with vendor:microsoft"}},
		{"split German verb", "Das BSI wirft Microsoft schwere Versäumnisse vor.", []string{"agency:bsi criticizes vendor:microsoft"}, nil},
		{"split English trigger", "Investigators attributed the Microsoft key theft to Storm-0558.", []string{"incident:storm-0558-key-theft attributed_to threat_actor:storm-0558"}, nil},
		{"German passive attribution", "Der Diebstahl des Master-Keys wird Storm-0558 zugeschrieben.", []string{"incident:storm-0558-key-theft attributed_to threat_actor:storm-0558"}, nil},
		{"English object stays close", "The Treasury sanctioned two Russian nationals for their roles in Storm-0558 attacks.", nil, []string{"agency:treasury sanctions threat_actor:storm-0558"}},
		{"possessive body does not act", "The Department of Homeland Security's Cyber Safety Review Board criticized Microsoft.", []string{"agency:csrb criticizes vendor:microsoft"}, []string{"agency:dhs criticizes vendor:microsoft"}},
		{"warning about what the clause names", "CISA warned that attackers were exploiting a flaw in Microsoft's Exchange Online, tracked as CVE-2023-23397.", []string{"agency:cisa warns_about vulnerability:cve-2023-23397", "product:exchange-online affected_by vulnerability:cve-2023-23397"}, []string{"agency:cisa warns_about vendor:microsoft"}},
		{"object across a dass clause", "Das BSI warnt, dass Storm-0558 weiter aktiv sei.", []string{"agency:bsi warns_about threat_actor:storm-0558"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := extractText(t, x, "", tc.text)
			got := relationKeys(d)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %v", w, got)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("unexpected %q in %v", w, got)
				}
			}
			for _, r := range d.Relations {
				if r.Evidence == "" || r.Confidence <= 0 || r.Confidence > 1 {
					t.Errorf("relation %v lacks evidence or confidence", r)
				}
			}
		})
	}
}

func TestStatements(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name    string
		text    string
		speaker string
		quote   string
		none    bool
	}{
		{"spokesperson of a body", "„Wir haben die Antworten von Microsoft sorgfältig geprüft“, sagte ein Sprecher des BSI.", "agency:bsi", "Wir haben die Antworten von Microsoft sorgfältig geprüft", false},
		{"compound spokesperson", "„Die Prüfung dauert noch einige Wochen an“, erklärte ein BSI-Sprecher.", "agency:bsi", "Die Prüfung dauert noch einige Wochen an", false},
		{"named person", "\"We expect more transparency from every cloud provider,\" said Claudia Plattner.", "person:claudia-plattner", "We expect more transparency from every cloud provider", false},
		{"guillemets", "»Das ist ein ernster Vorfall für alle Kunden«, so Claudia Plattner.", "person:claudia-plattner", "Das ist ein ernster Vorfall für alle Kunden", false},
		{"a quoted term is no statement", "Die Norm regelt die \"Untersuchung der Sicherheit in der Informationstechnik\" im Detail.", "", "", true},
		{"no speech verb no statement", "Der Bericht nennt das \"eine Kaskade von Sicherheitsfehlern bei Microsoft\" und mehr.", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := extractText(t, x, "", tc.text)
			if tc.none {
				if len(d.Statements) != 0 {
					t.Fatalf("want no statement, got %+v", d.Statements)
				}
				return
			}
			if len(d.Statements) != 1 {
				t.Fatalf("want 1 statement, got %+v", d.Statements)
			}
			s := d.Statements[0]
			if s.Speaker != tc.speaker || s.Text != tc.quote {
				t.Errorf("got %s: %q, want %s: %q", s.Speaker, s.Text, tc.speaker, tc.quote)
			}
		})
	}
	// A quotation continued in the next sentence keeps its speaker, and a
	// pronoun refers to the last speaker.
	d := extractText(t, x, "", "„Wir fordern seit Monaten klare Antworten vom Hersteller“, sagte ein Sprecher des BSI. „Bisher kamen sie nur sehr zögerlich bei uns an.“\n\n„Andere Anbieter sind da deutlich weiter“, sagte er.")
	if len(d.Statements) != 3 {
		t.Fatalf("want 3 statements, got %+v", d.Statements)
	}
	for _, s := range d.Statements {
		if s.Speaker != "agency:bsi" {
			t.Errorf("%q: speaker %q, want agency:bsi", s.Text, s.Speaker)
		}
	}
}

func TestSentenceSplitting(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"Das BSI verlangt z. B. Auskunft nach § 7a Abs. 1 BSIG. Microsoft schweigt.", 2},
		{"Am 19. Juli 2024 fielen Rechner aus. Die Ursache war ein Update.", 2},
		{"„Das ist ernst. Wir prüfen das“, sagte er. Dann ging er.", 2},
		{"Version 2.5 ist da. Dr. Müller prüft sie.", 2},
		{"Is it safe? Nobody knows! Really.", 3},
	}
	for _, tc := range tests {
		if got := splitSentences(tc.in); len(got) != tc.want {
			t.Errorf("%q: got %d sentences %q, want %d", tc.in, len(got), got, tc.want)
		}
	}
}

func TestGazetteerErrors(t *testing.T) {
	tests := []struct{ name, line string }{
		{"too few columns", "agency:x\tagency\n"},
		{"bad id", "Agency:X\tagency\tX\n"},
		{"unknown type", "thing:x\tthing\tX\n"},
		{"type mismatch", "vendor:x\tagency\tX\n"},
		{"bad attribute", "agency:x\tagency\tX\t\t\tpart_of\n"},
	}
	for _, tc := range tests {
		if _, err := ParseGazetteer(strings.NewReader(tc.line), "t.tsv"); err == nil {
			t.Errorf("%s: no error", tc.name)
		} else if !strings.Contains(err.Error(), "t.tsv:1") {
			t.Errorf("%s: error %q does not say where", tc.name, err)
		}
	}
}

func TestUserEntriesExtendBuiltIn(t *testing.T) {
	base, _ := ParseGazetteer(strings.NewReader("agency:bsi\tagency\tBSI\tBundesamt für Sicherheit in der Informationstechnik\n"), "a.tsv")
	user, _ := ParseGazetteer(strings.NewReader("agency:bsi\tagency\tBSI\tdas Cyber-Amt\n"), "b.tsv")
	x := New(NewGazetteer(append(base, user...), Lists{}), Options{})
	d := extractText(t, x, "", "Das Cyber-Amt warnt.")
	if _, ok := d.Entity("agency:bsi"); !ok {
		t.Fatalf("user alias not matched: %v", entityIDs(d))
	}
}

func FuzzExtract(f *testing.F) {
	x := testExtractor(f)
	for _, s := range []string{"„Das BSI verklagt Microsoft nach § 7a BSIG“, sagte er.", "Art. 23", "§§", "\"", "CVE-2024-1 APT 1", "»«„“"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := x.Extract(context.Background(), model.Article{Title: text, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range d.Relations {
			if _, ok := d.Entity(r.Subject); !ok {
				t.Fatalf("relation subject %s is not an entity", r.Subject)
			}
			if _, ok := d.Entity(r.Object); !ok {
				t.Fatalf("relation object %s is not an entity", r.Object)
			}
		}
	})
}

func TestDiscovery(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name string
		text string
		want map[string]model.EntityType
		rel  []string
	}{
		{"given name", "Patrick Breyer kritisierte den Entwurf. Breyer sagte mehr.", map[string]model.EntityType{"person:patrick-breyer": model.Person}, nil},
		{"role before unknown name", "BSI-Präsidentin Claudia Plattner und Sicherheitsforscher Ilja Schubert sprachen.", map[string]model.EntityType{"person:claudia-plattner": model.Person, "person:ilja-schubert": model.Person}, []string{"person:claudia-plattner part_of agency:bsi"}},
		{"German body", "Das Bundesamt für Verfassungsschutz und das Landgericht München ermitteln.", map[string]model.EntityType{"agency:bundesamt-fuer-verfassungsschutz": model.Agency, "agency:landgericht-muenchen": model.Agency}, nil},
		{"committee with enumeration", "Der Ausschuss für bürgerliche Freiheiten, Justiz und Inneres tagte.", map[string]model.EntityType{"agency:ausschuss-fuer-buergerliche-freiheiten-justiz-und-inneres": model.Agency}, nil},
		{"English body", "The Federal Trade Commission opened a case.", map[string]model.EntityType{"agency:federal-trade-commission": model.Agency}, nil},
		{"a music center is no public body", "The band played at the Blossom Music Center in Ohio.", map[string]model.EntityType{}, nil},
		{"company after a company noun", "Die Aufsicht hat gegen den Energiekonzern Vattenfall ein Bußgeld verhängt.", map[string]model.EntityType{"organization:vattenfall": model.Organization}, nil},
		{"company by legal form", "Zellis Ltd said payroll data was taken.", map[string]model.EntityType{"organization:zellis": model.Organization}, nil},
		{"quoted feature", "Every page with a \"Like\" button sends a request to Microsoft's servers, even Microsoft’s \"Share\" buttons do.", map[string]model.EntityType{"product:like-button": model.Product, "product:share-button": model.Product}, []string{"product:share-button made_by vendor:microsoft"}},
		{"vulnerability named after a product", "Eine Exchange-Online-Lücke wurde bekannt.", map[string]model.EntityType{"vulnerability:exchange-online-vulnerability": model.Vulnerability}, []string{"product:exchange-online affected_by vulnerability:exchange-online-vulnerability"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := extractText(t, x, "", tc.text)
			if len(tc.want) == 0 {
				for _, e := range d.Entities {
					if e.Type == model.Agency {
						t.Errorf("unexpected agency %s", e.ID)
					}
				}
			}
			for id, ty := range tc.want {
				e, ok := d.Entity(id)
				if !ok {
					t.Errorf("missing %s in %v", id, entityIDs(d))
					continue
				}
				if e.Type != ty {
					t.Errorf("%s: type %s, want %s", id, e.Type, ty)
				}
			}
			for _, r := range tc.rel {
				if !slices.Contains(relationKeys(d), r) {
					t.Errorf("missing relation %q in %v", r, relationKeys(d))
				}
			}
		})
	}
}

func TestReportedSpeech(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name, text, speaker, contains string
	}{
		{"Konjunktiv before the attribution", "Die Angaben von Microsoft seien bisher nicht zufriedenstellend, sagte ein Sprecher des BSI.", "agency:bsi", "Die Angaben von Microsoft seien bisher nicht zufriedenstellend"},
		{"Konjunktiv after the attribution", "Claudia Plattner erklärte, das BSI prüfe die Antworten des Konzerns sehr genau.", "person:claudia-plattner", "das BSI prüfe die Antworten des Konzerns sehr genau"},
		{"according to", "According to CISA, the attackers had access to the systems for several weeks.", "agency:cisa", "the attackers had access to the systems for several weeks"},
		{"said that", "Jen Easterly said that federal agencies must patch the flaw within two days.", "person:jen-easterly", "federal agencies must patch the flaw within two days"},
		{"the speaker before said that", "The Cyber Safety Review Board said that Microsoft still does not know how the key was stolen.", "agency:csrb", "Microsoft still does not know how the key was stolen"},
		{"according to an unnamed source: not the actor named in the claim", "According to the agencies, Storm-0558 had access to the mailboxes for about a month.", "", ""},
		{"abbreviation of a body named before", "Das Landeskriminalamt Niedersachsen ermittelt. Ein Sprecher des LKA sagte, man prüfe die Echtheit des Schreibens.", "agency:lka-niedersachsen", "man prüfe die Echtheit des Schreibens"},
		{"indicative is a fact, not a statement", "Das BSI nutzt seit 2023 seine Befugnisse, sagte ein Sprecher.", "", ""},
		{"English so that is no attribution", "The protocol is designed so that Google cannot see the visited address at all.", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := extractText(t, x, "", tc.text)
			if tc.contains == "" {
				if len(d.Statements) != 0 {
					t.Fatalf("want none, got %+v", d.Statements)
				}
				return
			}
			if len(d.Statements) != 1 {
				t.Fatalf("want 1 statement, got %+v", d.Statements)
			}
			st := d.Statements[0]
			if st.Speaker != tc.speaker || !strings.Contains(st.Text, tc.contains) {
				t.Errorf("got %s: %q", st.Speaker, st.Text)
			}
		})
	}
}

// TestNoPanicOnOddTokens keeps texts that once crashed the extractor: a name
// whose only predecessors are hyphens.
func TestNoPanicOnOddTokens(t *testing.T) {
	x := testExtractor(t)
	for _, text := range []string{"- Claudia Plattner", "-- Director - Jen Easterly", "– „", "Paragraf", "§ 7a", "(DHS) (DHS)"} {
		extractText(t, x, text, text)
	}
}

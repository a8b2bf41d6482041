package search

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// The fixtures are short reports written for these tests about real events.

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	docBSI = model.Document{
		Article: model.Article{
			URL:         "https://www.heise.de/news/bsi-microsoft-cloud-test.html",
			Title:       "BSI prüft Schutz von Cloud-Daten bei Microsoft",
			Description: "Nach dem Diebstahl eines Signaturschlüssels rückt die Verschlüsselung in Microsofts Cloud in den Blick.",
			Language:    "de",
			Site:        "heise online",
			Published:   date("2023-07-20T14:30:00+02:00"),
			Text: "Das BSI-Gesetz erlaubt dem Bundesamt für Sicherheit in der Informationstechnik in § 7a, " +
				"IT-Produkte zu untersuchen und von Herstellern die dafür nötigen Auskünfte zu verlangen.\n\n" +
				"Die Angreifergruppe Storm-0558 hatte sich mit einem gestohlenen Signaturschlüssel Zugang " +
				"zu E-Mail-Konten in Exchange Online verschafft.\n\n" +
				"Für besonders schutzbedürftige Daten bietet Microsoft Double Key Encryption an: " +
				"Der Kunde verwahrt einen zweiten Schlüssel selbst, ohne den die Daten nicht zu entschlüsseln sind.",
		},
		Entities: []model.Entity{
			{ID: "agency:bsi", Type: model.Agency, Name: "BSI"},
			{ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"},
			{ID: "law:bsig-7a", Type: model.Law, Name: "§ 7a BSIG"},
			{ID: "threat_actor:storm-0558", Type: model.ThreatActor, Name: "Storm-0558"},
			{ID: "product:double-key-encryption", Type: model.Product, Name: "Double Key Encryption"},
			{ID: "product:exchange-online", Type: model.Product, Name: "Exchange Online"},
		},
	}

	docCrowdStrikeDE = model.Document{
		Article: model.Article{
			URL:       "https://www.golem.de/news/crowdstrike-update-windows-ausfall.html",
			Title:     "Fehlerhaftes CrowdStrike-Update legt Windows-Rechner lahm",
			Language:  "de",
			Site:      "Golem.de",
			Published: date("2024-07-19T11:00:00+02:00"),
			Text: "Ein Update für den Falcon Sensor von CrowdStrike hat weltweit Windows-Rechner abstürzen lassen. " +
				"Betroffen waren Flughäfen, Krankenhäuser und Banken.\n\n" +
				"Microsoft schätzte später, dass rund 8,5 Millionen Windows-Geräte ausgefallen waren. " +
				"CrowdStrike-Chef George Kurtz betonte, es habe sich nicht um einen Cyberangriff gehandelt.",
		},
		Entities: []model.Entity{
			{ID: "vendor:crowdstrike", Type: model.Vendor, Name: "CrowdStrike"},
			{ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"},
			{ID: "product:falcon-sensor", Type: model.Product, Name: "Falcon Sensor"},
			{ID: "incident:crowdstrike-outage-2024", Type: model.Incident, Name: "CrowdStrike-Ausfall Juli 2024"},
			{ID: "person:george-kurtz", Type: model.Person, Name: "George Kurtz"},
		},
		Statements: []model.Statement{
			{Speaker: "person:george-kurtz", Text: "Es handelt sich weder um einen Sicherheitsvorfall noch um einen Cyberangriff.",
				About: []string{"incident:crowdstrike-outage-2024"}},
			{Speaker: "vendor:crowdstrike", Text: "Der Fehler wurde gefunden und die Änderung zurückgenommen.",
				About: []string{"product:falcon-sensor"}},
		},
	}

	docCrowdStrikeEN = model.Document{
		Article: model.Article{
			URL:       "https://www.bleepingcomputer.com/news/security/crowdstrike-update-crashes-windows/",
			Title:     "Faulty CrowdStrike update crashes Windows systems worldwide",
			Language:  "en",
			Site:      "BleepingComputer",
			Published: date("2024-07-19T08:15:00-04:00"),
			Text: "A faulty content update for CrowdStrike's Falcon sensor caused Windows machines to crash " +
				"with blue screens, grounding flights and disrupting hospitals.\n\n" +
				"CrowdStrike said the crashing systems were not the result of a cyberattack and that the update had been reverted.",
		},
		Entities: []model.Entity{
			{ID: "vendor:crowdstrike", Type: model.Vendor, Name: "CrowdStrike"},
			{ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"},
			{ID: "product:falcon-sensor", Type: model.Product, Name: "Falcon Sensor"},
			{ID: "incident:crowdstrike-outage-2024", Type: model.Incident, Name: "CrowdStrike outage of July 2024"},
		},
		Statements: []model.Statement{
			{Speaker: "vendor:crowdstrike", Text: "The problem was not caused by a cyberattack, and the faulty update has been reverted.",
				About: []string{"incident:crowdstrike-outage-2024"}},
		},
	}

	docMOVEitEN = model.Document{
		Article: model.Article{
			URL:       "https://therecord.media/moveit-cl0p-exploitation",
			Title:     "Cl0p ransomware gang behind MOVEit Transfer attacks",
			Language:  "en",
			Site:      "The Record",
			Published: date("2023-06-05T16:00:00Z"),
			Text: "The Cl0p extortion group exploited CVE-2023-34362, a SQL injection flaw in Progress Software's " +
				"MOVEit Transfer, to steal files from organisations around the world.\n\n" +
				"Victims included the BBC and British Airways, whose staff data was taken through the payroll provider Zellis.",
		},
		Entities: []model.Entity{
			{ID: "threat_actor:cl0p", Type: model.ThreatActor, Name: "Cl0p"},
			{ID: "vulnerability:cve-2023-34362", Type: model.Vulnerability, Name: "CVE-2023-34362"},
			{ID: "product:moveit-transfer", Type: model.Product, Name: "MOVEit Transfer"},
			{ID: "vendor:progress-software", Type: model.Vendor, Name: "Progress Software"},
			{ID: "organization:bbc", Type: model.Organization, Name: "BBC"},
		},
		Statements: []model.Statement{
			{Speaker: "agency:cisa", Text: "Organisations running MOVEit Transfer should apply the patch and look for signs of compromise.",
				About: []string{"vulnerability:cve-2023-34362"}},
		},
	}

	docMOVEitDE = model.Document{
		Article: model.Article{
			URL:       "https://www.tagesschau.de/wissen/technologie/moveit-sicherheitsluecke.html",
			Title:     "Datendiebstahl über MOVEit betrifft auch Unternehmen in Europa",
			Language:  "de",
			Site:      "tagesschau",
			Published: date("2023-06-16T09:00:00+02:00"),
			Text: "Über eine Sicherheitslücke in der Dateitransfer-Software MOVEit Transfer hat die Gruppe Cl0p " +
				"Daten zahlreicher Unternehmen und Behörden erbeutet.\n\n" +
				"Der Hersteller Progress Software hat ein Update veröffentlicht.",
		},
		Entities: []model.Entity{
			{ID: "threat_actor:cl0p", Type: model.ThreatActor, Name: "Cl0p"},
			{ID: "product:moveit-transfer", Type: model.Product, Name: "MOVEit Transfer"},
			{ID: "vendor:progress-software", Type: model.Vendor, Name: "Progress Software"},
		},
	}

	docCSRB = model.Document{
		Article: model.Article{
			URL:       "https://therecord.media/csrb-report-microsoft-storm-0558",
			Title:     "Cyber Safety Review Board faults Microsoft over Storm-0558 intrusion",
			Language:  "en",
			Site:      "The Record",
			Published: date("2024-04-03T12:00:00Z"),
			Text: "The Cyber Safety Review Board concluded that the Storm-0558 intrusion was preventable and blamed " +
				"a corporate culture at Microsoft that deprioritised security.\n\n" +
				"The hackers forged authentication tokens with a stolen signing key, and the board said Microsoft " +
				"had doubled down on the wrong explanation of how the key was lost.",
		},
		Entities: []model.Entity{
			{ID: "agency:csrb", Type: model.Agency, Name: "Cyber Safety Review Board"},
			{ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"},
			{ID: "threat_actor:storm-0558", Type: model.ThreatActor, Name: "Storm-0558"},
		},
	}

	allFixtures = []model.Document{docBSI, docCrowdStrikeDE, docCrowdStrikeEN, docMOVEitEN, docMOVEitDE, docCSRB}
)

// fixtureStatements counts the statements in allFixtures.
func fixtureStatements() int {
	n := 0
	for _, d := range allFixtures {
		n += len(d.Statements)
	}
	return n
}

// openFixtures opens a fresh index in a temp dir holding allFixtures.
func openFixtures(t testing.TB) *Index {
	t.Helper()
	ix := openTemp(t, t.TempDir())
	if err := ix.Put(context.Background(), allFixtures); err != nil {
		t.Fatal(err)
	}
	return ix
}

func openTemp(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), dir, Options{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil && !errors.Is(err, ErrClosed) {
			t.Error(err)
		}
	})
	return ix
}

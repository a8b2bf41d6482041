package graph

import (
	"time"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Fixture documents: short reports, written for these tests, about real
// events (the 2023 Storm-0558 key theft, the Cyber Safety Review Board's
// 2024 report on it, and the BSI's Log4Shell warning of December 2021).

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	entBSI = model.Entity{ID: "agency:bsi", Type: model.Agency, Name: "BSI",
		Aliases: []string{"Bundesamt für Sicherheit in der Informationstechnik", "German Federal Office for Information Security"}}
	entMicrosoft   = model.Entity{ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"}
	entStorm       = model.Entity{ID: "threat_actor:storm-0558", Type: model.ThreatActor, Name: "Storm-0558"}
	entKeyTheft    = model.Entity{ID: "incident:storm-0558-key-theft", Type: model.Incident, Name: "Storm-0558 key theft", Aliases: []string{"Storm-0558", "Diebstahl des MSA-Schlüssels"}}
	entExchange    = model.Entity{ID: "product:exchange-online", Type: model.Product, Name: "Exchange Online"}
	entCSRB        = model.Entity{ID: "agency:csrb", Type: model.Agency, Name: "Cyber Safety Review Board", Aliases: []string{"CSRB"}}
	entDHS         = model.Entity{ID: "agency:dhs", Type: model.Agency, Name: "DHS", Aliases: []string{"Department of Homeland Security"}}
	entLog4Shell   = model.Entity{ID: "vulnerability:cve-2021-44228", Type: model.Vulnerability, Name: "Log4Shell", Aliases: []string{"CVE-2021-44228"}}
	entLog4j       = model.Entity{ID: "product:log4j", Type: model.Product, Name: "Log4j"}
	entApache      = model.Entity{ID: "organization:apache-software-foundation", Type: model.Organization, Name: "Apache Software Foundation"}
	entHeise       = model.Entity{ID: "outlet:heise-online", Type: model.Outlet, Name: "heise online"}
	sentBSIAsks    = "Das BSI hat Microsoft um Auskunft darüber gebeten, wie Angreifer an den Signaturschlüssel gelangen konnten."
	sentAttributed = "Microsoft schreibt den Einbruch in Exchange-Online-Postfächer der Gruppe Storm-0558 zu."
	sentAffected   = "Betroffen waren Postfächer von rund 25 Organisationen, darunter US-Behörden."
	sentCSRB       = "The Cyber Safety Review Board faulted Microsoft for a cascade of avoidable security failures."
	sentCSRB2      = "The board said Microsoft's security culture needed an overhaul."
	sentPartOf     = "The board sits within the Department of Homeland Security."
	sentLog4Shell  = "Das BSI warnt vor der Schwachstelle Log4Shell und ruft die Warnstufe Rot aus."
)

// docKeyTheft: a German report of July 2023 on the Storm-0558 intrusion.
func docKeyTheft() model.Document {
	return model.Document{
		Article: model.Article{
			URL:       "https://www.heise.de/news/bsi-fragt-microsoft-nach-schluesseldiebstahl.html",
			Title:     "BSI fragt bei Microsoft nach gestohlenem Schlüssel",
			Byline:    "Testredaktion",
			Published: mustTime("2023-07-21T11:30:00+02:00"),
			Language:  "de",
			Site:      "heise online",
			Text: "Nach dem Einbruch in Cloud-Postfächer will das BSI wissen, wie es dazu kam.\n\n" +
				sentAttributed + " " + sentAffected + "\n\n" + sentBSIAsks,
		},
		Entities: []model.Entity{entBSI, entMicrosoft, entStorm, entKeyTheft, entExchange},
		Relations: []model.Relation{
			{Subject: "agency:bsi", Predicate: model.Investigates, Object: "vendor:microsoft", Evidence: sentBSIAsks, Confidence: 0.8},
			{Subject: "incident:storm-0558-key-theft", Predicate: model.AttributedTo, Object: "threat_actor:storm-0558", Evidence: sentAttributed, Confidence: 0.9},
			{Subject: "vendor:microsoft", Predicate: model.AffectedBy, Object: "incident:storm-0558-key-theft", Evidence: sentAffected, Confidence: 0.6},
		},
		Statements: []model.Statement{
			{Speaker: "agency:bsi", Text: "wie Angreifer an den Signaturschlüssel gelangen konnten", About: []string{"vendor:microsoft"}, Evidence: sentBSIAsks},
		},
	}
}

// docCSRB: an English report of April 2024 on the board's findings.
func docCSRB() model.Document {
	return model.Document{
		Article: model.Article{
			URL:       "https://therecord.media/csrb-report-microsoft-storm-0558",
			Title:     "Review board faults Microsoft over Storm-0558 intrusion",
			Published: mustTime("2024-04-03T15:00:00Z"),
			Language:  "en",
			Site:      "The Record",
			Text:      sentCSRB + " " + sentCSRB2 + "\n\n" + sentPartOf,
		},
		Entities: []model.Entity{entCSRB, entMicrosoft, entDHS, entKeyTheft, entStorm},
		Relations: []model.Relation{
			{Subject: "agency:csrb", Predicate: model.Criticizes, Object: "vendor:microsoft", Evidence: sentCSRB, Confidence: 0.9},
			{Subject: "agency:csrb", Predicate: model.Criticizes, Object: "vendor:microsoft", Evidence: sentCSRB2, Confidence: 0.7},
			{Subject: "agency:csrb", Predicate: model.PartOf, Object: "agency:dhs", Evidence: sentPartOf, Confidence: 0.8},
			{Subject: "agency:csrb", Predicate: model.Investigates, Object: "incident:storm-0558-key-theft", Evidence: sentCSRB, Confidence: 0.5},
		},
		Statements: []model.Statement{
			{Speaker: "agency:csrb", Text: "Microsoft's security culture needed an overhaul", About: []string{"vendor:microsoft"}, Evidence: sentCSRB2},
		},
	}
}

// docCSRBGerman: a German follow-up on the same report, a day later.
func docCSRBGerman() model.Document {
	s := "Das Cyber Safety Review Board kritisiert Microsoft scharf für eine Kette vermeidbarer Fehler."
	return model.Document{
		Article: model.Article{
			URL:       "https://www.golem.de/news/csrb-bericht-microsoft.html",
			Title:     "US-Gremium kritisiert Microsofts Sicherheitskultur",
			Published: mustTime("2024-04-04T09:00:00+02:00"),
			Language:  "de",
			Site:      "Golem.de",
			Text:      s,
		},
		Entities:  []model.Entity{entCSRB, entMicrosoft},
		Relations: []model.Relation{{Subject: "agency:csrb", Predicate: model.Criticizes, Object: "vendor:microsoft", Evidence: s, Confidence: 0.9}},
	}
}

// docLog4Shell: the BSI's red alert over Log4Shell in December 2021.
func docLog4Shell() model.Document {
	s2 := "Log4j ist eine Java-Bibliothek der Apache Software Foundation."
	return model.Document{
		Article: model.Article{
			URL:       "https://www.heise.de/news/log4shell-bsi-warnstufe-rot.html",
			Title:     "BSI ruft wegen Log4Shell die Warnstufe Rot aus",
			Published: mustTime("2021-12-12T10:00:00+01:00"),
			Language:  "de",
			Site:      "heise online",
			Text:      sentLog4Shell + " " + s2,
		},
		Entities: []model.Entity{entBSI, entLog4Shell, entLog4j, entApache, entHeise},
		Relations: []model.Relation{
			{Subject: "agency:bsi", Predicate: model.WarnsAbout, Object: "vulnerability:cve-2021-44228", Evidence: sentLog4Shell, Confidence: 0.95},
			{Subject: "product:log4j", Predicate: model.MadeBy, Object: "organization:apache-software-foundation", Evidence: s2, Confidence: 0.7},
		},
	}
}

func fixtureDocs() []model.Document {
	return []model.Document{docKeyTheft(), docCSRB(), docCSRBGerman(), docLog4Shell()}
}

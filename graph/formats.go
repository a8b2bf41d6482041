package graph

import (
	"context"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// exportWith loads the selection under the read lock and hands it to write.
func (s *Store) exportWith(ctx context.Context, opt ExportOptions, write func(*exportGraph) error) error {
	unlock, err := s.begin(ctx, false)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer unlock()
	g, err := s.loadExportGraph(ctx, opt)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := write(g); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// ---- JSON-LD ------------------------------------------------------------

// nodeIRI makes a graph node id an absolute IRI for JSON-LD and GraphML.
func nodeIRI(id string) string { return "urn:newsgraph:" + id }

// schemaOrgType maps entity types to schema.org types.
var schemaOrgType = map[string]string{
	"agency":        "GovernmentOrganization",
	"vendor":        "Corporation",
	"incident":      "Event",
	"law":           "Legislation",
	"threat_actor":  "Organization",
	"vulnerability": "DefinedTerm",
	"product":       "Product",
	"person":        "Person",
	"outlet":        "NewsMediaOrganization",
	"organization":  "Organization",
}

func ldRef(id string) map[string]string { return map[string]string{"@id": nodeIRI(id)} }

// ExportJSONLD writes the selection as one JSON-LD document with schema.org
// terms: entities as their schema.org types (with ng:entityType), articles
// as NewsArticle with mentions, statements as Quotation, relation readings
// as Claim; each direct relation is an ng:<predicate> property of its
// subject.
func (s *Store) ExportJSONLD(ctx context.Context, w io.Writer, opt ExportOptions) error {
	return s.exportWith(ctx, opt, func(g *exportGraph) error {
		var nodes []map[string]any
		outRels := make(map[string][]*exportRelation)
		for _, r := range g.relations {
			outRels[r.subject] = append(outRels[r.subject], r)
		}
		for _, e := range g.entities {
			n := map[string]any{"@id": nodeIRI(e.ID), "@type": orDefault(schemaOrgType[string(e.Type)], "Thing"),
				"name": e.Name, "identifier": e.ID, "ng:entityType": string(e.Type)}
			if len(e.Aliases) > 0 {
				n["alternateName"] = e.Aliases
			}
			if e.Wikidata != "" {
				n["sameAs"] = "https://www.wikidata.org/wiki/" + e.Wikidata
			}
			for _, r := range outRels[e.ID] {
				k := "ng:" + r.predicate
				list, _ := n[k].([]map[string]string)
				n[k] = append(list, ldRef(r.object))
			}
			nodes = append(nodes, n)
		}
		for _, a := range g.articles {
			n := map[string]any{"@id": nodeIRI(a.ID), "@type": "NewsArticle", "identifier": a.ID, "headline": a.Title, "url": a.URL}
			if !a.Published.IsZero() {
				n["datePublished"] = a.Published.Format(time.RFC3339)
			}
			if a.Site != "" {
				n["publisher"] = map[string]string{"@type": "NewsMediaOrganization", "name": a.Site}
			}
			if a.Language != "" {
				n["inLanguage"] = a.Language
			}
			if a.Byline != "" {
				n["author"] = map[string]string{"@type": "Person", "name": a.Byline}
			}
			var ms []map[string]string
			for _, m := range a.mentions {
				ms = append(ms, ldRef(m))
			}
			if len(ms) > 0 {
				n["mentions"] = ms
			}
			nodes = append(nodes, n)
		}
		for _, st := range g.statements {
			n := map[string]any{"@id": nodeIRI(st.id), "@type": "Quotation", "text": st.text, "isPartOf": ldRef(st.article)}
			if st.speaker != "" {
				n["creator"] = ldRef(st.speaker)
			}
			var about []map[string]string
			for _, x := range st.about {
				about = append(about, ldRef(x))
			}
			if len(about) > 0 {
				n["about"] = about
			}
			if st.sentence != "" {
				n["ng:sentence"] = st.sentence
			}
			nodes = append(nodes, n)
		}
		for _, r := range g.relations {
			for _, ev := range r.readings {
				nodes = append(nodes, map[string]any{"@id": nodeIRI(ev.id), "@type": "Claim", "text": ev.sentence,
					"appearance": ldRef(ev.article), "about": []map[string]string{ldRef(r.subject), ldRef(r.object)},
					"ng:subject": ldRef(r.subject), "ng:predicate": r.predicate, "ng:object": ldRef(r.object), "ng:confidence": ev.conf})
			}
		}
		if nodes == nil {
			nodes = []map[string]any{}
		}
		doc := map[string]any{
			"@context": map[string]any{
				"@vocab": "https://schema.org/",
				"ng":     "https://github.com/newsgraph/newsgraph/vocab#",
			},
			"@graph": nodes,
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		return enc.Encode(doc)
	})
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ---- GraphML --------------------------------------------------------------

type gmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlNode struct {
	ID   string    `xml:"id,attr"`
	Data []gmlData `xml:"data"`
}

type gmlEdge struct {
	ID     string    `xml:"id,attr"`
	Source string    `xml:"source,attr"`
	Target string    `xml:"target,attr"`
	Data   []gmlData `xml:"data"`
}

type gmlDoc struct {
	XMLName xml.Name `xml:"graphml"`
	XMLNS   string   `xml:"xmlns,attr"`
	Keys    []gmlKey `xml:"key"`
	Graph   struct {
		ID          string    `xml:"id,attr"`
		EdgeDefault string    `xml:"edgedefault,attr"`
		Nodes       []gmlNode `xml:"node"`
		Edges       []gmlEdge `xml:"edge"`
	} `xml:"graph"`
}

// ExportGraphML writes the entity graph of the selection as GraphML (for
// Gephi and yEd): entities are nodes (label, type, articles mentioning
// them), relations directed edges (label = predicate, weight = supporting
// articles, first and last dates, the latest sentence).
func (s *Store) ExportGraphML(ctx context.Context, w io.Writer, opt ExportOptions) error {
	return s.exportWith(ctx, opt, func(g *exportGraph) error {
		var d gmlDoc
		d.XMLNS = "http://graphml.graphdrawing.org/xmlns"
		d.Keys = []gmlKey{
			{"label", "node", "label", "string"}, {"type", "node", "type", "string"},
			{"articles", "node", "articles", "int"}, {"aliases", "node", "aliases", "string"},
			{"elabel", "edge", "label", "string"}, {"weight", "edge", "weight", "double"},
			{"first", "edge", "first_published", "string"}, {"last", "edge", "last_published", "string"},
			{"sentence", "edge", "sentence", "string"},
		}
		d.Graph.ID = "newsgraph"
		d.Graph.EdgeDefault = "directed"
		d.Graph.Nodes = []gmlNode{}
		d.Graph.Edges = []gmlEdge{}
		for _, e := range g.entities {
			d.Graph.Nodes = append(d.Graph.Nodes, gmlNode{ID: e.ID, Data: []gmlData{{"label", e.Name}, {"type", string(e.Type)},
				{"articles", strconv.Itoa(e.articles)}, {"aliases", strings.Join(e.Aliases, "; ")}}})
		}
		for i, r := range g.relations {
			data := []gmlData{{"elabel", r.predicate}, {"weight", strconv.Itoa(len(r.articles))},
				{"first", dateOrEmpty(r.first)}, {"last", dateOrEmpty(r.last)}}
			if n := len(r.readings); n > 0 {
				data = append(data, gmlData{"sentence", r.readings[n-1].sentence})
			}
			d.Graph.Edges = append(d.Graph.Edges, gmlEdge{ID: "e" + strconv.Itoa(i), Source: r.subject, Target: r.object, Data: data})
		}
		if _, err := io.WriteString(w, xml.Header); err != nil {
			return err
		}
		enc := xml.NewEncoder(w)
		enc.Indent("", " ")
		if err := enc.Encode(d); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	})
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ---- CSV for neo4j-admin import --------------------------------------------

// CSV headers of ExportCSV, in the format of neo4j-admin database import.
var (
	CSVNodeHeader         = []string{"id:ID", ":LABEL", "name", "type", "aliases:string[]", "wikidata", "articles:int", "url", "title", "site", "published", "language"}
	CSVRelationshipHeader = []string{":START_ID", ":END_ID", ":TYPE", "articles:int", "first_published", "last_published", "sentence", "confidence:double"}
)

// ExportCSV writes node and relationship files for `neo4j-admin database
// import full --nodes=nodes.csv --relationships=relationships.csv`: entities
// (label Entity plus their type, e.g. Entity;Agency) and articles (label
// Article) as nodes; relations (type = upper-cased predicate, one per
// subject-predicate-object with the number of supporting articles and the
// latest sentence) and MENTIONS edges from articles to entities.
func (s *Store) ExportCSV(ctx context.Context, nodes, relationships io.Writer, opt ExportOptions) error {
	return s.exportWith(ctx, opt, func(g *exportGraph) error {
		nw := csv.NewWriter(nodes)
		if err := nw.Write(CSVNodeHeader); err != nil {
			return err
		}
		for _, e := range g.entities {
			label := "Entity;" + neoLabel(string(e.Type))
			nw.Write([]string{e.ID, label, e.Name, string(e.Type), strings.Join(e.Aliases, ";"), e.Wikidata,
				strconv.Itoa(e.articles), "", "", "", "", ""})
		}
		for _, a := range g.articles {
			nw.Write([]string{a.ID, "Article", a.Title, "article", "", "", "", a.URL, a.Title, a.Site, dateOrEmpty(a.Published), a.Language})
		}
		nw.Flush()
		if err := nw.Error(); err != nil {
			return err
		}
		rw := csv.NewWriter(relationships)
		if err := rw.Write(CSVRelationshipHeader); err != nil {
			return err
		}
		for _, r := range g.relations {
			sent, conf := "", ""
			if n := len(r.readings); n > 0 {
				sent, conf = r.readings[n-1].sentence, strconv.FormatFloat(r.readings[n-1].conf, 'f', -1, 32)
			}
			rw.Write([]string{r.subject, r.object, strings.ToUpper(r.predicate), strconv.Itoa(len(r.articles)),
				dateOrEmpty(r.first), dateOrEmpty(r.last), sent, conf})
		}
		for _, a := range g.articles {
			for _, m := range a.mentions {
				rw.Write([]string{a.ID, m, "MENTIONS", "1", dateOrEmpty(a.Published), dateOrEmpty(a.Published), "", ""})
			}
		}
		rw.Flush()
		return rw.Error()
	})
}

// neoLabel turns an entity type into a Neo4j label: threat_actor → ThreatActor.
func neoLabel(t string) string {
	var b strings.Builder
	for _, part := range strings.Split(t, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// ---- STIX 2.1 ----------------------------------------------------------------

// stixNamespace is the UUIDv5 namespace of newsgraph's STIX ids: the same
// entity, article or relation gets the same id in every export.
var stixNamespace = [16]byte{0xd3, 0x7e, 0xc0, 0x70, 0xc0, 0x46, 0x41, 0x8d, 0xab, 0x5a, 0x37, 0xe5, 0xc8, 0x12, 0x61, 0x47}

// uuid5 computes a name-based (SHA-1) UUID, RFC 9562 version 5.
func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	x := hex.EncodeToString(sum[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// stixType maps entity types to STIX 2.1 object types; types without a
// STIX counterpart (law) are left out of STIX exports.
var stixType = map[string]string{
	"agency":        "identity",
	"vendor":        "identity",
	"organization":  "identity",
	"outlet":        "identity",
	"person":        "identity",
	"threat_actor":  "intrusion-set",
	"vulnerability": "vulnerability",
	"incident":      "incident",
	"product":       "software",
}

// stixSCONamespace is the namespace STIX 2.1 gives for the deterministic
// ids of cyber observables (software is one).
var stixSCONamespace = [16]byte{0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7}

var cvePattern = regexp.MustCompile(`(?i)^cve-\d{4}-\d{4,}$`)

func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// stixID returns the id of the STIX object for a graph node.
func stixID(typ, key string) string { return typ + "--" + uuid5(stixNamespace, key) }

// ExportSTIX writes the selection as a STIX 2.1 bundle: identity objects
// for agencies, vendors, organisations, outlets (identity_class
// organization) and persons (individual); intrusion-set for threat actors;
// vulnerability (with a "cve" external reference for CVE ids and aliases);
// incident; software (a cyber observable) for products; a report per article (published, object_refs
// to what it mentions and supports); a relationship per relation, carrying
// its evidence sentences in the description. Laws have no STIX type and are
// left out with their relations. Ids are UUIDv5 of the graph ids, so they
// are stable across exports; created and modified are the first and last
// dates the selection has for an object.
func (s *Store) ExportSTIX(ctx context.Context, w io.Writer, opt ExportOptions) error {
	return s.exportWith(ctx, opt, func(g *exportGraph) error {
		epoch := g.earliest
		if epoch.IsZero() {
			epoch = time.Unix(0, 0)
		}
		span := func(first, last time.Time) (string, string) {
			if first.IsZero() {
				first = epoch
			}
			if last.IsZero() || last.Before(first) {
				last = first
			}
			return stixTime(first), stixTime(last)
		}
		ids := make(map[string]string) // graph id -> STIX id
		var objects []map[string]any
		for _, e := range g.entities {
			typ := stixType[string(e.Type)]
			if typ == "" {
				continue
			}
			if typ == "software" {
				// A cyber observable: no created/modified; its id derives
				// from its name, as STIX specifies.
				name, _ := json.Marshal(map[string]string{"name": e.Name})
				id := "software--" + uuid5(stixSCONamespace, string(name))
				ids[e.ID] = id
				objects = append(objects, map[string]any{"type": typ, "spec_version": "2.1", "id": id, "name": e.Name})
				continue
			}
			id := stixID(typ, e.ID)
			ids[e.ID] = id
			created, modified := span(e.firstSeen, e.lastSeen)
			o := map[string]any{"type": typ, "spec_version": "2.1", "id": id, "created": created, "modified": modified, "name": e.Name}
			ext := []map[string]string{{"source_name": "newsgraph", "external_id": e.ID}}
			if e.Wikidata != "" {
				ext = append(ext, map[string]string{"source_name": "wikidata", "external_id": e.Wikidata, "url": "https://www.wikidata.org/wiki/" + e.Wikidata})
			}
			switch typ {
			case "identity":
				class := "organization"
				if e.Type == "person" {
					class = "individual"
				}
				o["identity_class"] = class
				if e.Type == "agency" {
					o["sectors"] = []string{"government"}
				}
			case "intrusion-set":
				if len(e.Aliases) > 0 {
					o["aliases"] = e.Aliases
				}
			case "vulnerability":
				for _, n := range append([]string{strings.TrimPrefix(e.ID, "vulnerability:"), e.Name}, e.Aliases...) {
					if cvePattern.MatchString(n) {
						cve := strings.ToUpper(n)
						ext = append([]map[string]string{{"source_name": "cve", "external_id": cve,
							"url": "https://www.cve.org/CVERecord?id=" + cve}}, ext...)
						break
					}
				}
			}
			o["external_references"] = ext
			objects = append(objects, o)
		}
		relIDs := make(map[*exportRelation]string)
		for _, r := range g.relations {
			src, dst := ids[r.subject], ids[r.object]
			if src == "" || dst == "" {
				continue
			}
			id := stixID("relationship", r.subject+"\x00"+r.predicate+"\x00"+r.object)
			relIDs[r] = id
			created, modified := span(r.first, r.last)
			var desc []string
			for _, ev := range r.readings {
				a := g.articleBy[ev.article]
				line := ev.sentence
				if a != nil {
					line = strings.TrimSpace(dateOrDay(a.Published)+" "+a.Site) + ": " + ev.sentence + " (" + a.URL + ")"
				}
				desc = append(desc, line)
			}
			o := map[string]any{"type": "relationship", "spec_version": "2.1", "id": id, "created": created, "modified": modified,
				"relationship_type": strings.ReplaceAll(r.predicate, "_", "-"), "source_ref": src, "target_ref": dst,
				"description": strings.Join(desc, "\n")}
			if len(r.readings) > 0 {
				best := 0.0
				for _, ev := range r.readings {
					best = max(best, ev.conf)
				}
				o["confidence"] = int(best*100 + 0.5)
			}
			objects = append(objects, o)
		}
		for _, a := range g.articles {
			var refs []string
			seen := make(map[string]bool)
			add := func(id string) {
				if id != "" && !seen[id] {
					seen[id] = true
					refs = append(refs, id)
				}
			}
			for _, m := range a.mentions {
				add(ids[m])
			}
			for _, r := range a.relations {
				add(relIDs[r])
			}
			if len(refs) == 0 {
				continue // a report needs at least one object reference
			}
			pub := a.Published
			if pub.IsZero() {
				pub = epoch
			}
			o := map[string]any{"type": "report", "spec_version": "2.1", "id": stixID("report", a.ID),
				"created": stixTime(pub), "modified": stixTime(pub), "name": orDefault(a.Title, a.URL), "published": stixTime(pub),
				"report_types": []string{"threat-report"}, "object_refs": refs}
			if a.URL != "" {
				o["external_references"] = []map[string]string{{"source_name": orDefault(a.Site, "web"), "url": a.URL}}
			}
			if a.Language != "" {
				o["lang"] = a.Language
			}
			objects = append(objects, o)
		}
		if objects == nil {
			objects = []map[string]any{}
		}
		var all strings.Builder
		for _, o := range objects {
			all.WriteString(o["id"].(string))
		}
		bundle := map[string]any{"type": "bundle", "id": "bundle--" + uuid5(stixNamespace, all.String()), "objects": objects}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		return enc.Encode(bundle)
	})
}

func dateOrDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

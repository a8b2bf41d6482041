package graph

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestNQuadsRoundTrip(t *testing.T) {
	for _, b := range backendsUnderTest {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			src := openTest(t, b.addr(t), Options{})
			mustPut(t, src, fixtureDocs()...)
			want := mustStats(t, src)
			var buf bytes.Buffer
			n, err := src.ExportNQuads(ctx, &buf, ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || strings.Count(buf.String(), "\n") != n {
				t.Fatalf("wrote %d quads, %d lines", n, strings.Count(buf.String(), "\n"))
			}
			dst := openTest(t, b.addr(t), Options{})
			res, err := dst.Import(ctx, bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if res.Articles != 4 || res.Quads != n {
				t.Errorf("import = %+v", res)
			}
			if got := mustStats(t, dst); !reflect.DeepEqual(got, want) {
				t.Errorf("stats after round trip:\n got %+v\nwant %+v", got, want)
			}
			for _, id := range []string{"vendor:microsoft", "agency:bsi"} {
				p1, err1 := src.Entity(ctx, id)
				p2, err2 := dst.Entity(ctx, id)
				if err1 != nil || err2 != nil || !reflect.DeepEqual(p1, p2) {
					t.Errorf("profile of %s differs after round trip (%v, %v)", id, err1, err2)
				}
			}
			// Importing again changes nothing; a second export is identical.
			if res, err := dst.Import(ctx, bytes.NewReader(buf.Bytes())); err != nil || res.Added != 0 || res.Removed != 0 {
				t.Errorf("re-import = %+v, %v; want no change", res, err)
			}
			if got := mustStats(t, dst); !reflect.DeepEqual(got, want) {
				t.Errorf("stats after re-import:\n got %+v\nwant %+v", got, want)
			}
			var again bytes.Buffer
			if _, err := dst.ExportNQuads(ctx, &again, ExportOptions{}); err != nil {
				t.Fatal(err)
			}
			if again.String() != buf.String() {
				t.Errorf("second export differs from the first")
			}
		})
	}
}

func TestExportSelection(t *testing.T) {
	s := openTest(t, "memstore://", Options{})
	mustPut(t, s, fixtureDocs()...)
	ctx := context.Background()
	tests := []struct {
		name     string
		opt      ExportOptions
		articles int
		has      []string
		hasNot   []string
	}{
		{"all", ExportOptions{}, 4, []string{"<agency:bsi>", "<product:log4j>"}, nil},
		{"since", ExportOptions{Since: mustTime("2024-01-01T00:00:00Z")}, 2, []string{"<agency:csrb>"}, []string{"<product:log4j>", "<agency:bsi>"}},
		{"neighbourhood of log4j", ExportOptions{Entity: "product:log4j", Hops: 1}, 1, []string{"<organization:apache-software-foundation>", "<agency:bsi>"}, []string{"<agency:csrb>"}},
		{"neighbourhood of the dhs", ExportOptions{Entity: "agency:dhs", Hops: 1}, 1, []string{"<agency:csrb>"}, []string{"<agency:bsi>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := s.ExportNQuads(ctx, &buf, tc.opt); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if n := strings.Count(out, `<type> "article"`); n != tc.articles {
				t.Errorf("%d articles exported, want %d", n, tc.articles)
			}
			for _, h := range tc.has {
				if !strings.Contains(out, h) {
					t.Errorf("export lacks %s", h)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(out, h) {
					t.Errorf("export has %s", h)
				}
			}
			// A partial export imports into a consistent store.
			dst := openTest(t, "memstore://", Options{})
			if _, err := dst.Import(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			if st := mustStats(t, dst); st.Articles != int64(tc.articles) {
				t.Errorf("imported %d articles", st.Articles)
			}
		})
	}
}

func TestExportFormats(t *testing.T) {
	s := openTest(t, "memstore://", Options{})
	mustPut(t, s, fixtureDocs()...)
	ctx := context.Background()

	t.Run("jsonld", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.ExportJSONLD(ctx, &buf, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Context map[string]any   `json:"@context"`
			Graph   []map[string]any `json:"@graph"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Context["@vocab"] != "https://schema.org/" {
			t.Errorf("context = %v", doc.Context)
		}
		types := map[string]int{}
		for _, n := range doc.Graph {
			types[n["@type"].(string)]++
			if id, _ := n["@id"].(string); !strings.HasPrefix(id, "urn:newsgraph:") {
				t.Errorf("node without an absolute @id: %v", n)
			}
		}
		want := map[string]int{"NewsArticle": 4, "GovernmentOrganization": 3, "Corporation": 1, "Quotation": 2, "Claim": 10, "Legislation": 0}
		for k, v := range want {
			if types[k] != v {
				t.Errorf("%d nodes of @type %s, want %d (all: %v)", types[k], k, v, types)
			}
		}
		if !strings.Contains(buf.String(), `"ng:criticizes"`) {
			t.Error("no ng:criticizes relation property")
		}
	})

	t.Run("graphml", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.ExportGraphML(ctx, &buf, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		var doc gmlDoc
		if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Graph.Nodes) != 11 || len(doc.Graph.Edges) != 8 {
			t.Errorf("%d nodes, %d edges; want 11, 8", len(doc.Graph.Nodes), len(doc.Graph.Edges))
		}
		nodes := map[string]bool{}
		for _, n := range doc.Graph.Nodes {
			nodes[n.ID] = true
		}
		for _, e := range doc.Graph.Edges {
			if !nodes[e.Source] || !nodes[e.Target] {
				t.Errorf("edge %s → %s has an unknown end", e.Source, e.Target)
			}
			if e.Source == "agency:csrb" && e.Target == "vendor:microsoft" && e.Data[0].Value == "criticizes" && e.Data[1].Value != "2" {
				t.Errorf("csrb criticizes microsoft weight %s, want 2", e.Data[1].Value)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		var nodes, rels bytes.Buffer
		if err := s.ExportCSV(ctx, &nodes, &rels, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		nrows, err := csv.NewReader(&nodes).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		rrows, err := csv.NewReader(&rels).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(nrows[0], CSVNodeHeader) || !reflect.DeepEqual(rrows[0], CSVRelationshipHeader) {
			t.Fatalf("headers %v / %v", nrows[0], rrows[0])
		}
		if len(nrows) != 1+11+4 {
			t.Errorf("%d node rows, want 15 (11 entities, 4 articles)", len(nrows)-1)
		}
		ids := map[string]bool{}
		for _, r := range nrows[1:] {
			ids[r[0]] = true
		}
		types := map[string]int{}
		for _, r := range rrows[1:] {
			types[r[2]]++
			if !ids[r[0]] || !ids[r[1]] {
				t.Errorf("relationship %v has an unknown end", r)
			}
		}
		if types["CRITICIZES"] != 1 || types["MENTIONS"] != 17 {
			t.Errorf("relationship types %v", types)
		}
	})
}

// stixRequired lists the properties STIX 2.1 requires per object type
// (beyond type and id, which every object has).
var stixRequired = map[string][]string{
	"identity":      {"spec_version", "created", "modified", "name", "identity_class"},
	"intrusion-set": {"spec_version", "created", "modified", "name"},
	"vulnerability": {"spec_version", "created", "modified", "name"},
	"incident":      {"spec_version", "created", "modified", "name"},
	"software":      {"name"},
	"report":        {"spec_version", "created", "modified", "name", "published", "object_refs"},
	"relationship":  {"spec_version", "created", "modified", "relationship_type", "source_ref", "target_ref"},
}

var stixIDPattern = regexp.MustCompile(`^([a-z0-9-]+)--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
var stixTimePattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)

func TestExportSTIX(t *testing.T) {
	s := openTest(t, "memstore://", Options{})
	mustPut(t, s, fixtureDocs()...)
	ctx := context.Background()
	var buf bytes.Buffer
	if err := s.ExportSTIX(ctx, &buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(buf.Bytes(), &bundle); err != nil {
		t.Fatal(err)
	}
	if bundle.Type != "bundle" || !stixIDPattern.MatchString(bundle.ID) {
		t.Errorf("bundle type %q id %q", bundle.Type, bundle.ID)
	}
	byID := map[string]map[string]any{}
	count := map[string]int{}
	for _, o := range bundle.Objects {
		typ, _ := o["type"].(string)
		id, _ := o["id"].(string)
		count[typ]++
		m := stixIDPattern.FindStringSubmatch(id)
		if m == nil || m[1] != typ {
			t.Errorf("object id %q does not match its type %q", id, typ)
		}
		if byID[id] != nil {
			t.Errorf("duplicate id %s", id)
		}
		byID[id] = o
		req, ok := stixRequired[typ]
		if !ok {
			t.Errorf("unexpected object type %q", typ)
			continue
		}
		for _, p := range req {
			v, ok := o[p]
			if !ok || v == "" || v == nil {
				t.Errorf("%s lacks required %s", id, p)
			}
		}
		if v, ok := o["spec_version"]; ok && v != "2.1" {
			t.Errorf("%s spec_version %v", id, v)
		}
		for _, p := range []string{"created", "modified", "published"} {
			if v, ok := o[p].(string); ok && !stixTimePattern.MatchString(v) {
				t.Errorf("%s %s = %q is not a STIX timestamp", id, p, v)
			}
		}
		if typ == "identity" {
			if c := o["identity_class"]; c != "organization" && c != "individual" {
				t.Errorf("%s identity_class %v", id, c)
			}
		}
		if typ == "relationship" {
			if d, _ := o["description"].(string); d == "" {
				t.Errorf("%s carries no evidence", id)
			}
		}
		if typ == "report" {
			if refs, _ := o["object_refs"].([]any); len(refs) == 0 {
				t.Errorf("%s has no object_refs", id)
			}
		}
	}
	for _, o := range bundle.Objects {
		var refs []any
		for _, p := range []string{"source_ref", "target_ref"} {
			if v, ok := o[p]; ok {
				refs = append(refs, v)
			}
		}
		if rs, ok := o["object_refs"].([]any); ok {
			refs = append(refs, rs...)
		}
		for _, r := range refs {
			if byID[r.(string)] == nil {
				t.Errorf("%s refers to %v, which is not in the bundle", o["id"], r)
			}
		}
	}
	want := map[string]int{"identity": 6, "intrusion-set": 1, "vulnerability": 1, "incident": 1, "software": 2, "report": 4, "relationship": 8}
	if !reflect.DeepEqual(count, want) {
		t.Errorf("object counts %v, want %v", count, want)
	}
	// The vulnerability carries its CVE; the CSRB's criticism its sentences.
	vuln := byID[stixID("vulnerability", "vulnerability:cve-2021-44228")]
	if refs, _ := vuln["external_references"].([]any); len(refs) == 0 || refs[0].(map[string]any)["external_id"] != "CVE-2021-44228" {
		t.Errorf("vulnerability external_references = %v", vuln["external_references"])
	}
	rel := byID[stixID("relationship", "agency:csrb\x00criticizes\x00vendor:microsoft")]
	if d, _ := rel["description"].(string); !strings.Contains(d, sentCSRB) || !strings.Contains(d, "kritisiert") || rel["relationship_type"] != "criticizes" {
		t.Errorf("relationship = %v", rel)
	}
	// Ids are stable: a second export is byte-identical.
	var again bytes.Buffer
	if err := s.ExportSTIX(ctx, &again, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Error("second STIX export differs")
	}
}

// FuzzImport feeds arbitrary N-Quads to Import: it must fail cleanly or
// leave a store whose kept counters agree with a recount.
func FuzzImport(f *testing.F) {
	s := openTest(f, "memstore://", Options{})
	mustPut(f, s, docLog4Shell())
	var buf bytes.Buffer
	if _, err := s.ExportNQuads(context.Background(), &buf, ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("<a> <b> <c> .\n")
	f.Add(`<agency:x> <name> "X" .` + "\n" + `<article:1> <mentions> <agency:x> <article:1> .` + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		dst := openTest(t, "memstore://", Options{})
		if _, err := dst.Import(context.Background(), strings.NewReader(in)); err != nil {
			return
		}
		mustStats(t, dst)
	})
}

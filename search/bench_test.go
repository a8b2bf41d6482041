package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// benchWords is a German security-news vocabulary for synthetic articles.
var benchWords = strings.Fields(`Bundesamt Sicherheit Informationstechnik warnt vor Sicherheitslücke
	Angreifer Schadsoftware Ransomware Erpressung Daten Behörde Unternehmen Update Patch Hersteller
	Microsoft Exchange Cloud Schlüssel Verschlüsselung Bericht Untersuchung Anordnung Gesetz Richtlinie
	Kommission Ministerium Bundestag Ausschuss Datenschutz Störung Ausfall Krankenhaus Flughafen Bank
	Kunden Nutzer Konto Passwort Zugang Server Netzwerk Angriff Gruppe Staat Spionage Russland China
	die der das und mit für auf nach von über zu im am bei wurde werden hat haben sei seien nicht auch`)

var benchSites = []string{"heise online", "Golem.de", "tagesschau", "netzpolitik.org", "The Record", "BleepingComputer"}

var benchEntities = []string{"agency:bsi", "vendor:microsoft", "vendor:crowdstrike", "threat_actor:cl0p",
	"law:bsig-7a", "product:exchange-online", "incident:crowdstrike-outage-2024", "person:claudia-plattner"}

// syntheticDocs builds n articles of about textBytes of text each, with two statements.
func syntheticDocs(seed uint64, n, textBytes int) []model.Document {
	r := rand.New(rand.NewPCG(seed, 1))
	words := func(bytes int) string {
		var b strings.Builder
		for b.Len() < bytes {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchWords[r.IntN(len(benchWords))])
		}
		return b.String()
	}
	base := date("2023-01-01T08:00:00+01:00")
	docs := make([]model.Document, n)
	for i := range docs {
		var ents []model.Entity
		for _, id := range benchEntities {
			if r.IntN(3) == 0 {
				ents = append(ents, model.Entity{ID: id, Type: model.TypeOfID(id)})
			}
		}
		lang := "de"
		if i%4 == 0 {
			lang = "en"
		}
		docs[i] = model.Document{
			Article: model.Article{
				URL:       fmt.Sprintf("https://example.org/%d/%d", seed, i),
				Title:     words(60),
				Language:  lang,
				Site:      benchSites[r.IntN(len(benchSites))],
				Published: base.Add(time.Duration(r.IntN(2*365*24)) * time.Hour),
				Text:      words(textBytes),
			},
			Entities: ents,
			Statements: []model.Statement{
				{Speaker: "agency:bsi", Text: words(150), About: []string{"vendor:microsoft"}},
				{Speaker: "vendor:microsoft", Text: words(150)},
			},
		}
	}
	return docs
}

// BenchmarkPut measures indexing throughput; docs/s counts Bleve documents
// (articles and statements), articles/s the articles.
func BenchmarkPut(b *testing.B) {
	for _, batch := range []int{100, 500} {
		b.Run(fmt.Sprintf("batch%d", batch), func(b *testing.B) {
			ix, err := Open(context.Background(), b.TempDir(), Options{BatchSize: batch})
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			const perOp = 200
			var bytes int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				docs := syntheticDocs(uint64(i), perOp, 5000)
				for _, d := range docs {
					bytes += int64(len(d.Article.Text))
				}
				b.StartTimer()
				if err := ix.Put(context.Background(), docs); err != nil {
					b.Fatal(err)
				}
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*perOp*3)/secs, "docs/s")
			b.ReportMetric(float64(b.N*perOp)/secs, "articles/s")
			b.ReportMetric(float64(bytes)/secs/1e6, "MB/s")
		})
	}
}

// BenchmarkSearch measures queries over 2,000 synthetic articles (6,000 documents).
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	ix, err := Open(ctx, b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(ctx, syntheticDocs(42, 2000, 5000)); err != nil {
		b.Fatal(err)
	}
	since := date("2023-06-01T00:00:00Z")
	tests := []struct {
		name string
		req  Request
	}{
		{"term", Request{Query: "Sicherheitslücken"}},
		{"term_date_facets", Request{Query: "Sicherheitslücken", Since: since, Facets: true}},
		{"phrase", Request{Query: `"Microsoft Exchange"`}},
		{"query_string", Request{Query: `+Ransomware +site:heise title:Krankenhaus -"China Spionage"`}},
		{"filters_only_facets", Request{Sites: []string{"golem.de"}, EntityTypes: []string{"law"}, Since: since, Facets: true}},
		{"statements", Request{Kind: KindStatement, Query: "Verschlüsselung", Entities: []string{"agency:bsi"}}},
		{"no_highlight", Request{Query: "Sicherheitslücken", Highlight: HighlightNone}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			var total uint64
			for i := 0; i < b.N; i++ {
				res, err := ix.Search(ctx, tt.req)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}

package graph

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// The synthetic graph for the query benchmarks: n articles over three
// years, each mentioning two hubs at most (agency:bsi in 30 % of them,
// vendor:microsoft in 20 %, agency:cisa and product:windows in 10 %) and two
// to four entities from a long tail of 20,000 (Zipf-distributed), with one
// or two relations among them and a statement in one article of five.

// synthVersion names the cached graph; change it when the generator or the
// stored layout changes.
const synthVersion = "synth-v1-agg2"

var synthHubs = []struct {
	e     model.Entity
	share float64
}{
	{model.Entity{ID: "agency:bsi", Type: model.Agency, Name: "BSI", Aliases: []string{"Bundesamt für Sicherheit in der Informationstechnik"}}, 0.30},
	{model.Entity{ID: "vendor:microsoft", Type: model.Vendor, Name: "Microsoft"}, 0.20},
	{model.Entity{ID: "agency:cisa", Type: model.Agency, Name: "CISA"}, 0.10},
	{model.Entity{ID: "product:windows", Type: model.Product, Name: "Windows"}, 0.10},
}

var synthTypes = []model.EntityType{model.Vendor, model.Product, model.Vulnerability, model.ThreatActor, model.Person, model.Agency, model.Incident, model.Law, model.Organization}

// synthTail returns long-tail entity k.
func synthTail(k int) model.Entity {
	t := synthTypes[k%len(synthTypes)]
	return model.Entity{ID: fmt.Sprintf("%s:t%d", t, k), Type: t, Name: fmt.Sprintf("%s %d", t, k)}
}

var synthPreds = []model.Predicate{model.Investigates, model.Criticizes, model.WarnsAbout, model.AffectedBy,
	model.AttributedTo, model.Exploits, model.CooperatesWith, model.MadeBy, model.Sues, model.PartOf}

// synthDocs generates articles [from, to) of the synthetic graph.
func synthDocs(from, to int) []model.Document {
	base := mustTime("2022-01-01T06:00:00Z")
	span := 3 * 365 * 24 * time.Hour
	zipf := func(r *rand.Rand) int {
		// Inverse-CDF sample of a Zipf-like law over 20,000 ranks.
		return int(20000*r.Float64()*r.Float64()*r.Float64()) % 20000
	}
	docs := make([]model.Document, 0, to-from)
	for i := from; i < to; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 42))
		var ents []model.Entity
		seen := map[string]bool{}
		add := func(e model.Entity) {
			if !seen[e.ID] {
				seen[e.ID] = true
				ents = append(ents, e)
			}
		}
		for _, h := range synthHubs {
			if len(ents) < 2 && r.Float64() < h.share {
				add(h.e)
			}
		}
		for n := 2 + r.IntN(3); n > 0; n-- {
			add(synthTail(zipf(r)))
		}
		pub := base.Add(time.Duration(float64(span) * float64(i) / 100000)).Add(time.Duration(r.IntN(3600)) * time.Second)
		d := model.Document{Article: model.Article{
			URL:       "https://news.example/" + strconv.Itoa(i),
			Title:     "Synthetic report " + strconv.Itoa(i),
			Published: pub, Language: "de", Site: []string{"heise online", "Golem.de", "The Record"}[i%3],
			Text: "Synthetic body " + strconv.Itoa(i),
		}, Entities: ents}
		for n := 1 + r.IntN(2); n > 0; n-- {
			a, b := ents[r.IntN(len(ents))], ents[r.IntN(len(ents))]
			if a.ID == b.ID {
				continue
			}
			d.Relations = append(d.Relations, model.Relation{Subject: a.ID, Predicate: synthPreds[r.IntN(len(synthPreds))], Object: b.ID,
				Evidence: fmt.Sprintf("Sentence %d: %s and %s.", i, a.Name, b.Name), Confidence: 0.5 + r.Float64()/2})
		}
		if i%5 == 0 {
			d.Statements = []model.Statement{{Speaker: ents[0].ID, Text: "statement " + strconv.Itoa(i), About: []string{ents[len(ents)-1].ID},
				Evidence: "Quote " + strconv.Itoa(i)}}
		}
		docs = append(docs, d)
	}
	return docs
}

func TestSynthDocs(t *testing.T) {
	docs := synthDocs(0, 2000)
	hub := 0
	quads := 0
	for i := range docs {
		if _, ok := docs[i].Entity("agency:bsi"); ok {
			hub++
		}
		set, _ := documentQuads(&docs[i])
		quads += len(set.list)
	}
	if hub < 500 || hub > 700 {
		t.Errorf("BSI in %d of 2000 articles, want about 30 %%", hub)
	}
	if per := quads / len(docs); per < 15 || per > 40 {
		t.Errorf("%d quads per article", per)
	}
	if a, b := synthDocs(7, 8)[0], synthDocs(0, 10)[7]; a.Article.ID() != b.Article.ID() || len(a.Relations) != len(b.Relations) {
		t.Error("generator is not deterministic")
	}
}

// synthStore opens the synthetic graph of n articles, building it on first
// use and keeping it under the temporary directory for later runs.
func synthStore(b *testing.B, n int) *Store {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("newsgraph-%s-%d", synthVersion, n))
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		s, err := Open(context.Background(), "bbolt://"+dir, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for off := 0; off < n; off += 2000 {
			if _, err := s.Put(context.Background(), synthDocs(off, min(off+2000, n))); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %d synthetic articles in %v", n, time.Since(start))
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return openTest(b, "bbolt://"+dir, Options{})
}

func synthSize() int {
	if n, err := strconv.Atoi(os.Getenv("NEWSGRAPH_SYNTH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

// BenchmarkQueries measures the research verbs on the synthetic graph
// (100,000 articles; NEWSGRAPH_SYNTH_ARTICLES overrides). Targets: entity,
// related and why under 50 ms, path --max 4 under 500 ms.
func BenchmarkQueries(b *testing.B) {
	s := synthStore(b, synthSize())
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("graph: %d articles, %d entities, %d relations, %d quads", st.Articles, st.Entities, st.Relations, st.Quads)
	// The best supported relation of the hub, for why.
	rels, err := s.Related(ctx, "agency:bsi", RelatedOptions{Limit: 1})
	if err != nil || len(rels) == 0 {
		b.Fatalf("related: %v", err)
	}
	whyS, whyP, whyO := "agency:bsi", rels[0].Predicate, rels[0].Other.ID
	if rels[0].Direction == "in" {
		whyS, whyO = whyO, whyS
	}
	b.Logf("why %s %s %s: %d articles", whyS, whyP, whyO, rels[0].Evidence)
	// Each query runs with the aggregates and, for comparison, with the
	// bounded walks a store without them uses (set in memory only).
	run := func(name string, fn func() error) {
		b.Run(name, func(b *testing.B) {
			s.aggState.Store(aggOn)
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0)
		})
		if os.Getenv("NEWSGRAPH_BENCH_WALKS") == "" {
			return
		}
		b.Run(name+"/walk", func(b *testing.B) {
			s.aggState.Store(aggOff)
			defer s.aggState.Store(aggUnknown)
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0)
		})
	}
	run("entity/hub", func() error { _, err := s.Entity(ctx, "agency:bsi"); return err })
	run("entity/tail", func() error { _, err := s.Entity(ctx, synthTail(1234).ID); return err })
	run("resolve/hub", func() error {
		_, err := s.Resolve(ctx, "Bundesamt für Sicherheit in der Informationstechnik")
		return err
	})
	run("related/hub", func() error { _, err := s.Related(ctx, "agency:bsi", RelatedOptions{Limit: 50}); return err })
	run("related/hub-type", func() error {
		_, err := s.Related(ctx, "vendor:microsoft", RelatedOptions{Types: []string{"vulnerability"}, Limit: 50})
		return err
	})
	run("why/hub-edge", func() error { _, err := s.Why(ctx, whyS, whyP, whyO); return err })
	// Path endpoints: tail entities in relations of two articles far
	// apart, and a hub with one of them.
	tailOf := func(i int) string {
		for ; ; i++ {
			for _, r := range synthDocs(i, i+1)[0].Relations {
				for _, id := range []string{r.Subject, r.Object} {
					if strings.Contains(id, ":t") {
						return id
					}
				}
			}
		}
	}
	rare := tailOf
	n := synthSize()
	// The longest shortest path among a few tail pairs: the search then
	// expands the most layers.
	farFrom, farTo, farLen := "", "", 0
	for i := 0; i < 400 && farLen < 4; i += 20 {
		from, to := rare(i*37), rare(n-1-i*53)
		if paths, err := s.Paths(ctx, from, to, PathOptions{MaxHops: 4}); err == nil && paths[0].Length > farLen {
			farFrom, farTo, farLen = from, to, paths[0].Length
		}
	}
	cases := []struct{ name, from, to string }{
		{"path/max4-tail", rare(123), rare(n - 7)},
		{"path/max4-hub", "agency:cisa", rare(n / 2)},
	}
	if farLen > 0 {
		cases = append(cases, struct{ name, from, to string }{"path/max4-far", farFrom, farTo})
	}
	for _, pc := range cases {
		paths, err := s.Paths(ctx, pc.from, pc.to, PathOptions{MaxHops: 4})
		if err != nil {
			b.Logf("%s %s → %s: %v", pc.name, pc.from, pc.to, err)
		} else {
			b.Logf("%s %s → %s: %d paths of %d hops", pc.name, pc.from, pc.to, len(paths), paths[0].Length)
		}
		run(pc.name, func() error {
			_, err := s.Paths(ctx, pc.from, pc.to, PathOptions{MaxHops: 4})
			return ignoreNotFound(err)
		})
	}
}

// ignoreNotFound accepts a search that found no path: it still ran.
func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

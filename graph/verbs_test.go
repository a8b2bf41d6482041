package graph

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func pathString(p Path) string {
	var b strings.Builder
	for i, h := range p.Hops {
		if i == 0 {
			b.WriteString(h.From.ID)
		}
		if h.Direction == "out" {
			b.WriteString(" -" + h.Predicate + "-> ")
		} else {
			b.WriteString(" <-" + h.Predicate + "- ")
		}
		b.WriteString(h.To.ID)
	}
	return b.String()
}

func TestRelated(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		ctx := context.Background()
		tests := []struct {
			name string
			id   string
			opt  RelatedOptions
			want []string // predicate/direction/other/articles
		}{
			{"all of microsoft", "vendor:microsoft", RelatedOptions{},
				[]string{"criticizes in agency:csrb 2", "affected_by out incident:storm-0558-key-theft 1", "investigates in agency:bsi 1"}},
			{"by predicate", "vendor:microsoft", RelatedOptions{Predicates: []string{"investigates"}},
				[]string{"investigates in agency:bsi 1"}},
			{"by partner type", "agency:csrb", RelatedOptions{Types: []string{"agency"}},
				[]string{"part_of out agency:dhs 1"}},
			{"outgoing only", "incident:storm-0558-key-theft", RelatedOptions{Direction: "out"},
				[]string{"attributed_to out threat_actor:storm-0558 1"}},
			{"since counts only later support", "vendor:microsoft", RelatedOptions{Since: mustTime("2024-04-04T00:00:00Z")},
				[]string{"criticizes in agency:csrb 1"}},
			{"until", "vendor:microsoft", RelatedOptions{Until: mustTime("2023-12-31T00:00:00Z")},
				[]string{"affected_by out incident:storm-0558-key-theft 1", "investigates in agency:bsi 1"}},
			{"limit", "vendor:microsoft", RelatedOptions{Limit: 1}, []string{"criticizes in agency:csrb 2"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rels, err := s.Related(ctx, tc.id, tc.opt)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rels {
					got = append(got, strings.Join([]string{r.Predicate, r.Direction, r.Other.ID, itoa(r.Evidence)}, " "))
					if r.Latest == nil || r.Latest.URL == "" || r.Other.Name == "" {
						t.Errorf("relation %+v lacks its partner's name or latest article", r)
					}
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}
		if _, err := s.Related(ctx, "vendor:nobody", RelatedOptions{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown entity: %v, want ErrNotFound", err)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPaths(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		ctx := context.Background()
		tests := []struct {
			name     string
			from, to string
			opt      PathOptions
			want     []string
			wantErr  error
		}{
			{"three hops through the incident", "agency:bsi", "threat_actor:storm-0558", PathOptions{},
				[]string{"agency:bsi -investigates-> vendor:microsoft -affected_by-> incident:storm-0558-key-theft -attributed_to-> threat_actor:storm-0558"}, nil},
			{"against the edge direction", "agency:dhs", "agency:bsi", PathOptions{},
				[]string{"agency:dhs <-part_of- agency:csrb -criticizes-> vendor:microsoft <-investigates- agency:bsi"}, nil},
			{"direct", "agency:csrb", "vendor:microsoft", PathOptions{},
				[]string{"agency:csrb -criticizes-> vendor:microsoft"}, nil},
			{"two shortest paths", "agency:csrb", "threat_actor:storm-0558", PathOptions{MaxHops: 3},
				[]string{"agency:csrb -investigates-> incident:storm-0558-key-theft -attributed_to-> threat_actor:storm-0558"}, nil},
			{"too far", "agency:bsi", "threat_actor:storm-0558", PathOptions{MaxHops: 2}, nil, ErrNotFound},
			{"unconnected", "product:log4j", "agency:bsi", PathOptions{}, nil, ErrNotFound},
			{"predicate filter", "agency:bsi", "agency:csrb", PathOptions{Predicates: []string{"criticizes"}}, nil, ErrNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				paths, err := s.Paths(ctx, tc.from, tc.to, tc.opt)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("error = %v, want %v", err, tc.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range paths {
					got = append(got, pathString(p))
					for _, h := range p.Hops {
						if h.Evidence == nil || h.Evidence.Sentence == "" || h.Evidence.Article.URL == "" || h.Articles < 1 {
							t.Errorf("hop %+v lacks evidence", h)
						}
					}
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}
	})
}

func TestTimeline(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		ctx := context.Background()
		tests := []struct {
			name string
			id   string
			w    Window
			want []string // day kind subject predicate object
		}{
			{"microsoft", "vendor:microsoft", Window{}, []string{
				"2023-07-21 relation vendor:microsoft affected_by incident:storm-0558-key-theft",
				"2023-07-21 relation agency:bsi investigates vendor:microsoft",
				"2023-07-21 statement agency:bsi says ",
				"2024-04-03 relation agency:csrb criticizes vendor:microsoft",
				"2024-04-03 relation agency:csrb criticizes vendor:microsoft",
				"2024-04-03 statement agency:csrb says ",
				"2024-04-04 relation agency:csrb criticizes vendor:microsoft",
			}},
			{"since and until", "vendor:microsoft", Window{Since: mustTime("2024-04-03T00:00:00Z"), Until: mustTime("2024-04-03T23:59:59Z")}, []string{
				"2024-04-03 relation agency:csrb criticizes vendor:microsoft",
				"2024-04-03 relation agency:csrb criticizes vendor:microsoft",
				"2024-04-03 statement agency:csrb says ",
			}},
			{"limit", "agency:bsi", Window{Limit: 1}, []string{"2021-12-12 relation agency:bsi warns_about vulnerability:cve-2021-44228"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res, err := s.Timeline(ctx, tc.id, tc.w)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range res.Events {
					obj := ""
					if e.Object != nil {
						obj = e.Object.ID
					}
					got = append(got, strings.Join([]string{e.Published.Format("2006-01-02"), e.Kind, e.Subject.ID, e.Predicate, obj}, " "))
					if e.Sentence == "" || e.Article.URL == "" {
						t.Errorf("event %+v lacks sentence or article", e)
					}
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}
	})
}

func TestStatements(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		ctx := context.Background()
		tests := []struct {
			name string
			q    StatementQuery
			want []string // speaker: text
		}{
			{"all, newest first", StatementQuery{}, []string{
				"agency:csrb: Microsoft's security culture needed an overhaul",
				"agency:bsi: wie Angreifer an den Signaturschlüssel gelangen konnten"}},
			{"by", StatementQuery{By: "agency:bsi"}, []string{"agency:bsi: wie Angreifer an den Signaturschlüssel gelangen konnten"}},
			{"about", StatementQuery{About: "vendor:microsoft", Window: Window{Since: mustTime("2024-01-01T00:00:00Z")}},
				[]string{"agency:csrb: Microsoft's security culture needed an overhaul"}},
			{"by and about nothing", StatementQuery{By: "agency:bsi", About: "agency:csrb"}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				items, err := s.Statements(ctx, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, it := range items {
					got = append(got, it.Speaker.ID+": "+it.Text)
					if len(it.About) == 0 || it.Sentence == "" || it.Article.URL == "" {
						t.Errorf("statement %+v incomplete", it)
					}
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}
	})
}

func TestCooccur(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPut(t, s, fixtureDocs()...)
		ctx := context.Background()
		tests := []struct {
			name string
			id   string
			opt  CooccurOptions
			want []string
		}{
			{"microsoft", "vendor:microsoft", CooccurOptions{}, []string{
				"agency:csrb 2", "incident:storm-0558-key-theft 2", "threat_actor:storm-0558 2",
				"agency:bsi 1", "agency:dhs 1", "product:exchange-online 1"}},
			{"by type", "vendor:microsoft", CooccurOptions{Types: []string{"agency"}}, []string{"agency:csrb 2", "agency:bsi 1", "agency:dhs 1"}},
			{"limit", "agency:bsi", CooccurOptions{Limit: 2}, []string{"incident:storm-0558-key-theft 1", "organization:apache-software-foundation 1"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res, err := s.Cooccur(ctx, tc.id, tc.opt)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, it := range res.Items {
					got = append(got, it.Entity.ID+" "+itoa(it.Articles))
				}
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}
	})
}

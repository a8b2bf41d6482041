package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/search"
)

func (a *app) searchCommand() *cobra.Command {
	var (
		asJSON      bool
		win         windowFlags
		sites       []string
		entities    []string
		relatedTo   string
		types       []string
		langs       []string
		kind        string
		limit, from int
		noFacets    bool
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Full-text search over the ingested articles and statements",
		Long: `Searches articles (and with --kind statement|all, attributed statements)
with Bleve's query-string syntax: words, "exact phrases", +required and
-excluded terms, field:value (title:, body:, site:, language:, entity:,
entity_type:), wildcards and fuzzy terms (Microsft~1). Stemming follows each
article's language (German or English).

Prints ranked hits with highlighted snippets («…») and facets: sites, entity
types, months, languages. --entity takes an id or a name known to the graph.`,
		Example: `  newsgraph search "Double Key Encryption"
  newsgraph search Sicherheitslücke --since 2024-01-01 --site "heise online"
  newsgraph search "" --entity BSI --json
  newsgraph search Microsoft --kind statement
  newsgraph search "" --related-to BSI --type law`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			req := search.Request{Sites: sites, EntityTypes: types, Kind: kind, Languages: langs,
				Size: limit, From: from, Facets: !noFacets, Highlight: search.HighlightPlain}
			if len(args) == 1 {
				req.Query = args[0]
			}
			var err error
			if req.Since, req.Until, err = win.parse(); err != nil {
				return err
			}
			if !asJSON && isTerminal(a.stdout) {
				req.Highlight = search.HighlightANSI
			}
			st, err := a.openStores(ctx, "search")
			if err != nil {
				return err
			}
			for _, e := range entities {
				id, err := resolveEntity(ctx, st.graph, e)
				if err != nil {
					return err
				}
				req.Entities = append(req.Entities, id)
			}
			if relatedTo != "" {
				if req.AnyEntities, err = relatedIDs(ctx, st.graph, relatedTo); err != nil {
					return err
				}
				if len(req.AnyEntities) == 0 {
					return fmt.Errorf("--related-to %s: the graph knows no entity related to it", relatedTo)
				}
			}
			res, err := st.index.Search(ctx, req)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, res)
			}
			a.printSearch(res, req)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, `print {"total", "hits": [...], "facets": {...}} as JSON`)
	win.register(cmd, "only articles")
	f.StringSliceVar(&sites, "site", nil, "only these sites (e.g. \"heise online\"); repeatable")
	f.StringSliceVar(&entities, "entity", nil, "only articles mentioning this entity (id or name); repeatable, all must match")
	f.StringVar(&relatedTo, "related-to", "", "only articles mentioning an entity related to this one (id or name) by any relation")
	f.StringSliceVar(&types, "type", nil, "only articles mentioning an entity of this type (agency, vendor, law, …)")
	f.StringSliceVar(&langs, "lang", nil, "only these languages (de, en)")
	f.StringVar(&kind, "kind", search.KindArticle, "what to search: article, statement or all")
	f.IntVar(&limit, "limit", 10, "hits per page")
	f.IntVar(&from, "from", 0, "skip this many hits (paging)")
	f.BoolVar(&noFacets, "no-facets", false, "do not compute facets")
	return cmd
}

func (a *app) printSearch(res *search.Result, req search.Request) {
	w := a.stdout
	fmt.Fprintf(w, "%d hits (%s)\n", res.Total, res.Took.Round(time.Millisecond))
	for i, h := range res.Hits {
		day := ""
		if len(h.Published) >= 10 {
			day = h.Published[:10]
		}
		label := h.Title
		if h.Kind == search.KindStatement && h.Speaker != "" {
			label = h.Speaker + " in: " + h.Title
		}
		fmt.Fprintf(w, "\n%2d. %s\n    %s · %s · score %.2f\n", req.From+i+1, label, strings.TrimSpace(h.Site+" "+day), h.URL, h.Score)
		for _, s := range h.Snippets {
			fmt.Fprintf(w, "    … %s …\n", strings.Join(strings.Fields(s), " "))
		}
	}
	if len(res.Facets) == 0 {
		return
	}
	fmt.Fprintln(w)
	names := make([]string, 0, len(res.Facets))
	for n := range res.Facets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var parts []string
		for _, fc := range res.Facets[n] {
			parts = append(parts, fmt.Sprintf("%s (%d)", fc.Term, fc.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%-13s %s\n", n+":", strings.Join(parts, ", "))
		}
	}
}

// relatedIDs resolves name and lists the ids of the entities related to it.
func relatedIDs(ctx context.Context, g *graph.Store, name string) ([]string, error) {
	id, err := resolveEntity(ctx, g, name)
	if err != nil {
		return nil, err
	}
	rels, err := g.Related(ctx, id, graph.RelatedOptions{})
	if err != nil {
		return nil, err
	}
	var ids []string
	seen := map[string]bool{id: true}
	for _, r := range rels {
		if !seen[r.Other.ID] {
			seen[r.Other.ID] = true
			ids = append(ids, r.Other.ID)
		}
	}
	return ids, nil
}

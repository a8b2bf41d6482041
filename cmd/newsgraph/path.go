package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

// pathHopRow is one hop of one path, the jsonl/CSV item of `path`.
type pathHopRow struct {
	Path int `json:"path"`
	Step int `json:"hop"`
	graph.Hop
}

func (a *app) pathCommand() *cobra.Command {
	var (
		out        outputFlags
		maxHops    int
		limit      int
		predicates []string
	)
	cmd := &cobra.Command{
		Use:   "path FROM TO",
		Short: "Find the shortest chains of relations between two entities",
		Long: `Finds the shortest paths from FROM to TO over relations in either direction,
at most --max hops long, and shows each hop with its relation, the number of
supporting articles and the latest supporting sentence with its article.

CSV columns (one row per hop): path, hop, from_id, from_name, predicate,
direction, to_id, to_name, articles, sentence, published, url. direction
"out" means from -predicate-> to, "in" means to -predicate-> from.`,
		Example: `  newsgraph path BSI "Storm-0558"
  newsgraph path CrowdStrike "Delta Air Lines" --max 3 --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format, err := out.resolve()
			if err != nil {
				return err
			}
			st, err := a.openStores(ctx, "path")
			if err != nil {
				return err
			}
			from, err := resolveEntity(ctx, st.graph, args[0])
			if err != nil {
				return err
			}
			to, err := resolveEntity(ctx, st.graph, args[1])
			if err != nil {
				return err
			}
			if from == to {
				return fmt.Errorf("%q and %q are the same entity (%s): give two different ones", args[0], args[1], from)
			}
			paths, err := st.graph.Paths(ctx, from, to, graph.PathOptions{MaxHops: maxHops, Limit: limit, Predicates: predicates})
			if errors.Is(err, graph.ErrNotFound) {
				// No chain is an answer, not a failure: say so (scripts get an empty list).
				paths, err = []graph.Path{}, nil
				if format == formatTable {
					fmt.Fprintf(a.stdout, "no path from %s to %s within %d hops\n", args[0], args[1], maxHops)
					return nil
				}
			}
			if err != nil {
				return err
			}
			var rows []pathHopRow
			l := listing{whole: paths, header: []string{"path", "hop", "from_id", "from_name", "predicate", "direction",
				"to_id", "to_name", "articles", "sentence", "published", "url"}}
			for i, p := range paths {
				for j, h := range p.Hops {
					rows = append(rows, pathHopRow{Path: i + 1, Step: j + 1, Hop: h})
					var sent, pub, url string
					if h.Evidence != nil {
						sent, pub, url = h.Evidence.Sentence, stamp(h.Evidence.Article.Published), h.Evidence.Article.URL
					}
					l.rows = append(l.rows, []string{strconv.Itoa(i + 1), strconv.Itoa(j + 1), h.From.ID, h.From.Name, h.Predicate,
						h.Direction, h.To.ID, h.To.Name, strconv.Itoa(h.Articles), sent, pub, url})
				}
			}
			l.items = anySlice(rows)
			if format == formatTable {
				a.printPaths(paths)
				return nil
			}
			return a.emit(format, l)
		},
	}
	out.register(cmd, `the paths [{"length", "hops": [{"from", "predicate", "direction", "to", "articles", "evidence"}]}]`)
	cmd.Flags().IntVar(&maxHops, "max", graph.DefaultPathHops, "longest path to look for, in hops")
	cmd.Flags().IntVar(&limit, "limit", graph.DefaultPathLimit, "at most this many paths")
	cmd.Flags().StringSliceVar(&predicates, "predicate", nil, "only follow this relation predicate; repeatable")
	return cmd
}

func (a *app) printPaths(paths []graph.Path) {
	w := a.stdout
	for i, p := range paths {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "path %d (%d hop(s))\n", i+1, p.Length)
		for j, h := range p.Hops {
			if j == 0 {
				fmt.Fprintf(w, "  %s (%s)\n", h.From.Name, h.From.Type)
			}
			rel := "—" + h.Predicate + "→"
			if h.Direction == "in" {
				rel = "←" + h.Predicate + "—"
			}
			fmt.Fprintf(w, "    %s %s (%s)   %d article(s)\n", rel, h.To.Name, h.To.Type, h.Articles)
			if e := h.Evidence; e != nil {
				fmt.Fprintf(w, "      %s %s: %s\n      %s\n", day(e.Article.Published), e.Article.Site, truncate(e.Sentence, 160), e.Article.URL)
			}
		}
	}
}

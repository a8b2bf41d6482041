package main

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) relatedCommand() *cobra.Command {
	var (
		out        outputFlags
		win        windowFlags
		types      []string
		predicates []string
		direction  string
		limit      int
	)
	cmd := &cobra.Command{
		Use:   "related NAME|ID",
		Short: "List the entities related to one entity, best supported first",
		Long: `Lists the entities connected to NAME by a relation (sues, investigates,
criticizes, part_of …) in either direction, each with the number of articles
supporting the relation and the latest of them, best supported first.
--since/--until count only support published in that window. NAME may be the
canonical name, any alias (case-insensitive) or the id; an ambiguous name lists
the candidates and exits with status 2.

CSV columns: predicate, direction, other_id, other_name, other_type, articles,
latest_published, latest_title, latest_url. direction "out" means
NAME -predicate-> other, "in" means other -predicate-> NAME.`,
		Example: `  newsgraph related BSI
  newsgraph related Microsoft --type agency --predicate criticizes
  newsgraph related CrowdStrike --since 2024-07-01 --format csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format, err := out.resolve()
			if err != nil {
				return err
			}
			since, until, err := win.parse()
			if err != nil {
				return err
			}
			st, id, err := a.openEntity(ctx, "related", args[0])
			if err != nil {
				return err
			}
			rels, err := st.graph.Related(ctx, id, graph.RelatedOptions{Types: types, Predicates: predicates,
				Direction: direction, Since: since, Until: until, Limit: limit})
			if err != nil {
				return err
			}
			l := listing{whole: rels, items: anySlice(rels),
				header: []string{"predicate", "direction", "other_id", "other_name", "other_type", "articles", "latest_published", "latest_title", "latest_url"}}
			var table [][]string
			for _, r := range rels {
				var pub, title, url string
				if r.Latest != nil {
					pub, title, url = stamp(r.Latest.Published), r.Latest.Title, r.Latest.URL
				}
				l.rows = append(l.rows, []string{r.Predicate, r.Direction, r.Other.ID, r.Other.Name, string(r.Other.Type),
					strconv.Itoa(r.Evidence), pub, title, url})
				arrow := "→"
				if r.Direction == "in" {
					arrow = "←"
				}
				latest := ""
				if r.Latest != nil {
					latest = day(r.Latest.Published) + " " + truncate(r.Latest.Title, 60)
				}
				table = append(table, []string{arrow + " " + r.Predicate, r.Other.Name, string(r.Other.Type), strconv.Itoa(r.Evidence), latest})
			}
			if format == formatTable {
				if len(rels) == 0 {
					a.printf("no relations\n")
					return nil
				}
				printTable(a.stdout, []string{"relation", "entity", "type", "articles", "latest"}, table)
				return nil
			}
			return a.emit(format, l)
		},
	}
	out.register(cmd, "the relations [{predicate, direction, other, evidence, latest}]")
	win.register(cmd, "count only support")
	f := cmd.Flags()
	f.StringSliceVar(&types, "type", nil, "only related entities of this type (agency, vendor, …); repeatable")
	f.StringSliceVar(&predicates, "predicate", nil, "only this relation predicate (sues, criticizes, …); repeatable")
	f.StringVar(&direction, "direction", "", `"out" (NAME → other), "in" (other → NAME) or both (default)`)
	f.IntVar(&limit, "limit", 50, "at most this many relations (0: all)")
	return cmd
}

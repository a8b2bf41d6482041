package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) cooccurCommand() *cobra.Command {
	var (
		out   outputFlags
		types []string
		limit int
	)
	cmd := &cobra.Command{
		Use:   "cooccur NAME|ID",
		Short: "List the entities most often mentioned together with one entity",
		Long: `Counts, over the articles that mention NAME, the other entities they mention,
most frequent first. For an entity in very many articles only the first
10,000 are walked, and the output says so.

CSV columns: entity_id, entity_name, entity_type, articles.`,
		Example: `  newsgraph cooccur BSI
  newsgraph cooccur "Storm-0558" --type vendor --limit 5
  newsgraph cooccur Microsoft --format jsonl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format, err := out.resolve()
			if err != nil {
				return err
			}
			st, id, err := a.openEntity(ctx, "cooccur", args[0])
			if err != nil {
				return err
			}
			res, err := st.graph.Cooccur(ctx, id, graph.CooccurOptions{Types: types, Limit: limit})
			if err != nil {
				return err
			}
			l := listing{whole: res, items: anySlice(res.Items), header: []string{"entity_id", "entity_name", "entity_type", "articles"}}
			for _, it := range res.Items {
				l.rows = append(l.rows, []string{it.Entity.ID, it.Entity.Name, it.Entity.Type, strconv.Itoa(it.Articles)})
			}
			if format == formatTable {
				more := ""
				if res.Truncated {
					more = " (the first ones walked; there are more)"
				}
				fmt.Fprintf(a.stdout, "%s (%s) is mentioned in %d articles%s\n", res.Entity.Name, res.Entity.Type, res.Articles, more)
				if len(res.Items) == 0 {
					return nil
				}
				fmt.Fprintln(a.stdout)
				var rows [][]string
				for _, it := range res.Items {
					rows = append(rows, []string{it.Entity.Name, it.Entity.Type, strconv.Itoa(it.Articles), it.Entity.ID})
				}
				printTable(a.stdout, []string{"entity", "type", "articles", "id"}, rows)
				return nil
			}
			return a.emit(format, l)
		},
	}
	out.register(cmd, `{"entity", "articles", "items": [{"entity", "articles"}]}`)
	cmd.Flags().StringSliceVar(&types, "type", nil, "only entities of this type; repeatable")
	cmd.Flags().IntVar(&limit, "limit", 20, "at most this many entities (0: all)")
	return cmd
}

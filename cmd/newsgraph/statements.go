package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) statementsCommand() *cobra.Command {
	var (
		out       outputFlags
		win       windowFlags
		by, about string
		limit     int
	)
	cmd := &cobra.Command{
		Use:   "statements",
		Short: "List attributed statements, by speaker and/or about an entity, newest first",
		Long: `Lists quotations and reported claims with their speaker, the entities they
concern, the sentence and the article, newest first. --by and --about take a
name, alias or id.

CSV columns: published, speaker_id, speaker_name, text, about (ids joined by
";"), sentence, site, title, url, id.`,
		Example: `  newsgraph statements --by BSI
  newsgraph statements --about Microsoft --since 2024-01-01
  newsgraph statements --by "Claudia Plattner" --format jsonl`,
		Args: cobra.NoArgs,
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
			st, err := a.openStores(ctx, "statements")
			if err != nil {
				return err
			}
			q := graph.StatementQuery{Window: graph.Window{Since: since, Until: until, Limit: limit}}
			if by != "" {
				if q.By, err = resolveEntity(ctx, st.graph, by); err != nil {
					return err
				}
			}
			if about != "" {
				if q.About, err = resolveEntity(ctx, st.graph, about); err != nil {
					return err
				}
			}
			items, err := st.graph.Statements(ctx, q)
			if err != nil {
				return err
			}
			l := listing{whole: items, items: anySlice(items), header: []string{"published", "speaker_id", "speaker_name", "text", "about",
				"sentence", "site", "title", "url", "id"}}
			var table [][]string
			for _, it := range items {
				var sid, sname string
				if it.Speaker != nil {
					sid, sname = it.Speaker.ID, it.Speaker.Name
				}
				var ids, names []string
				for _, x := range it.About {
					ids = append(ids, x.ID)
					names = append(names, x.Name)
				}
				l.rows = append(l.rows, []string{stamp(it.Article.Published), sid, sname, it.Text, strings.Join(ids, ";"),
					it.Sentence, it.Article.Site, it.Article.Title, it.Article.URL, it.ID})
				table = append(table, []string{day(it.Article.Published), sname, "„" + truncate(it.Text, 80) + "“", strings.Join(names, ", "), it.Article.Site})
			}
			if format == formatTable {
				if len(items) == 0 {
					a.printf("no statements\n")
					return nil
				}
				printTable(a.stdout, []string{"date", "speaker", "statement", "about", "site"}, table)
				return nil
			}
			return a.emit(format, l)
		},
	}
	out.register(cmd, `the statements [{"id", "speaker", "text", "about", "sentence", "article"}]`)
	win.register(cmd, "only statements from articles")
	cmd.Flags().StringVar(&by, "by", "", "only statements by this speaker")
	cmd.Flags().StringVar(&about, "about", "", "only statements about this entity")
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many statements (0: all)")
	return cmd
}

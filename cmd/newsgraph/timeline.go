package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) timelineCommand() *cobra.Command {
	var (
		out   outputFlags
		win   windowFlags
		limit int
	)
	cmd := &cobra.Command{
		Use:   "timeline NAME|ID",
		Short: "List the dated relations and statements involving one entity, oldest first",
		Long: `Lists, in order of publication, every relation read about NAME (as subject
or object) with the sentence it was read from, and every statement by or about
NAME, each with its article. Undated articles come last and are left out by
--since/--until.

CSV columns: published, kind (relation|statement), subject_id, subject_name,
predicate ("says" for statements), object_id, object_name, about (ids joined
by ";"), text, sentence, site, title, url.`,
		Example: `  newsgraph timeline "Storm-0558"
  newsgraph timeline BSI --since 2024-01-01 --until 2024-06-30
  newsgraph timeline Microsoft --format csv > microsoft.csv`,
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
			st, id, err := a.openEntity(ctx, "timeline", args[0])
			if err != nil {
				return err
			}
			res, err := st.graph.Timeline(ctx, id, graph.Window{Since: since, Until: until, Limit: limit})
			if err != nil {
				return err
			}
			l := listing{whole: res, items: anySlice(res.Events), header: []string{"published", "kind", "subject_id", "subject_name",
				"predicate", "object_id", "object_name", "about", "text", "sentence", "site", "title", "url"}}
			var table [][]string
			for _, e := range res.Events {
				var sid, sname, oid, oname string
				if e.Subject != nil {
					sid, sname = e.Subject.ID, e.Subject.Name
				}
				if e.Object != nil {
					oid, oname = e.Object.ID, e.Object.Name
				}
				var about, aboutNames []string
				for _, x := range e.About {
					about = append(about, x.ID)
					aboutNames = append(aboutNames, x.Name)
				}
				l.rows = append(l.rows, []string{stamp(e.Published), e.Kind, sid, sname, e.Predicate, oid, oname,
					strings.Join(about, ";"), e.Text, e.Sentence, e.Article.Site, e.Article.Title, e.Article.URL})
				if sname == "" {
					sname = "(unknown speaker)"
				}
				what := sname + " " + e.Predicate + " " + oname
				if e.Kind == graph.EventStatement {
					what = sname + ": „" + truncate(e.Text, 70) + "“"
					if len(aboutNames) > 0 {
						what += " (about " + strings.Join(aboutNames, ", ") + ")"
					}
				}
				table = append(table, []string{day(e.Published), what, e.Article.Site, truncate(e.Sentence, 90)})
			}
			if format == formatTable {
				more := ""
				if res.Truncated {
					more = " (walk stopped at the hub limit: more exist)"
				}
				fmt.Fprintf(a.stdout, "%s (%s): %s event(s)%s\n\n", res.Entity.Name, res.Entity.Type, strconv.Itoa(len(res.Events)), more)
				if len(table) > 0 {
					printTable(a.stdout, []string{"date", "fact", "site", "sentence"}, table)
				}
				return nil
			}
			return a.emit(format, l)
		},
	}
	out.register(cmd, `{"entity", "events": [{"published", "kind", "subject", "predicate", "object", "about", "text", "sentence", "article"}]}`)
	win.register(cmd, "only facts from articles")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many events, oldest first (0: all)")
	return cmd
}

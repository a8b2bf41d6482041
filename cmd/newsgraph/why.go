package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) whyCommand() *cobra.Command {
	var (
		out   outputFlags
		limit int
	)
	cmd := &cobra.Command{
		Use:   "why SUBJECT PREDICATE OBJECT",
		Short: "Show every sentence and article supporting one relation",
		Long: `Lists the evidence for SUBJECT -PREDICATE-> OBJECT: each sentence the
relation was read from, with its confidence and the article's date, site,
title and URL, newest first. SUBJECT and OBJECT are names, aliases or ids;
PREDICATE is a relation predicate (sues, investigates, criticizes, …). When
the relation holds only the other way round, the error says so.

CSV columns: published, confidence, sentence, site, title, url, article_id.`,
		Example: `  newsgraph why BSI invokes "§ 7a BSIG"
  newsgraph why "Cyber Safety Review Board" criticizes Microsoft --json`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format, err := out.resolve()
			if err != nil {
				return err
			}
			st, err := a.openStores(ctx, "why")
			if err != nil {
				return err
			}
			sub, err := resolveEntity(ctx, st.graph, args[0])
			if err != nil {
				return err
			}
			obj, err := resolveEntity(ctx, st.graph, args[2])
			if err != nil {
				return err
			}
			pred := args[1]
			items, err := st.graph.Why(ctx, sub, pred, obj)
			if errors.Is(err, graph.ErrNotFound) {
				msg := fmt.Sprintf("no evidence that %s %s %s", sub, pred, obj)
				if _, rerr := st.graph.Why(ctx, obj, pred, sub); rerr == nil {
					msg += fmt.Sprintf("; the graph has it the other way round: newsgraph why %s %s %s", obj, pred, sub)
				}
				return errors.New(msg)
			}
			if err != nil {
				return err
			}
			total := len(items)
			if limit > 0 && len(items) > limit {
				items = items[:limit]
			}
			whole := map[string]any{"subject": sub, "predicate": pred, "object": obj, "evidence": items}
			l := listing{whole: whole, items: anySlice(items), header: []string{"published", "confidence", "sentence", "site", "title", "url", "article_id"}}
			for _, it := range items {
				l.rows = append(l.rows, []string{stamp(it.Article.Published), strconv.FormatFloat(it.Confidence, 'f', 2, 64),
					it.Sentence, it.Article.Site, it.Article.Title, it.Article.URL, it.Article.ID})
			}
			if format == formatTable {
				shown := ""
				if len(items) < total {
					shown = fmt.Sprintf(", newest %d shown", len(items))
				}
				fmt.Fprintf(a.stdout, "%s %s %s: %d sentence(s)%s\n", sub, pred, obj, total, shown)
				for _, it := range items {
					fmt.Fprintf(a.stdout, "\n%s  %s  (confidence %.2f)\n  %s\n  %s\n", day(it.Article.Published), it.Article.Site, it.Confidence, it.Sentence, it.Article.URL)
				}
				return nil
			}
			return a.emit(format, l)
		},
	}
	out.register(cmd, `{"subject", "predicate", "object", "evidence": [{"sentence", "confidence", "article"}]}`)
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many sentences (0: all)")
	return cmd
}

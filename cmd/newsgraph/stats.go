package main

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"
)

func (a *app) statsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count articles, entities (by type), relations, statements and quads",
		Example: `  newsgraph stats
  newsgraph stats --json | jq .entities_by_type`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStores(ctx, "stats")
			if err != nil {
				return err
			}
			s, err := st.graph.Stats(ctx)
			if err != nil {
				return err
			}
			arts, stmts, err := st.index.Counts(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, map[string]any{
					"articles": s.Articles, "entities": s.Entities, "relations": s.Relations,
					"statements": s.Statements, "quads": s.Quads, "evidence": s.Evidence,
					"entities_by_type": s.EntitiesByType,
					"index":            map[string]uint64{"articles": arts, "statements": stmts},
					"data":             st.dir,
				})
			}
			w := a.stdout
			fmt.Fprintf(w, "data directory  %s\n", st.dir)
			fmt.Fprintf(w, "articles        %d\n", s.Articles)
			fmt.Fprintf(w, "entities        %d\n", s.Entities)
			types := make([]string, 0, len(s.EntitiesByType))
			for t := range s.EntitiesByType {
				types = append(types, t)
			}
			sort.Slice(types, func(i, j int) bool { return s.EntitiesByType[types[i]] > s.EntitiesByType[types[j]] })
			for _, t := range types {
				fmt.Fprintf(w, "  %-14s%d\n", t, s.EntitiesByType[t])
			}
			fmt.Fprintf(w, "relations       %d (from %d readings)\n", s.Relations, s.Evidence)
			fmt.Fprintf(w, "statements      %d\n", s.Statements)
			fmt.Fprintf(w, "quads           %d\n", s.Quads)
			fmt.Fprintf(w, "search index    %d articles, %d statements\n", arts, stmts)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	return cmd
}

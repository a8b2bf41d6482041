package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func (a *app) importCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Load N-Quads written by `newsgraph export --format nquads`",
		Long: `Reads N-Quads (as "newsgraph export --format nquads" writes them) from FILE
or stdin and stores them in the graph. Each article replaces its stored
version, so importing the same file twice changes nothing. Counts and
per-entity aggregates are recomputed. The full-text index is not filled by an
import: ingest the articles themselves to search them.`,
		Example: `  newsgraph export --format nquads --out graph.nq
  newsgraph --data /tmp/copy import graph.nq
  gunzip -c graph.nq.gz | newsgraph import -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var r io.Reader = a.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				r = f
			}
			st, err := a.openStores(ctx, "import")
			if err != nil {
				return err
			}
			res, err := st.graph.Import(ctx, r)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, res)
			}
			fmt.Fprintf(a.stdout, "imported %d quads: %d articles, %d quads written, %d removed\n", res.Quads, res.Articles, res.Added, res.Removed)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"quads", "articles", "added", "removed"} as JSON`)
	return cmd
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) queryCommand() *cobra.Command {
	var limit int
	var file string
	cmd := &cobra.Command{
		Use:   "query GIZMO",
		Short: "Run a Cayley Gizmo query against the graph (JSON lines)",
		Long: `Runs a Gizmo (JavaScript) query against the graph and prints each result as
one JSON line. Nodes are IRIs: entities <agency:bsi>, articles <article:…>,
statements <statement:…>, evidence <evidence:…>; predicates <name>, <type>,
<alias>, <mentions>, <speaker>, <about>, <text>, <sentence>, and the relation
predicates <sues>, <invokes>, <part_of>, … (see the README's graph design).`,
		Example: `  newsgraph query 'g.V("<agency:bsi>").Out("<sues>").Out("<name>").All()'
  newsgraph query 'g.V("<agency:bsi>").In("<mentions>").Out("<title>").All()' --limit 5
  newsgraph query --file q.js`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q := ""
			switch {
			case file != "":
				var b []byte
				var err error
				if file == "-" {
					b, err = io.ReadAll(a.stdin)
				} else {
					b, err = os.ReadFile(file)
				}
				if err != nil {
					return err
				}
				q = string(b)
			case len(args) == 1:
				q = args[0]
			default:
				return fmt.Errorf("give a Gizmo query, or --file")
			}
			if strings.TrimSpace(q) == "" {
				return fmt.Errorf("empty query")
			}
			st, err := a.openStores(cmd.Context(), "query")
			if err != nil {
				return err
			}
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			return st.graph.Query(cmd.Context(), q, limit, func(v any) error { return enc.Encode(v) })
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many results")
	cmd.Flags().StringVar(&file, "file", "", "read the query from a file (- for standard input)")
	return cmd
}

package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) entityCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "entity NAME|ID",
		Short: "Profile one entity: type, aliases, coverage and relations with evidence",
		Long: `Prints an entity's profile: its type and aliases, how many articles mention
it (with the first and last date), and its relations grouped by predicate, in
both directions, each with the number of articles supporting it and the latest
of them. NAME may be the canonical name, any alias (case-insensitive) or the
id; an ambiguous name lists the candidates and exits with status 2.`,
		Example: `  newsgraph entity BSI
  newsgraph entity "Bundesamt für Sicherheit in der Informationstechnik"
  newsgraph entity vendor:microsoft --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, id, err := a.openEntity(ctx, "entity", args[0])
			if err != nil {
				return err
			}
			p, err := st.graph.Entity(ctx, id)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, p)
			}
			a.printProfile(p)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"id", "type", "name", "aliases", "articles", "relations": [...]} as JSON`)
	return cmd
}

func (a *app) printProfile(p *graph.Profile) {
	w := a.stdout
	fmt.Fprintf(w, "%s (%s, %s)\n", p.Name, p.Type, p.ID)
	if len(p.Aliases) > 0 {
		fmt.Fprintf(w, "aliases: %s\n", strings.Join(p.Aliases, "; "))
	}
	if p.Wikidata != "" {
		fmt.Fprintf(w, "wikidata: %s\n", p.Wikidata)
	}
	fmt.Fprintf(w, "mentioned in %d articles", p.Articles)
	if p.Truncated {
		fmt.Fprint(w, " or more")
	}
	if !p.FirstSeen.IsZero() {
		fmt.Fprintf(w, ", %s – %s", p.FirstSeen.Format("2006-01-02"), p.LastSeen.Format("2006-01-02"))
	}
	fmt.Fprintln(w)
	if len(p.Relations) == 0 {
		fmt.Fprintln(w, "no relations")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	last := ""
	for _, r := range p.Relations {
		if r.Predicate != last {
			fmt.Fprintf(tw, "\n%s\t\t\t\n", r.Predicate)
			last = r.Predicate
		}
		arrow := "→"
		if r.Direction == "in" {
			arrow = "←"
		}
		latest := ""
		if r.Latest != nil {
			latest = r.Latest.Title
			if !r.Latest.Published.IsZero() {
				latest = r.Latest.Published.Format("2006-01-02") + " " + latest
			}
		}
		fmt.Fprintf(tw, "  %s %s (%s)\t%d article(s)\t%s\n", arrow, r.Other.Name, r.Other.Type, r.Evidence, truncate(latest, 70))
	}
	tw.Flush()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

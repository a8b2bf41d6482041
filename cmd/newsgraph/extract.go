package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/model"
)

func (a *app) extractCommand() *cobra.Command {
	var (
		asJSON  bool
		pageURL string
	)
	cmd := &cobra.Command{
		Use:   "extract FILE|URL|-",
		Short: "Show what newsgraph reads from one article, storing nothing",
		Long: `Runs the whole extraction on one article (an HTML page, a plain-text file
whose first line is the headline, a URL, or - for standard input) and prints
the article's metadata and text, its entities, relations with evidence, and
statements. Nothing is stored. --json prints the object described in the
schema (SCHEMA.md): {"article", "entities", "relations", "statements"}.`,
		Example: `  newsgraph extract --json data/samples/heise-bsi-microsoft-paragraf-7a.html
  newsgraph extract --url https://www.heise.de/news/x.html saved.html
  newsgraph extract https://therecord.media/some-article`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.pipeline(ingest.Options{Stdin: a.stdin, Workers: 1, Fetcher: a.fetcher("")})
			if err != nil {
				return err
			}
			doc, err := p.Document(cmd.Context(), args[0], pageURL)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, doc)
			}
			a.printDocument(doc)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the schema's JSON object")
	cmd.Flags().StringVar(&pageURL, "url", "", "the address a saved page was fetched from")
	return cmd
}

func (a *app) printDocument(d model.Document) {
	w := a.stdout
	art := d.Article
	fmt.Fprintf(w, "%s\n", art.Title)
	var meta []string
	for _, m := range []string{art.Site, art.Byline, art.Language} {
		if m != "" {
			meta = append(meta, m)
		}
	}
	if !art.Published.IsZero() {
		meta = append(meta, art.Published.Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(w, "%s\n", strings.Join(meta, " · "))
	if art.URL != "" {
		fmt.Fprintln(w, art.URL)
	}
	fmt.Fprintf(w, "%d words\n\nentities:\n", len(strings.Fields(art.Text)))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, e := range d.Entities {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d×\n", e.Type, e.Name, e.ID, e.Mentions)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nrelations:")
	for _, r := range d.Relations {
		fmt.Fprintf(w, "  %s —%s→ %s  (%.2f)\n      %s\n", name(d, r.Subject), r.Predicate, name(d, r.Object), r.Confidence, r.Evidence)
	}
	fmt.Fprintln(w, "\nstatements:")
	for _, s := range d.Statements {
		who := "(unknown speaker)"
		if s.Speaker != "" {
			who = name(d, s.Speaker)
		}
		fmt.Fprintf(w, "  %s: „%s“\n", who, s.Text)
	}
}

func name(d model.Document, id string) string {
	if e, ok := d.Entity(id); ok {
		return e.Name
	}
	return id
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/graph"
)

func (a *app) exportCommand() *cobra.Command {
	var (
		format, out, since, entity string
		hops                       int
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the graph (or part of it) as N-Quads, JSON-LD, GraphML, CSV or STIX 2.1",
		Long: `Exports whole articles with everything read from them and the entities they
refer to, to stdout or --out FILE:

  nquads   Cayley's native form; re-import with "newsgraph import"
  jsonld   JSON-LD with schema.org terms (NewsArticle, Quotation, Claim, …)
  graphml  the entity graph for Gephi and yEd (relations weighted by articles)
  csv      node and relationship files for neo4j-admin database import; with
           --out PREFIX writes PREFIX-nodes.csv and PREFIX-relationships.csv,
           on stdout the nodes, a blank line, then the relationships
  stix     a STIX 2.1 bundle: identity, intrusion-set, vulnerability,
           incident, software, report and relationship objects with stable
           UUIDv5 ids; evidence sentences in the relationship descriptions

--since keeps articles published on or after a day; --entity X --hops N keeps
the entities within N relations of X, the articles supporting the relations
among them and the articles mentioning X.`,
		Example: `  newsgraph export --format nquads --out graph.nq
  newsgraph export --format stix --entity "Storm-0558" --hops 2 > storm.json
  newsgraph export --format csv --since 2024-01-01 --out neo4j/news
  newsgraph export --format graphml --out graph.graphml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format = strings.ToLower(format)
			if !slices.Contains(graph.ExportFormats, format) {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(graph.ExportFormats, ", "))
			}
			opt := graph.ExportOptions{Hops: hops}
			var err error
			if opt.Since, err = parseDay(since, false); err != nil {
				return fmt.Errorf("--since: %w", err)
			}
			st, err := a.openStores(ctx, "export")
			if err != nil {
				return err
			}
			if entity != "" {
				if opt.Entity, err = resolveEntity(ctx, st.graph, entity); err != nil {
					return err
				}
			}
			if format == graph.FormatCSV && out != "" {
				prefix := strings.TrimSuffix(out, ".csv")
				return writeFiles([]string{prefix + "-nodes.csv", prefix + "-relationships.csv"},
					func(ws []io.Writer) error { return st.graph.ExportCSV(ctx, ws[0], ws[1], opt) })
			}
			write := func(w io.Writer) error {
				switch format {
				case graph.FormatNQuads:
					_, err := st.graph.ExportNQuads(ctx, w, opt)
					return err
				case graph.FormatJSONLD:
					return st.graph.ExportJSONLD(ctx, w, opt)
				case graph.FormatGraphML:
					return st.graph.ExportGraphML(ctx, w, opt)
				case graph.FormatSTIX:
					return st.graph.ExportSTIX(ctx, w, opt)
				}
				// CSV on one stream: nodes, a blank line, relationships.
				var rels strings.Builder
				if err := st.graph.ExportCSV(ctx, w, &rels, opt); err != nil {
					return err
				}
				_, err := io.WriteString(w, "\n"+rels.String())
				return err
			}
			if out == "" {
				bw := bufio.NewWriter(a.stdout)
				if err := write(bw); err != nil {
					return err
				}
				return bw.Flush()
			}
			return writeFiles([]string{out}, func(ws []io.Writer) error { return write(ws[0]) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", graph.FormatNQuads, "nquads, jsonld, graphml, csv or stix")
	f.StringVar(&out, "out", "", "write to this file instead of stdout (csv: a file name prefix)")
	f.StringVar(&since, "since", "", "only articles published on or after this day (YYYY-MM-DD)")
	f.StringVar(&entity, "entity", "", "only the neighbourhood of this entity (name or id)")
	f.IntVar(&hops, "hops", graph.DefaultExportHops, "with --entity: how many relations away to go")
	return cmd
}

// writeFiles creates the files (through a temporary name, so that a failed
// export leaves no half-written file) and passes them to write.
func writeFiles(names []string, write func(ws []io.Writer) error) error {
	var files []*os.File
	var bufs []*bufio.Writer
	var ws []io.Writer
	cleanup := func() {
		for _, f := range files {
			f.Close()
			os.Remove(f.Name())
		}
	}
	for _, n := range names {
		if dir := filepath.Dir(n); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				cleanup()
				return err
			}
		}
		f, err := os.CreateTemp(filepath.Dir(n), "."+filepath.Base(n)+".*")
		if err != nil {
			cleanup()
			return err
		}
		files = append(files, f)
		bufs = append(bufs, bufio.NewWriter(f))
		ws = append(ws, bufs[len(bufs)-1])
	}
	err := write(ws)
	for i, b := range bufs {
		if err == nil {
			err = b.Flush()
		}
		if err == nil {
			err = files[i].Close()
		}
	}
	if err != nil {
		cleanup()
		return err
	}
	for i, f := range files {
		if err := os.Rename(f.Name(), names[i]); err != nil {
			return err
		}
	}
	return nil
}

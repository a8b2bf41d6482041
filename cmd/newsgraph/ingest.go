package main

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/model"
)

func (a *app) ingestCommand() *cobra.Command {
	var (
		asJSON    bool
		samples   bool
		workers   int
		batchSize int
		userAgent string
		warcFiles []string
	)
	cmd := &cobra.Command{
		Use:   "ingest [PATH|URL|-]...",
		Short: "Read articles into the graph and the search index",
		Long: `Reads articles into the data directory's graph and search index: HTML pages
and plain-text articles (.txt: the first line is the headline), folders
(walked recursively for .html, .htm, .xhtml and .txt), http(s) URLs, and -
for standard input. --samples ingests the built-in sample corpus.

Ingesting an article again (same canonical URL, or same text) replaces what
was read from it before; it never counts twice. A batch goes on past a bad
input, lists it at the end and exits with status 1.`,
		Example: `  newsgraph ingest --samples
  newsgraph ingest data/samples
  newsgraph ingest ~/saved-pages https://www.heise.de/news/...html
  curl -s https://example.org/article | newsgraph ingest -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if len(warcFiles) > 0 {
				return a.ingestWARC(ctx, warcFiles, args, asJSON)
			}
			if len(args) == 0 && !samples {
				return fmt.Errorf("nothing to ingest: give files, folders, URLs or -, or --samples")
			}
			opts := ingest.Options{Stdin: a.stdin, Workers: workers, BatchSize: batchSize, Fetcher: a.fetcher(userAgent)}
			items := args
			var err error
			if samples {
				if len(args) > 0 {
					return fmt.Errorf("--samples takes no other inputs")
				}
				opts.FS = data.Samples()
				items, err = fs.Glob(opts.FS, "*.*")
				if err != nil {
					return err
				}
				items = filterArticles(items)
			} else if items, err = ingest.Expand(args); err != nil {
				return err
			}
			p, err := a.pipeline(opts)
			if err != nil {
				return err
			}
			st, err := a.openStores(ctx, "ingest")
			if err != nil {
				return err
			}
			start := time.Now()
			progress, finish := a.progress(len(items))
			sum, runErr := p.Run(ctx, items, func(ctx context.Context, docs []model.Document) error {
				return st.put(ctx, docs)
			}, progress)
			finish()
			elapsed := time.Since(start)
			stats, err := st.graph.Stats(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(a.stdout, map[string]any{"summary": sum, "seconds": elapsed.Seconds(), "store": stats}); err != nil {
					return err
				}
			} else {
				a.printIngestSummary(sum, elapsed, stats.Articles, stats.Entities, stats.Relations, stats.Statements)
			}
			if runErr != nil {
				return runErr
			}
			if sum.Failed > 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("%d of %d inputs failed", sum.Failed, sum.Items)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	f.BoolVar(&samples, "samples", false, "ingest the built-in sample corpus")
	f.IntVar(&workers, "workers", 0, "parse and extract on this many goroutines (default: number of CPUs)")
	f.IntVar(&batchSize, "batch", 200, "articles per store transaction")
	f.StringVar(&userAgent, "user-agent", "", "User-Agent for URLs (default names newsgraph and its version)")
	f.StringSliceVar(&warcFiles, "warc", nil, "ingest the HTML responses of WARC file(s) (.warc or .warc.gz), skipping other records")
	return cmd
}

func filterArticles(names []string) []string {
	var out []string
	for _, n := range names {
		for _, ext := range []string{".html", ".htm", ".txt", ".xhtml"} {
			if len(n) > len(ext) && n[len(n)-len(ext):] == ext {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// put stores a batch in the graph, then in the index. The graph says which
// earlier articles the batch replaces (same URL or same text under another
// URL); those leave the index too.
func (s *stores) put(ctx context.Context, docs []model.Document) error {
	res, err := s.graph.Put(ctx, docs)
	if err != nil {
		return err
	}
	if len(res.Replaced) > 0 {
		if err := s.index.DeleteArticles(ctx, res.Replaced); err != nil {
			return err
		}
	}
	return s.index.Put(ctx, docs)
}

// progress shows a bar on a terminal, and nothing otherwise (logs say what failed).
func (a *app) progress(n int) (ingest.Progress, func()) {
	if !isTerminal(a.stderr) || n < 2 {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(n,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription("ingesting"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("articles"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return func(string, error) { _ = bar.Add(1) }, func() { _ = bar.Finish() }
}

func (a *app) printIngestSummary(sum ingest.Summary, elapsed time.Duration, articles, entities, relations, statements int64) {
	w := a.stdout
	fmt.Fprintf(w, "ingested %d of %d inputs in %.1fs (%.0f articles/s): %d entity mentions, %d relations",
		sum.Articles, sum.Items, elapsed.Seconds(), float64(sum.Articles)/max(elapsed.Seconds(), 1e-9), sum.Entities, sum.Relations)
	if sum.Repeated > 0 {
		fmt.Fprintf(w, "; %d repeated", sum.Repeated)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "store now holds %d articles, %d entities, %d relations, %d statements\n", articles, entities, relations, statements)
	for _, f := range sum.Failures {
		fmt.Fprintf(w, "  failed: %s: %s\n", f.Item, f.Err)
	}
	if sum.Failed == 0 && articles > 0 {
		fmt.Fprintln(w, `next: newsgraph stats | newsgraph entity BSI | newsgraph search "Double Key Encryption"`)
	}
}

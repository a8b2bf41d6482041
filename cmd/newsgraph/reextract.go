package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/archive"
	"github.com/newsgraph/newsgraph/ingest/crawl"
	"github.com/newsgraph/newsgraph/ingest/model"
)

func (a *app) reextractCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "reextract",
		Short: "Rebuild graph and index from the page archive, without network",
		Long: `Reads every page archived under DATA/archive (the raw bytes crawl fetched),
runs the current parser and extractor over them and stores the articles again.
Storing an article replaces what was read from it before, so after the
extractor improves the store reflects the new extractor; nothing is fetched.

Pages are read in archive order: a page whose text was seen under another
address earlier is skipped, as crawl skips it. A crash during reextract is
harmless: run it again.`,
		Example: `  newsgraph reextract
  newsgraph reextract --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStores(ctx, "reextract")
			if err != nil {
				return err
			}
			files, err := archive.Files(filepath.Join(st.dir, "archive"))
			if err != nil {
				return err
			}
			sum, err := a.ingestRecords(ctx, st, files, func(r archive.Record) bool { return r.Role != archive.RoleFeed })
			if err != nil {
				return err
			}
			return a.reportRecords(ctx, st, sum, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// recordSummary counts what reading archive records did.
type recordSummary struct {
	Files     int              `json:"files"`
	Records   int              `json:"records"`
	Skipped   int              `json:"skipped"` // not HTML, not 2xx, or a feed
	Articles  int              `json:"articles"`
	Repeated  int              `json:"repeated"`
	Failed    int              `json:"failed"`
	Failures  []ingest.Failure `json:"failures"`
	Truncated []string         `json:"truncated_files,omitempty"`
	Seconds   float64          `json:"seconds"`
}

// ingestRecords parses and stores the usable HTML records of WARC files.
func (a *app) ingestRecords(ctx context.Context, st *stores, files []string, want func(archive.Record) bool) (recordSummary, error) {
	start := time.Now()
	sum := recordSummary{Files: len(files), Failures: []ingest.Failure{}}
	pipe, err := a.pipeline(ingest.Options{})
	if err != nil {
		return sum, err
	}
	var batch []model.Document
	pos := map[string]int{} // article id → index in batch
	hashes := map[string]string{}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := st.put(ctx, batch)
		batch = batch[:0]
		clear(pos)
		return err
	}
	for _, f := range files {
		err := archive.ReadFile(ctx, f, func(r archive.Record) error {
			sum.Records++
			if !r.Usable() || (want != nil && !want(r)) {
				sum.Skipped++
				return nil
			}
			raw := ingest.Raw{Name: r.URL, URL: r.URL, ContentType: r.ContentType(), Body: r.Body}
			if clean, err := crawl.CleanURL(r.URL); err == nil {
				raw.URL = clean
			}
			doc, err := pipe.FromRaw(ctx, raw, "")
			if err != nil {
				sum.Failed++
				sum.Failures = append(sum.Failures, ingest.Failure{Item: r.URL, Err: err.Error()})
				return nil
			}
			id, hash := doc.Article.ID(), doc.Article.ContentHash()
			if first, ok := hashes[hash]; ok && first != id {
				sum.Repeated++ // the same text under another address: the first stays
				return nil
			}
			hashes[hash] = id
			if i, ok := pos[id]; ok {
				batch[i] = doc // a later copy of the same page replaces the earlier
				sum.Repeated++
				return nil
			}
			pos[id] = len(batch)
			batch = append(batch, doc)
			sum.Articles++
			if len(batch) >= 200 {
				return flush()
			}
			return nil
		})
		if errors.Is(err, archive.ErrTruncated) {
			sum.Truncated = append(sum.Truncated, f)
			a.log.Warn("archive file cut short (a crash while writing); its complete records were read", "file", f)
			continue
		}
		if err != nil {
			return sum, err
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

func (a *app) reportRecords(ctx context.Context, st *stores, sum recordSummary, asJSON bool) error {
	stats, err := st.graph.Stats(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(a.stdout, map[string]any{"summary": sum, "store": stats}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "read %d records from %d files in %.1fs: %d articles stored, %d repeated, %d skipped, %d failed\n",
			sum.Records, sum.Files, sum.Seconds, sum.Articles, sum.Repeated, sum.Skipped, sum.Failed)
		fmt.Fprintf(a.stdout, "store now holds %d articles, %d entities, %d relations, %d statements\n",
			stats.Articles, stats.Entities, stats.Relations, stats.Statements)
		for _, f := range sum.Failures {
			fmt.Fprintf(a.stdout, "  failed: %s: %s\n", f.Item, f.Err)
		}
	}
	if sum.Failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d records failed", sum.Failed, sum.Records)}
	}
	return nil
}

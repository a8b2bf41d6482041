package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/cmd/internal/lockfile"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/archive"
	"github.com/newsgraph/newsgraph/ingest/crawl"
	"github.com/newsgraph/newsgraph/ingest/fetch"
	"github.com/newsgraph/newsgraph/ingest/model"
)

// crawlFlags are the settings crawl and watch share.
type crawlFlags struct {
	asJSON          bool
	all             bool
	userAgent       string
	contact         string
	workers         int
	hostConcurrency int
	hostDelay       time.Duration
	timeout         time.Duration
	retries         int
	maxItems        int
	maxBytes        int64
}

func (cf *crawlFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&cf.asJSON, "json", false, "print the pass summary as JSON")
	f.BoolVar(&cf.all, "all", false, "fetch every feed, due or not")
	f.StringVar(&cf.userAgent, "user-agent", "", "User-Agent (default names newsgraph, its version and --contact)")
	f.StringVar(&cf.contact, "contact", defaultContact, "contact URL or address named in the User-Agent")
	f.IntVar(&cf.workers, "workers", crawl.DefaultWorkers, "requests in flight over all hosts")
	f.IntVar(&cf.hostConcurrency, "host-concurrency", crawl.DefaultHostConcurrency, "requests in flight per host (1-2 is polite)")
	f.DurationVar(&cf.hostDelay, "host-delay", crawl.DefaultHostDelay, "minimum time between requests to one host (robots.txt Crawl-delay wins when longer)")
	f.DurationVar(&cf.timeout, "timeout", 30*time.Second, "timeout of one request, body included")
	f.IntVar(&cf.retries, "retries", fetch.DefaultRetries, "retries on network errors, 5xx and 429 (negative: none)")
	f.IntVar(&cf.maxItems, "max-items", 0, "new items per feed and pass (0: all; the rest come next pass)")
	f.Int64Var(&cf.maxBytes, "max-bytes", fetch.DefaultMaxBytes, "size cap of one response")
}

func (cf *crawlFlags) client(a *app) *fetch.Client {
	ua := agent(cf.userAgent, cf.contact)
	retries := cf.retries
	if retries == 0 {
		retries = -1 // fetch reads 0 as "default"
	}
	return fetch.New(fetch.Options{UserAgent: ua, Timeout: cf.timeout, Retries: retries, MaxBytes: cf.maxBytes, Logger: a.log})
}

// crawlSummary is what `crawl --json` prints.
type crawlSummary struct {
	Feeds          int                `json:"feeds"` // feeds fetched
	New            int                `json:"new"`
	Repeated       int                `json:"repeated"`
	NearDuplicates int                `json:"near_duplicates"`
	FailedFeeds    int                `json:"failed_feeds"`
	FailedItems    int                `json:"failed_items"`
	Interrupted    bool               `json:"interrupted"`
	Seconds        float64            `json:"seconds"`
	Archive        string             `json:"archive,omitempty"`
	Results        []crawl.FeedResult `json:"results"`
}

func summarize(p *crawl.Pass, archivePath string) crawlSummary {
	s := crawlSummary{Feeds: len(p.Feeds), Results: p.Feeds, Interrupted: p.Interrupted, Archive: archivePath,
		Seconds: p.Finished.Sub(p.Started).Seconds()}
	if s.Results == nil {
		s.Results = []crawl.FeedResult{}
	}
	for _, f := range p.Feeds {
		s.New += f.New
		s.Repeated += f.Repeated
		s.FailedItems += f.Failed
		if f.Err != "" {
			s.FailedFeeds++
		}
	}
	for _, it := range p.Items {
		if it.DuplicateOf != "" {
			s.NearDuplicates++
		}
	}
	return s
}

func (a *app) crawlCommand() *cobra.Command {
	var cf crawlFlags
	cmd := &cobra.Command{
		Use:   "crawl",
		Short: "Fetch the feeds that are due once and ingest their new articles",
		Long: `Makes one pass over the registered feeds that are due (see newsgraph feeds),
fetches their new items politely (robots.txt, one request per host at a time,
--host-delay apart, conditional GETs), archives every fetched page under
DATA/archive, and ingests the articles. Made for cron: exit status 0 when all
went well, 1 with a summary when some feeds failed.

The network part runs without holding the data directory, so searches and
queries from other terminals keep working; the store is locked only while the
pass writes. A pass killed at any moment loses nothing: the next one fetches
again what was not committed, and storing an article again never duplicates it.`,
		Example: `  newsgraph feeds add --defaults
  newsgraph crawl
  newsgraph crawl --json | jq .new
  */15 * * * * newsgraph crawl --log-level error`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, arch, err := a.crawlPass(cmd.Context(), &cf)
			if err != nil {
				return err
			}
			sum := summarize(p, arch)
			if cf.asJSON {
				if err := writeJSON(a.stdout, sum); err != nil {
					return err
				}
			} else {
				a.printCrawlSummary(sum)
			}
			if sum.FailedFeeds > 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("%d of %d feeds failed", sum.FailedFeeds, sum.Feeds)}
			}
			return nil
		},
	}
	cf.register(cmd)
	return cmd
}

func (a *app) watchCommand() *cobra.Command {
	var cf crawlFlags
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Crawl the feeds on their schedule until interrupted",
		Long: `Runs crawl passes every --every until SIGINT or SIGTERM; each pass fetches the
feeds that are due (each feed has its own interval, see feeds add --every).
On a signal it finishes the articles in hand, stores them, and exits cleanly.
The data directory is held only while a pass writes, so search and query work
from other terminals between (and during the network part of) passes.`,
		Example: `  newsgraph watch
  newsgraph watch --every 10m --log-level info`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			for {
				p, arch, err := a.crawlPass(ctx, &cf)
				if err != nil {
					if ctx.Err() != nil {
						return nil
					}
					a.log.Error("watch: pass failed", "err", err)
				} else {
					sum := summarize(p, arch)
					if cf.asJSON {
						_ = writeJSON(a.stdout, sum)
					} else if sum.Feeds > 0 {
						a.printCrawlSummary(sum)
					}
				}
				if ctx.Err() != nil {
					return nil
				}
				t := time.NewTimer(every)
				select {
				case <-ctx.Done():
					t.Stop()
					return nil
				case <-t.C:
				}
			}
		},
	}
	cf.register(cmd)
	cmd.Flags().DurationVar(&every, "every", time.Minute, "time between passes (feeds are fetched when due)")
	return cmd
}

// crawlPass runs one pass: read the feed state under the lock, crawl
// without it, then store the articles and commit the state under it.
func (a *app) crawlPass(ctx context.Context, cf *crawlFlags) (*crawl.Pass, string, error) {
	dir, err := a.resolveDataDir()
	if err != nil {
		return nil, "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("data directory: %w", err)
	}
	var snap *crawl.Snapshot
	err = a.withRegistry(ctx, dir, "crawl (reading feeds)", func(reg *crawl.Registry) error {
		snap, err = reg.Snapshot(ctx)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	due := crawl.Due(snap.Feeds, time.Now(), cf.all)
	if len(snap.Feeds) == 0 {
		return nil, "", fmt.Errorf("no feeds registered: add some with `newsgraph feeds add URL` or `newsgraph feeds add --defaults`")
	}
	if len(due) == 0 {
		now := time.Now()
		return &crawl.Pass{Started: now, Finished: now}, "", nil
	}
	pipe, err := a.pipeline(ingest.Options{MaxBytes: cf.maxBytes})
	if err != nil {
		return nil, "", err
	}
	arch, err := archive.Create(filepath.Join(dir, "archive"), "crawl")
	if err != nil {
		return nil, "", err
	}
	progress, finish := a.crawlProgress()
	c, err := crawl.New(crawl.Options{
		Client: cf.client(a), Pipeline: pipe, Archive: arch,
		Workers: cf.workers, HostConcurrency: cf.hostConcurrency, HostDelay: orNone(cf.hostDelay),
		MaxItemsPerFeed: cf.maxItems, Logger: a.log, Progress: progress,
	})
	if err != nil {
		arch.Close()
		return nil, "", err
	}
	p, err := c.Pass(ctx, snap, due)
	finish()
	archPath := ""
	if arch.Count() > 0 {
		archPath = arch.Path()
	}
	if cerr := arch.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, "", err
	}
	// Storing and committing are not interrupted: what was fetched is kept.
	wctx := context.WithoutCancel(ctx)
	st, err := a.openStores(wctx, "crawl (storing)")
	if err != nil {
		return nil, "", err
	}
	defer a.close()
	docs := crawlDocs(p.Items)
	for i := 0; i < len(docs); i += 200 {
		if err := st.put(wctx, docs[i:min(i+200, len(docs))]); err != nil {
			return nil, "", err
		}
	}
	reg, err := crawl.OpenRegistry(wctx, filepath.Join(dir, "feeds.db"))
	if err != nil {
		return nil, "", err
	}
	defer reg.Close()
	if err := reg.Commit(wctx, p); err != nil {
		return nil, "", err
	}
	a.log.Info("crawl: pass done", "feeds", len(p.Feeds), "new", len(p.Items), "failed_feeds", p.FailedFeeds())
	return p, archPath, nil
}

// crawlDocs turns a pass's items into documents for the store. A
// near-duplicate carries the id of its original, so that the graph links the
// two instead of counting its relations twice.
func crawlDocs(items []crawl.Item) []model.Document {
	docs := make([]model.Document, len(items))
	for i, it := range items {
		docs[i] = it.Doc
		docs[i].Article.DuplicateOf = it.DuplicateOf
	}
	return docs
}

func orNone(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// withRegistry runs fn on the feeds database under the data directory's lock.
func (a *app) withRegistry(ctx context.Context, dir, who string, fn func(*crawl.Registry) error) error {
	if a.stores != nil {
		reg, err := crawl.OpenRegistry(ctx, filepath.Join(dir, "feeds.db"))
		if err != nil {
			return err
		}
		defer reg.Close()
		return fn(reg)
	}
	lock, err := lockfile.Acquire(ctx, filepath.Join(dir, "LOCK"), a.lockWait, "newsgraph "+who)
	if err != nil {
		return fmt.Errorf("data directory %s is in use (%v); wait for that process, or use another --data", dir, err)
	}
	defer lock.Release()
	reg, err := crawl.OpenRegistry(ctx, filepath.Join(dir, "feeds.db"))
	if err != nil {
		return err
	}
	defer reg.Close()
	return fn(reg)
}

// crawlProgress shows a spinner with counts on a terminal; logs otherwise.
func (a *app) crawlProgress() (func(crawl.Event), func()) {
	if !isTerminal(a.stderr) {
		return func(ev crawl.Event) {
			if ev.Err != nil {
				a.log.Warn("crawl", "feed", ev.Feed, "url", ev.URL, "err", ev.Err)
			} else {
				a.log.Debug("crawl", "feed", ev.Feed, "url", ev.URL)
			}
		}, func() {}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription("crawling"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return func(crawl.Event) { _ = bar.Add(1) }, func() { _ = bar.Finish() }
}

func (a *app) printCrawlSummary(s crawlSummary) {
	w := a.stdout
	fmt.Fprintf(w, "crawled %d feeds in %.1fs: %d new articles", s.Feeds, s.Seconds, s.New)
	if s.Repeated > 0 {
		fmt.Fprintf(w, ", %d repeated", s.Repeated)
	}
	if s.NearDuplicates > 0 {
		fmt.Fprintf(w, ", %d near-duplicates", s.NearDuplicates)
	}
	if s.FailedItems > 0 {
		fmt.Fprintf(w, ", %d items failed", s.FailedItems)
	}
	if s.Interrupted {
		fmt.Fprint(w, " (interrupted)")
	}
	fmt.Fprintln(w)
	for _, r := range s.Results {
		switch {
		case r.Err != "":
			fmt.Fprintf(w, "  FAILED %s: %s\n", r.Feed.Label(), r.Err)
		case r.Failed > 0:
			fmt.Fprintf(w, "  %s: %d new, %d items failed: %s\n", r.Feed.Label(), r.New, r.Failed, strings.Join(r.Errors, "; "))
		}
	}
}

package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/ingest/crawl"
	"github.com/newsgraph/newsgraph/ingest/fetch"
)

func (a *app) feedsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "Manage the feeds that crawl and watch fetch",
		Long: `Manages the feed registry (DATA/feeds.db): RSS 0.9x/1.0/2.0, Atom and JSON
feeds, each fetched every --every by crawl and watch. A site's home page works
too: its feed is found through <link rel="alternate">.`,
		Example: `  newsgraph feeds add --defaults
  newsgraph feeds add https://www.heise.de/security/ --every 15m --lang de
  newsgraph feeds list
  newsgraph feeds export > feeds.opml`,
	}
	cmd.AddCommand(a.feedsAddCommand(), a.feedsListCommand(), a.feedsRemoveCommand(), a.feedsImportCommand(), a.feedsExportCommand())
	return cmd
}

func (a *app) feedsAddCommand() *cobra.Command {
	var (
		f         crawl.Feed
		defaults  bool
		discover  bool
		userAgent string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "add [URL]",
		Short: "Register a feed (or a site's home page, or --defaults)",
		Example: `  newsgraph feeds add https://therecord.media/feed/ --name "The Record"
  newsgraph feeds add https://netzpolitik.org/ --include 'NIS2|KRITIS'
  newsgraph feeds add --defaults`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var feeds []crawl.Feed
			switch {
			case defaults && len(args) > 0:
				return fmt.Errorf("--defaults takes no URL")
			case defaults:
				fh, err := data.Feeds().Open("defaults.opml")
				if err != nil {
					return err
				}
				feeds, err = crawl.ReadOPML(fh)
				fh.Close()
				if err != nil {
					return err
				}
			case len(args) == 1:
				f.URL = args[0]
				if err := f.Validate(); err != nil {
					return err
				}
				if discover {
					// Network before the lock: the home page may take a while.
					u, title, err := crawl.Discover(ctx, fetch.New(fetch.Options{UserAgent: agent(userAgent, defaultContact), Logger: a.log}), args[0])
					if err != nil {
						return err
					}
					f.URL = u
					if f.Name == "" {
						f.Name = title
					}
				}
				feeds = []crawl.Feed{f}
			default:
				return fmt.Errorf("give a feed or home page URL, or --defaults")
			}
			var added []crawl.Feed
			err := a.registry(ctx, "feeds add", func(reg *crawl.Registry) (err error) {
				added, err = reg.Add(ctx, defaults, feeds...)
				return err
			})
			if err != nil {
				return err
			}
			if err := a.printFeedChange(asJSON, "added", added); err != nil || asJSON {
				return err
			}
			if defaults {
				fmt.Fprintf(a.stdout, "%d of %d default feeds added (the others were registered already)\n", len(added), len(feeds))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Name, "name", "", "the feed's name (default: its title)")
	fl.DurationVar(&f.Every, "every", crawl.DefaultEvery, "how often crawl fetches it")
	fl.StringVar(&f.Lang, "lang", "", "language of its articles when pages do not say (de, en)")
	fl.StringVar(&f.Include, "include", "", "only items whose title or link match this regular expression")
	fl.StringVar(&f.Exclude, "exclude", "", "skip items whose title or link match this regular expression")
	fl.BoolVar(&defaults, "defaults", false, "add the built-in list of IT-security and tech-policy outlets")
	fl.BoolVar(&discover, "discover", true, "fetch the URL to check it, and find the feed of a home page")
	fl.StringVar(&userAgent, "user-agent", "", "User-Agent for the discovery request")
	fl.BoolVar(&asJSON, "json", false, `print {"added": [feeds]} as JSON`)
	return cmd
}

func (a *app) feedsListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the feeds with their health",
		Example: `  newsgraph feeds list
  newsgraph feeds list --json | jq '.[] | select(.consecutive_errors > 0)'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			feeds, err := a.loadFeeds(ctx, "feeds list")
			if err != nil {
				return err
			}
			if asJSON {
				if feeds == nil {
					feeds = []crawl.Feed{}
				}
				return writeJSON(a.stdout, feeds)
			}
			if len(feeds) == 0 {
				fmt.Fprintln(a.stdout, "no feeds; add some with `newsgraph feeds add URL` or `newsgraph feeds add --defaults`")
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tEVERY\tLAST FETCH\tLAST NEW\tERRORS\tITEMS\tURL")
			for _, f := range feeds {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", f.ID, f.Label(), f.Every, ago(f.LastFetch), ago(f.LastNew), f.ConsecutiveErrors, f.ItemsTotal, f.URL)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, f := range feeds {
				if f.LastError != "" {
					fmt.Fprintf(a.stdout, "  %s: %s\n", f.Label(), f.LastError)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the feeds and their state as JSON")
	return cmd
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return time.Since(t).Round(time.Second).String() + " ago"
}

func (a *app) feedsRemoveCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "remove ID|URL|NAME",
		Short:   "Unregister a feed (what it brought in stays)",
		Example: "  newsgraph feeds remove 3fa2c1d0\n  newsgraph feeds remove https://therecord.media/feed/",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var removed []crawl.Feed
			err := a.registry(ctx, "feeds remove", func(reg *crawl.Registry) (err error) {
				removed, err = reg.Remove(ctx, args[0])
				return err
			})
			if err != nil {
				return err
			}
			return a.printFeedChange(asJSON, "removed", removed)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"removed": [feeds]} as JSON`)
	return cmd
}

func (a *app) feedsImportCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "import FILE.opml",
		Short:   "Register the feeds of an OPML file (registered ones are left as they are)",
		Example: "  newsgraph feeds import subscriptions.opml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			fh, err := os.Open(args[0])
			if err != nil {
				return err
			}
			feeds, err := crawl.ReadOPML(fh)
			fh.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			var added []crawl.Feed
			err = a.registry(ctx, "feeds import", func(reg *crawl.Registry) (err error) {
				added, err = reg.Add(ctx, true, feeds...)
				return err
			})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printFeedChange(true, "added", added)
			}
			fmt.Fprintf(a.stdout, "imported %d feeds (%d were registered already)\n", len(added), len(feeds)-len(added))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"added": [feeds]} as JSON`)
	return cmd
}

func (a *app) feedsExportCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "export",
		Short:   "Write the feeds as OPML to standard output",
		Example: "  newsgraph feeds export > feeds.opml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			feeds, err := a.loadFeeds(ctx, "feeds export")
			if err != nil {
				return err
			}
			return crawl.WriteOPML(a.stdout, "newsgraph feeds", feeds)
		},
	}
}

// loadFeeds reads the registered feeds under the data directory's lock.
func (a *app) loadFeeds(ctx context.Context, who string) ([]crawl.Feed, error) {
	var feeds []crawl.Feed
	err := a.registry(ctx, who, func(reg *crawl.Registry) (err error) {
		feeds, err = reg.Feeds(ctx)
		return err
	})
	return feeds, err
}

// registry runs fn on the feed registry of the data directory (created if
// missing), under the directory's lock.
func (a *app) registry(ctx context.Context, who string, fn func(*crawl.Registry) error) error {
	dir, err := a.resolveDataDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	return a.withRegistry(ctx, dir, who, fn)
}

// printFeedChange reports the feeds a command added or removed, as JSON
// ({"added": [...]}) or one line each.
func (a *app) printFeedChange(asJSON bool, verb string, feeds []crawl.Feed) error {
	if asJSON {
		if feeds == nil {
			feeds = []crawl.Feed{}
		}
		return writeJSON(a.stdout, map[string]any{verb: feeds})
	}
	for _, f := range feeds {
		fmt.Fprintf(a.stdout, "%s %s  %s  (every %s)\n", verb, f.ID, f.Label(), f.Every)
	}
	return nil
}

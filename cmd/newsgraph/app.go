package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/newsgraph/newsgraph/cmd/internal/lockfile"
	"github.com/newsgraph/newsgraph/data"
	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/article"
	"github.com/newsgraph/newsgraph/ingest/extract"
	"github.com/newsgraph/newsgraph/search"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// app holds what the commands share: the streams, global flags and open stores.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	dataDir    string
	graphAddr  string
	logLevel   string
	lockWait   time.Duration
	gazetteers []string

	log    *slog.Logger
	stores *stores
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "newsgraph",
		Short: "Turn news coverage into a knowledge graph you can query",
		Long: `newsgraph ingests news articles (HTML pages, plain-text files, URLs) into a
knowledge graph of agencies, vendors, incidents, laws, threat actors and the
statements about them, stored in Cayley with a Bleve full-text index, and
answers graph queries and searches.

The data directory is --data, else $NEWSGRAPH_DATA, else
$XDG_DATA_HOME/newsgraph (~/.local/share/newsgraph). One process uses it at a
time; a second one waits --lock-wait, then says who holds it.`,
		Example: `  newsgraph ingest --samples
  newsgraph search "Double Key Encryption"
  newsgraph entity BSI
  newsgraph extract --json article.html`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.setup()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.dataDir, "data", "", "data directory (default $NEWSGRAPH_DATA, else $XDG_DATA_HOME/newsgraph)")
	pf.StringVar(&a.graphAddr, "graph", "", "graph store address (default bbolt://DATA/graph; also memstore://)")
	pf.StringVar(&a.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	pf.DurationVar(&a.lockWait, "lock-wait", 3*time.Second, "how long to wait for a data directory that another process holds")
	pf.StringSliceVar(&a.gazetteers, "gazetteer", nil, "extra gazetteer TSV file(s) (besides DATA/gazetteer/*.tsv)")
	root.AddCommand(a.ingestCommand(), a.extractCommand(), a.searchCommand(), a.queryCommand(),
		a.entityCommand(), a.statsCommand())
	root.AddCommand(a.relatedCommand(), a.pathCommand(), a.timelineCommand(), a.statementsCommand(), a.whyCommand(), a.cooccurCommand(), a.exportCommand(), a.importCommand())
	root.AddCommand(a.feedsCommand(), a.crawlCommand(), a.watchCommand(), a.reextractCommand())
	return root
}

func (a *app) setup() error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
	return nil
}

// resolveDataDir applies the rule: --data, $NEWSGRAPH_DATA, $XDG_DATA_HOME/newsgraph, ~/.local/share/newsgraph.
func (a *app) resolveDataDir() (string, error) {
	dir := a.dataDir
	if dir == "" {
		dir = os.Getenv("NEWSGRAPH_DATA")
	}
	if dir == "" {
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			dir = filepath.Join(x, "newsgraph")
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("no data directory: set --data or NEWSGRAPH_DATA (%w)", err)
			}
			dir = filepath.Join(home, ".local", "share", "newsgraph")
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data directory %s: %w", dir, err)
	}
	return abs, nil
}

// extractor builds the extractor from the built-in gazetteer, the data
// directory's gazetteer/*.tsv and --gazetteer files, in that order (later
// entries with a known id add aliases to it).
func (a *app) extractor() (*extract.Extractor, error) {
	entries, lists, err := extract.LoadGazetteer(data.Gazetteer(), ".")
	if err != nil {
		return nil, err
	}
	if dir, err := a.resolveDataDir(); err == nil {
		user := filepath.Join(dir, "gazetteer")
		if st, err := os.Stat(user); err == nil && st.IsDir() {
			es, l, err := extract.LoadGazetteer(os.DirFS(user), ".")
			if err != nil {
				return nil, err
			}
			entries = append(entries, es...)
			lists.Add(l)
		}
	}
	for _, f := range a.gazetteers {
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: %w", err)
		}
		es, err := extract.ParseGazetteer(fh, f)
		fh.Close()
		if err != nil {
			return nil, err
		}
		entries = append(entries, es...)
	}
	return extract.New(extract.NewGazetteer(entries, lists), extract.Options{Logger: a.log}), nil
}

// pipeline builds the ingest pipeline: the extractor (built-in gazetteer plus
// the user's), the site rules (built-in plus DATA/sites/*.tsv) and the
// logger; opts supplies the rest.
func (a *app) pipeline(opts ingest.Options) (*ingest.Pipeline, error) {
	x, err := a.extractor()
	if err != nil {
		return nil, err
	}
	rules := article.BuiltinSiteRules()
	if dir, err := a.resolveDataDir(); err == nil {
		if st, err := os.Stat(filepath.Join(dir, "sites")); err == nil && st.IsDir() {
			user, err := article.LoadSiteRules(os.DirFS(dir), "sites")
			if err != nil {
				return nil, err
			}
			rules = rules.Merge(user)
		}
	}
	opts.Extractor, opts.SiteRules, opts.Logger = x, rules, a.log
	return ingest.New(opts)
}

// stores are the open graph and index of a data directory, under its lock.
type stores struct {
	dir   string
	lock  *lockfile.Lock
	graph *graph.Store
	index *search.Index
}

// openStores takes the data directory's lock and opens both stores.
func (a *app) openStores(ctx context.Context, who string) (*stores, error) {
	if a.stores != nil {
		return a.stores, nil
	}
	dir, err := a.resolveDataDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	lock, err := lockfile.Acquire(ctx, filepath.Join(dir, "LOCK"), a.lockWait, "newsgraph "+who)
	if err != nil {
		if errors.Is(err, lockfile.ErrHeld) {
			return nil, fmt.Errorf("data directory %s is in use (%v); newsgraph lets one process use it at a time: wait for that one to finish, or use another --data", dir, err)
		}
		return nil, err
	}
	addr := a.graphAddr
	if addr == "" {
		addr = "bbolt://" + filepath.Join(dir, "graph")
	}
	g, err := graph.Open(ctx, addr, graph.Options{Logger: a.log})
	if err != nil {
		lock.Release()
		return nil, fmt.Errorf("opening the graph: %w", err)
	}
	ix, err := search.Open(ctx, filepath.Join(dir, "index"), search.Options{Logger: a.log})
	if err != nil {
		g.Close()
		lock.Release()
		return nil, fmt.Errorf("opening the index: %w", err)
	}
	a.stores = &stores{dir: dir, lock: lock, graph: g, index: ix}
	return a.stores, nil
}

func (a *app) close() {
	if a.stores == nil {
		return
	}
	s := a.stores
	a.stores = nil
	if err := s.index.Close(); err != nil {
		fmt.Fprintln(a.stderr, "newsgraph: closing the index:", err)
	}
	if err := s.graph.Close(); err != nil {
		fmt.Fprintln(a.stderr, "newsgraph: closing the graph:", err)
	}
	s.lock.Release()
}

// isTerminal reports whether w is an interactive terminal (for progress bars and colours).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// openEntity opens the stores for command who and resolves its entity argument.
func (a *app) openEntity(ctx context.Context, who, name string) (*stores, string, error) {
	st, err := a.openStores(ctx, who)
	if err != nil {
		return nil, "", err
	}
	id, err := resolveEntity(ctx, st.graph, name)
	if err != nil {
		return nil, "", err
	}
	return st, id, nil
}

// resolveEntity maps a name, alias or id to one entity id; an ambiguous
// name lists the candidates as the error.
func resolveEntity(ctx context.Context, g *graph.Store, name string) (string, error) {
	ents, err := g.Resolve(ctx, name)
	if err != nil {
		if errors.Is(err, graph.ErrNotFound) {
			return "", fmt.Errorf("no entity named %q in the graph", name)
		}
		return "", err
	}
	if len(ents) == 1 {
		return ents[0].ID, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%q is ambiguous; use one of these ids:", name)
	for _, e := range ents {
		fmt.Fprintf(&b, "\n  %-40s %s (%s)", e.ID, e.Name, e.Type)
	}
	return "", &exitError{code: 2, msg: b.String()}
}

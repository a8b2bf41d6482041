package search

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors callers can test for with errors.Is.
var (
	// ErrLocked means another process (or another Index in this process) holds the index open.
	ErrLocked = errors.New("search index is locked by another process")
	// ErrMappingVersion means the index on disk was built with another mapping version and must be rebuilt.
	ErrMappingVersion = errors.New("search index has another mapping version")
	// ErrBadQuery means the request's query string or options could not be understood.
	ErrBadQuery = errors.New("bad search query")
	// ErrClosed means the Index was used after Close.
	ErrClosed = errors.New("search index is closed")
)

// Defaults for Options.
const (
	DefaultBatchSize   = 500
	DefaultLockTimeout = 2 * time.Second
)

// mappingVersionKey is the internal key under which the mapping version is stored.
var mappingVersionKey = []byte("newsgraph.mapping_version")

// Options configure an Index. The zero value is usable.
type Options struct {
	Logger      *slog.Logger  // nil discards
	BatchSize   int           // documents per Bleve batch; default 500
	LockTimeout time.Duration // how long Open waits for another holder; default 2s
}

// Index is newsgraph's full-text index. It is safe for concurrent use.
type Index struct {
	idx       bleve.Index
	dir       string
	log       *slog.Logger
	batchSize int

	mu     sync.RWMutex // guards closed; Close waits for running calls
	closed bool

	// writeMu serialises Put and DeleteArticles: each reads an article's
	// stored statement ids before replacing them.
	writeMu sync.Mutex
}

// Open opens the index in dir, creating it with the current mapping when dir
// holds no index. An index with another mapping version yields an error
// wrapping ErrMappingVersion; an index held by someone else yields one
// wrapping ErrLocked after Options.LockTimeout.
func Open(ctx context.Context, dir string, opts Options) (*Index, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	if dir == "" {
		return nil, errors.New("open search index: empty directory name")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	batch := opts.BatchSize
	if batch <= 0 {
		batch = DefaultBatchSize
	}
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	runtime := map[string]interface{}{"bolt_timeout": timeout.String()}

	var idx bleve.Index
	_, statErr := os.Stat(filepath.Join(dir, "index_meta.json"))
	switch {
	case statErr == nil:
		var err error
		idx, err = bleve.OpenUsing(dir, runtime)
		if err != nil {
			return nil, fmt.Errorf("open search index %s: %w", dir, lockErr(err))
		}
		v, err := idx.GetInternal(mappingVersionKey)
		if err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("open search index %s: read mapping version: %w", dir, err)
		}
		if string(v) != MappingVersion {
			_ = idx.Close()
			got := string(v)
			if got == "" {
				got = "none"
			}
			return nil, fmt.Errorf("open search index %s: version %s, want %s (rebuild the index): %w",
				dir, got, MappingVersion, ErrMappingVersion)
		}
		log.Debug("search index opened", "dir", dir)
	case errors.Is(statErr, os.ErrNotExist):
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return nil, fmt.Errorf("create search index: %s is not empty and holds no index", dir)
		}
		m, err := NewMapping()
		if err != nil {
			return nil, fmt.Errorf("create search index: %w", err)
		}
		idx, err = bleve.NewUsing(dir, m, scorch.Name, bleve.Config.DefaultKVStore, runtime)
		if err != nil {
			return nil, fmt.Errorf("create search index %s: %w", dir, lockErr(err))
		}
		if err := idx.SetInternal(mappingVersionKey, []byte(MappingVersion)); err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("create search index %s: store mapping version: %w", dir, err)
		}
		log.Info("search index created", "dir", dir, "mapping_version", MappingVersion)
	default:
		return nil, fmt.Errorf("open search index: %w", statErr)
	}
	return &Index{idx: idx, dir: dir, log: log, batchSize: batch}, nil
}

// lockErr marks bolt's lock timeout as ErrLocked. Bleve formats some errors
// with %v, so the text is checked as well as the chain.
func lockErr(err error) error {
	if errors.Is(err, bolterrors.ErrTimeout) || strings.Contains(err.Error(), bolterrors.ErrTimeout.Error()) {
		return fmt.Errorf("%w (%v)", ErrLocked, err)
	}
	return err
}

// Close flushes and closes the index. Closing twice is harmless.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("close search index %s: %w", ix.dir, err)
	}
	return nil
}

// Dir returns the index directory.
func (ix *Index) Dir() string { return ix.dir }

// acquire holds the read lock for an operation; release with ix.mu.RUnlock.
func (ix *Index) acquire() error {
	ix.mu.RLock()
	if ix.closed {
		ix.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// Count returns the number of documents in the index: articles plus statements.
func (ix *Index) Count() (uint64, error) {
	if err := ix.acquire(); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	defer ix.mu.RUnlock()
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// Counts returns the number of article and statement documents.
func (ix *Index) Counts(ctx context.Context) (articles, statements uint64, err error) {
	if err := ix.acquire(); err != nil {
		return 0, 0, fmt.Errorf("counts: %w", err)
	}
	defer ix.mu.RUnlock()
	for _, kind := range []string{KindArticle, KindStatement} {
		sr, err := buildRequest(Request{Kind: kind, Highlight: HighlightNone})
		if err != nil {
			return 0, 0, fmt.Errorf("counts: %w", err)
		}
		sr.Size, sr.Fields = 0, nil
		res, err := ix.idx.SearchInContext(ctx, sr)
		if err != nil {
			return 0, 0, fmt.Errorf("counts: %w", err)
		}
		if kind == KindArticle {
			articles = res.Total
		} else {
			statements = res.Total
		}
	}
	return articles, statements, nil
}

package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors returned by the store.
var (
	// ErrNotFound reports that no entity, article or relation matches.
	ErrNotFound = errors.New("graph: not found")
	// ErrLocked reports that another process holds the database file.
	ErrLocked = errors.New("graph: database is locked by another process")
	// ErrClosed reports use of a closed store.
	ErrClosed = errors.New("graph: store is closed")
	// ErrUnsupportedAddress reports an address whose scheme has no backend.
	ErrUnsupportedAddress = errors.New("graph: unsupported store address")
)

// DefaultHubLimit is the number of edges a profile walks through one node
// when Options.HubLimit is zero.
const DefaultHubLimit = 10000

// DefaultMaxRelations is the number of relations per predicate and
// direction a profile lists when Options.MaxRelations is zero.
const DefaultMaxRelations = 10

// DefaultLockTimeout is how long Open waits for a bbolt file lock when
// Options.LockTimeout is zero.
const DefaultLockTimeout = 2 * time.Second

// Options configure a Store.
type Options struct {
	Logger *slog.Logger // nil discards
	// HubLimit is the maximum number of edges walked through one node when
	// building a profile (default DefaultHubLimit).
	HubLimit int
	// MaxRelations is the number of relations per predicate and direction a
	// profile lists, best supported first (default DefaultMaxRelations).
	MaxRelations int
	// LockTimeout bounds the wait for the bbolt file lock (default DefaultLockTimeout).
	LockTimeout time.Duration
	// NoSync skips fsync on bbolt commits: faster bulk loads, but a power
	// failure can corrupt the file.
	NoSync bool
}

// Store is the knowledge graph on a Cayley quad store. It is safe for
// concurrent use; writes are serialised.
type Store struct {
	qs       cgraph.QuadStore
	log      *slog.Logger
	hubLimit int
	// maxRelations bounds the relations listed per predicate and direction.
	maxRelations int

	mu     sync.RWMutex // writers take it exclusively; memstore needs it for reads too
	closed bool

	// entities caches the global facts already stored per entity id, so a
	// batch does not re-read hub entities like BSI for every document.
	entities map[string]*entityFacts
	schema   map[string]bool // schema facts ("t:agency", "p:sues") known to be stored
	// aggState caches whether the aggregates are complete (aggOn, aggOff);
	// every write resets it to aggUnknown.
	aggState atomic.Int32
	// valueRefs caches the node refs of vocabulary values (quad.Value →
	// cgraph.Ref) between writes; every write drops it.
	valueRefs atomic.Pointer[sync.Map]
	writing   bool // a writer holds mu; vocabRef then bypasses the cache
}

// backend opens one kind of quad store.
type backend struct {
	// target checks an address of this scheme and returns what open needs
	// (a directory for file stores, a DSN for servers).
	target func(u *url.URL) (string, error)
	open   func(ctx context.Context, target string, opts Options) (cgraph.QuadStore, error)
	usage  string
}

// backends maps address schemes to quad stores. New backends (postgres://…)
// are added here only.
var backends = map[string]backend{
	"bbolt":    {target: bboltTarget, open: openBBolt, usage: "bbolt:///absolute/dir"},
	"memstore": {target: memstoreTarget, open: openMemstore, usage: "memstore://"},
}

func supportedAddresses() string {
	var s []string
	for _, b := range backends {
		s = append(s, b.usage)
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// parseAddress finds the backend of an address and its target.
func parseAddress(addr string) (backend, string, error) {
	u, err := url.Parse(addr)
	if err != nil || u.Scheme == "" {
		return backend{}, "", fmt.Errorf("%w (want one of %s)", ErrUnsupportedAddress, supportedAddresses())
	}
	b, ok := backends[u.Scheme]
	if !ok {
		return backend{}, "", fmt.Errorf("%w: scheme %q (want one of %s)", ErrUnsupportedAddress, u.Scheme, supportedAddresses())
	}
	target, err := b.target(u)
	if err != nil {
		return backend{}, "", err
	}
	return b, target, nil
}

// Open opens (creating if missing) the store at addr: "bbolt:///abs/dir"
// (Cayley's bbolt kv backend, file DIR/indexes.bolt) or "memstore://".
func Open(ctx context.Context, addr string, opts Options) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open graph %q: %w", addr, err)
	}
	b, target, err := parseAddress(addr)
	if err != nil {
		return nil, fmt.Errorf("open graph %q: %w", addr, err)
	}
	qs, err := b.open(ctx, target, opts)
	if err != nil {
		return nil, fmt.Errorf("open graph %q: %w", addr, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	hub := opts.HubLimit
	if hub <= 0 {
		hub = DefaultHubLimit
	}
	maxRel := opts.MaxRelations
	if maxRel <= 0 {
		maxRel = DefaultMaxRelations
	}
	return &Store{qs: qs, log: log, hubLimit: hub, maxRelations: maxRel,
		entities: make(map[string]*entityFacts), schema: make(map[string]bool)}, nil
}

func memstoreTarget(u *url.URL) (string, error) {
	if u.Host != "" || (u.Path != "" && u.Path != "/") || u.Opaque != "" {
		return "", fmt.Errorf("%w: memstore takes no path", ErrUnsupportedAddress)
	}
	return "", nil
}

func openMemstore(context.Context, string, Options) (cgraph.QuadStore, error) {
	return memstore.New(), nil
}

func bboltTarget(u *url.URL) (string, error) {
	dir := u.Path
	if u.Host != "" || u.Opaque != "" || dir == "" || !filepath.IsAbs(dir) {
		return "", fmt.Errorf("%w: bbolt needs an absolute directory, as in bbolt:///var/lib/newsgraph/graph", ErrUnsupportedAddress)
	}
	return filepath.Clean(dir), nil
}

// openBBolt opens the bbolt file itself (rather than through Cayley's
// registry) so that a held lock times out instead of blocking forever, and
// without Cayley's Bloom filters, which cost a scan of the whole log and
// about 150 MB on every open and did not speed up writes here.
func openBBolt(_ context.Context, dir string, opts Options) (cgraph.QuadStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create graph directory: %w", err)
	}
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	file := filepath.Join(dir, "indexes.bolt")
	db, err := bbolt.Open(file, 0o644, &bbolt.Options{Timeout: timeout, NoSync: opts.NoSync, NoGrowSync: opts.NoSync})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %v)", ErrLocked, file, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open bbolt %s: %w", file, err)
	}
	hdb := hbolt.New(db)
	if err := kv.Init(hdb, nil); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		db.Close()
		return nil, fmt.Errorf("initialise quad store: %w", err)
	}
	qs, err := kv.New(hdb, cgraph.Options{kv.OptNoBloom: true})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open quad store: %w", err)
	}
	return qs, nil
}

// Close closes the underlying quad store. Further calls return ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	if err := s.qs.Close(); err != nil {
		return fmt.Errorf("close graph: %w", err)
	}
	return nil
}

// begin checks the store and context before an operation. The caller must
// call the returned unlock function.
func (s *Store) begin(ctx context.Context, write bool) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if write {
		s.mu.Lock()
		s.aggState.Store(aggUnknown)
		s.valueRefs.Store(nil)
	} else {
		s.mu.RLock()
	}
	unlock := s.mu.RUnlock
	if write {
		s.writing = true
		unlock = func() {
			// A write deletes and re-creates nodes: no ref cached during it
			// may outlive it.
			s.writing = false
			s.valueRefs.Store(nil)
			s.mu.Unlock()
		}
	}
	if s.closed {
		unlock()
		return nil, ErrClosed
	}
	return unlock, nil
}

// vocabRef returns the node ref of a vocabulary value (a predicate IRI),
// cached until the next write; nil when the graph does not hold it.
func (s *Store) vocabRef(v quad.Value) (cgraph.Ref, error) {
	if s.writing {
		return s.qs.ValueOf(v)
	}
	m := s.valueRefs.Load()
	if m == nil {
		m = new(sync.Map)
		s.valueRefs.CompareAndSwap(nil, m)
		m = s.valueRefs.Load()
	}
	if r, ok := m.Load(v); ok {
		return r.(cgraph.Ref), nil
	}
	r, err := s.qs.ValueOf(v)
	if err != nil || r == nil {
		return r, err
	}
	m.Store(v, r)
	return r, nil
}

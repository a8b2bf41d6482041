package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DefaultEvery is how often a feed is fetched when it says nothing else.
const DefaultEvery = 30 * time.Minute

// Feed is one registered feed: what the user asked for and its health.
type Feed struct {
	ID      string        `json:"id"`
	URL     string        `json:"url"`
	Name    string        `json:"name,omitempty"`
	Every   time.Duration `json:"every"`
	Lang    string        `json:"lang,omitempty"`
	Include string        `json:"include,omitempty"` // regexp an item's title or link must match
	Exclude string        `json:"exclude,omitempty"` // regexp no item's title or link may match
	Added   time.Time     `json:"added"`

	// Fetch state, committed together with the articles it covers.
	ETag              string    `json:"etag,omitempty"`
	LastModified      string    `json:"last_modified,omitempty"`
	LastFetch         time.Time `json:"last_fetch,omitzero"`
	LastSuccess       time.Time `json:"last_success,omitzero"`
	LastNew           time.Time `json:"last_new,omitzero"`
	ConsecutiveErrors int       `json:"consecutive_errors"`
	LastError         string    `json:"last_error,omitempty"`
	ItemsTotal        int       `json:"items_total"`
}

// FeedID derives a feed's id from its address (stable under the folding Key does).
func FeedID(feedURL string) string {
	sum := sha256.Sum256([]byte(Key(feedURL)))
	return hex.EncodeToString(sum[:4])
}

// Validate checks the user's settings of a feed.
func (f Feed) Validate() error {
	if _, err := CleanURL(f.URL); err != nil {
		return err
	}
	if f.Every < 0 {
		return fmt.Errorf("crawl: feed %s: negative interval", f.URL)
	}
	for _, re := range []string{f.Include, f.Exclude} {
		if _, err := regexp.Compile(re); err != nil {
			return fmt.Errorf("crawl: feed %s: %w", f.URL, err)
		}
	}
	return nil
}

// Due reports whether the feed should be fetched at now: never fetched, or
// its interval passed since the last fetch. After failures the interval
// doubles per consecutive error (up to 16×), so a broken feed is not hammered.
func (f Feed) Due(now time.Time) bool {
	if f.LastFetch.IsZero() {
		return true
	}
	every := f.Every
	if every <= 0 {
		every = DefaultEvery
	}
	every <<= min(f.ConsecutiveErrors, 4)
	return !now.Before(f.LastFetch.Add(every))
}

// Label is the feed's name, else its address.
func (f Feed) Label() string {
	if f.Name != "" {
		return f.Name
	}
	return f.URL
}

// Fingerprint is an archived article's near-duplicate fingerprint.
type Fingerprint struct {
	ArticleID string
	Key       string // the article's URL key
	Simhash   uint64
}

// Snapshot is what a crawl pass needs from the registry, read under the
// data directory's lock and used after it was released.
type Snapshot struct {
	Feeds  []Feed
	Seen   map[string]bool // item keys already ingested (URL keys and feed item ids)
	Hashes map[string]bool // content hashes already ingested
	Prints []Fingerprint
}

// Registry is the feeds database (DATA/feeds.db, a bbolt file). Open it
// only while holding the data directory's lock.
type Registry struct {
	db *bolt.DB
}

var (
	bucketFeeds  = []byte("feeds")
	bucketSeen   = []byte("seen")
	bucketHashes = []byte("hashes")
	bucketPrints = []byte("simhash")
)

// ErrFeedExists is returned (wrapped) by Add for a feed already registered.
var ErrFeedExists = errors.New("feed already registered")

// ErrNoFeed is returned (wrapped) when no feed matches.
var ErrNoFeed = errors.New("no such feed")

// OpenRegistry opens (creating) the feeds database at path.
func OpenRegistry(ctx context.Context, path string) (*Registry, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("crawl: opening feeds database %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketFeeds, bucketSeen, bucketHashes, bucketPrints} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("crawl: feeds database %s: %w", path, err)
	}
	return &Registry{db: db}, nil
}

// Close closes the database.
func (r *Registry) Close() error {
	if err := r.db.Close(); err != nil {
		return fmt.Errorf("crawl: closing feeds database: %w", err)
	}
	return nil
}

// Add registers feeds; a feed whose address is registered already is an
// error (wrapping ErrFeedExists) unless skipExisting, when it is left as it is.
// It returns the feeds added.
func (r *Registry) Add(ctx context.Context, skipExisting bool, feeds ...Feed) ([]Feed, error) {
	var added []Feed
	err := r.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeeds)
		for _, f := range feeds {
			if err := f.Validate(); err != nil {
				return err
			}
			clean, _ := CleanURL(f.URL)
			f.URL = clean
			f.ID = FeedID(clean)
			if f.Every == 0 {
				f.Every = DefaultEvery
			}
			if f.Added.IsZero() {
				f.Added = time.Now().UTC()
			}
			if b.Get([]byte(f.ID)) != nil {
				if skipExisting {
					continue
				}
				return fmt.Errorf("crawl: %s: %w", f.URL, ErrFeedExists)
			}
			v, err := json.Marshal(f)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(f.ID), v); err != nil {
				return err
			}
			added = append(added, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: adding feeds: %w", err)
	}
	return added, nil
}

// Feeds lists the registered feeds by name, then address.
func (r *Registry) Feeds(ctx context.Context) ([]Feed, error) {
	var out []Feed
	err := r.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeeds).ForEach(func(k, v []byte) error {
			var f Feed
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("feed %s: %w", k, err)
			}
			out = append(out, f)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: listing feeds: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := strings.ToLower(out[i].Label()), strings.ToLower(out[j].Label()); a != b {
			return a < b
		}
		return out[i].URL < out[j].URL
	})
	return out, nil
}

// Find returns the feeds matching ref: an id, an address (any variant Key
// folds) or a name (case-insensitive).
func (r *Registry) Find(ctx context.Context, ref string) ([]Feed, error) {
	all, err := r.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	var out []Feed
	for _, f := range all {
		if f.ID == ref || Key(f.URL) == Key(ref) || strings.EqualFold(f.Name, ref) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("crawl: %q: %w", ref, ErrNoFeed)
	}
	return out, nil
}

// Remove unregisters the feeds matching ref (see Find) and returns them.
// What they brought in stays in the store and in the seen set.
func (r *Registry) Remove(ctx context.Context, ref string) ([]Feed, error) {
	found, err := r.Find(ctx, ref)
	if err != nil {
		return nil, err
	}
	err = r.db.Update(func(tx *bolt.Tx) error {
		for _, f := range found {
			if err := tx.Bucket(bucketFeeds).Delete([]byte(f.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: removing feeds: %w", err)
	}
	return found, nil
}

// Snapshot reads what a pass needs.
func (r *Registry) Snapshot(ctx context.Context) (*Snapshot, error) {
	feeds, err := r.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Feeds: feeds, Seen: map[string]bool{}, Hashes: map[string]bool{}}
	err = r.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketSeen).ForEach(func(k, _ []byte) error { s.Seen[string(k)] = true; return nil }); err != nil {
			return err
		}
		if err := tx.Bucket(bucketHashes).ForEach(func(k, _ []byte) error { s.Hashes[string(k)] = true; return nil }); err != nil {
			return err
		}
		return tx.Bucket(bucketPrints).ForEach(func(k, v []byte) error {
			if len(v) < 8 {
				return nil
			}
			s.Prints = append(s.Prints, Fingerprint{ArticleID: string(k), Simhash: binary.BigEndian.Uint64(v), Key: string(v[8:])})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: reading feed state: %w", err)
	}
	return s, nil
}

// Commit records a pass's outcome in one transaction: each crawled feed's
// new state, the item keys and content hashes it ingested and the
// fingerprints of its articles. Call it only after the pass's documents
// are stored, so that a crash in between makes the next pass redo the work.
func (r *Registry) Commit(ctx context.Context, p *Pass) error {
	err := r.db.Update(func(tx *bolt.Tx) error {
		fb := tx.Bucket(bucketFeeds)
		for _, fr := range p.Feeds {
			cur := fb.Get([]byte(fr.Feed.ID))
			if cur == nil {
				continue // removed while the pass ran
			}
			var old Feed
			if err := json.Unmarshal(cur, &old); err != nil {
				return err
			}
			// The user's settings may have changed meanwhile: keep them, take the state.
			f := fr.Feed
			f.URL, f.Name, f.Every, f.Lang, f.Include, f.Exclude, f.Added = old.URL, old.Name, old.Every, old.Lang, old.Include, old.Exclude, old.Added
			v, err := json.Marshal(f)
			if err != nil {
				return err
			}
			if err := fb.Put([]byte(f.ID), v); err != nil {
				return err
			}
		}
		now := []byte(p.Started.UTC().Format(time.RFC3339))
		sb := tx.Bucket(bucketSeen)
		for _, k := range p.Seen {
			if err := sb.Put([]byte(k), now); err != nil {
				return err
			}
		}
		hb := tx.Bucket(bucketHashes)
		for _, h := range p.Hashes {
			if err := hb.Put([]byte(h), now); err != nil {
				return err
			}
		}
		pb := tx.Bucket(bucketPrints)
		for _, fp := range p.Prints {
			v := make([]byte, 8, 8+len(fp.Key))
			binary.BigEndian.PutUint64(v, fp.Simhash)
			v = append(v, fp.Key...)
			if err := pb.Put([]byte(fp.ArticleID), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("crawl: committing feed state: %w", err)
	}
	return nil
}

// Counts reports the registry's sizes: feeds, seen item keys, fingerprints.
func (r *Registry) Counts(ctx context.Context) (feeds, seen, prints int, err error) {
	err = r.db.View(func(tx *bolt.Tx) error {
		feeds = tx.Bucket(bucketFeeds).Stats().KeyN
		seen = tx.Bucket(bucketSeen).Stats().KeyN
		prints = tx.Bucket(bucketPrints).Stats().KeyN
		return nil
	})
	if err != nil {
		err = fmt.Errorf("crawl: counting: %w", err)
	}
	return
}

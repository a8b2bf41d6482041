package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/archive"
	"github.com/newsgraph/newsgraph/ingest/fetch"
	"github.com/newsgraph/newsgraph/ingest/model"
)

// Defaults for zero Options fields.
const (
	DefaultWorkers         = 8
	DefaultHostConcurrency = 1
	DefaultHostDelay       = time.Second
	DefaultAgent           = "newsgraph"
)

// Options configure a Crawler.
type Options struct {
	Client   *fetch.Client    // required: the polite HTTP client (User-Agent, timeouts, retries, size cap)
	Pipeline *ingest.Pipeline // required: parses and extracts pages
	Archive  *archive.Writer  // where raw bytes go before parsing; nil keeps none
	Agent    string           // the robots.txt user-agent token; default "newsgraph"
	Workers  int              // fetches in flight over all hosts; default 8
	// HostConcurrency is the number of requests in flight per host (default 1).
	HostConcurrency int
	// HostDelay is the minimum time between two request starts to one host
	// (default 1s; negative means none). A larger robots.txt Crawl-delay wins.
	HostDelay       time.Duration
	MaxItemsPerFeed int // new items fetched per feed and pass; 0 means all
	Logger          *slog.Logger
	Progress        func(Event) // called as feeds and items finish, from any goroutine
	Now             func() time.Time
}

// Event reports one finished feed or item to a progress display.
type Event struct {
	Feed string // the feed's label
	URL  string
	Item bool // an item (else the feed document)
	Err  error
}

// Item is one article a pass brings in.
type Item struct {
	Doc    model.Document
	FeedID string
	URL    string // the address it was fetched from
	// DuplicateOf is the id of an earlier article this one nearly repeats
	// (agency copy reprinted, small edits), or "".
	DuplicateOf string
}

// FeedResult is one feed's outcome in a pass.
type FeedResult struct {
	Feed        Feed     `json:"feed"` // with its new state
	NotModified bool     `json:"not_modified"`
	Items       int      `json:"items"`    // entries in the feed document
	New         int      `json:"new"`      // articles brought in
	Repeated    int      `json:"repeated"` // entries that were known articles under another address or text
	Skipped     int      `json:"skipped"`  // entries left out by include/exclude or the per-pass cap
	Failed      int      `json:"failed"`   // entries that could not be fetched or read
	Errors      []string `json:"errors"`   // why entries failed
	Err         string   `json:"error"`    // why the feed itself failed, or ""
}

// Pass is a crawl pass's outcome: the documents to store, then the state
// to commit with Registry.Commit once they are stored.
type Pass struct {
	Started, Finished time.Time
	Items             []Item
	Feeds             []FeedResult
	Seen              []string // item keys ingested (or permanently failed)
	Hashes            []string // content hashes ingested
	Prints            []Fingerprint
	Interrupted       bool // the context ended the pass early
}

// Docs are the pass's documents, ready for the store.
func (p *Pass) Docs() []model.Document {
	out := make([]model.Document, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.Doc
	}
	return out
}

// FailedFeeds counts the feeds that failed.
func (p *Pass) FailedFeeds() int {
	n := 0
	for _, f := range p.Feeds {
		if f.Err != "" {
			n++
		}
	}
	return n
}

// Crawler runs crawl passes.
type Crawler struct {
	opts Options
	log  *slog.Logger
}

// New makes a crawler.
func New(opts Options) (*Crawler, error) {
	if opts.Client == nil || opts.Pipeline == nil {
		return nil, errors.New("crawl: a client and a pipeline are required")
	}
	if opts.Agent == "" {
		opts.Agent = DefaultAgent
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.HostConcurrency <= 0 {
		opts.HostConcurrency = DefaultHostConcurrency
	}
	if opts.HostDelay == 0 {
		opts.HostDelay = DefaultHostDelay
	} else if opts.HostDelay < 0 {
		opts.HostDelay = 0
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Crawler{opts: opts, log: log}, nil
}

// Due picks the feeds of a snapshot that are due at now (all when all is set).
func Due(feeds []Feed, now time.Time, all bool) []Feed {
	var out []Feed
	for _, f := range feeds {
		if all || f.Due(now) {
			out = append(out, f)
		}
	}
	return out
}

// pass is one running pass's shared state.
type pass struct {
	c      *Crawler
	snap   *Snapshot
	hosts  *hosts
	sem    chan struct{}
	stop   context.Context // ends: start no new work
	work   context.Context // never ends early: work in hand finishes
	mu     sync.Mutex
	out    *Pass
	claims map[string]bool // item keys and hashes taken in this pass
}

// Pass fetches the given feeds and their new items, archives every fetched
// document, parses and extracts the articles, and returns them with the
// state to commit. It holds no lock and writes no store: the caller stores
// the items, then commits. When ctx ends, no new fetch starts, the ones in
// hand finish, and the pass returns what it has (Interrupted set); feeds
// with items left undone keep their old validators so the next pass sees
// those items again.
func (c *Crawler) Pass(ctx context.Context, snap *Snapshot, feeds []Feed) (*Pass, error) {
	if snap == nil {
		snap = &Snapshot{}
	}
	if snap.Seen == nil {
		snap.Seen = map[string]bool{}
	}
	if snap.Hashes == nil {
		snap.Hashes = map[string]bool{}
	}
	p := &pass{
		c: c, snap: snap,
		hosts:  newHosts(c.opts.Client, c.opts.Agent, c.opts.HostConcurrency, c.opts.HostDelay),
		sem:    make(chan struct{}, c.opts.Workers),
		stop:   ctx,
		work:   context.WithoutCancel(ctx),
		out:    &Pass{Started: c.opts.Now()},
		claims: map[string]bool{},
	}
	results := make([]FeedResult, len(feeds))
	var wg sync.WaitGroup
	for i, f := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = p.feed(f)
		}()
	}
	wg.Wait()
	p.out.Feeds = results
	p.out.Interrupted = ctx.Err() != nil
	if c.opts.Archive != nil {
		// The raw bytes are durable before the store relies on them.
		if err := c.opts.Archive.Sync(); err != nil {
			return p.out, err
		}
	}
	p.out.Finished = c.opts.Now()
	return p.out, nil
}

// fetch gets one address within the global and per-host limits.
func (p *pass) fetch(raw string, o fetch.GetOptions) (*fetch.Response, error) {
	select {
	case p.sem <- struct{}{}:
	case <-p.stop.Done():
		return nil, fmt.Errorf("crawl: %s: %w", raw, p.stop.Err())
	}
	defer func() { <-p.sem }()
	if p.stop.Err() != nil {
		return nil, fmt.Errorf("crawl: %s: %w", raw, p.stop.Err())
	}
	return p.hosts.get(p.work, raw, o)
}

func (p *pass) archive(resp *fetch.Response, role string) {
	a := p.c.opts.Archive
	if a == nil {
		return
	}
	err := a.Write(archive.Record{URL: resp.URL, Date: resp.FetchedAt, StatusCode: resp.StatusCode, Header: resp.Header, Body: resp.Body, Role: role})
	if err != nil {
		p.c.log.Error("crawl: archiving", "url", resp.URL, "err", err)
	}
}

func (p *pass) progress(ev Event) {
	if p.c.opts.Progress != nil {
		p.c.opts.Progress(ev)
	}
}

func (p *pass) feed(f Feed) FeedResult {
	now := p.c.opts.Now()
	res := FeedResult{Feed: f, Errors: []string{}}
	fail := func(err error) FeedResult {
		res.Feed.LastFetch = now
		res.Feed.ConsecutiveErrors++
		res.Feed.LastError = err.Error()
		res.Err = err.Error()
		p.c.log.Warn("crawl: feed failed", "feed", f.Label(), "err", err)
		p.progress(Event{Feed: f.Label(), URL: f.URL, Err: err})
		return res
	}
	if p.stop.Err() != nil {
		return res // not started: state unchanged
	}
	var o fetch.GetOptions
	o.IfNoneMatch = f.ETag
	if t, err := http.ParseTime(f.LastModified); err == nil {
		o.IfModifiedSince = t
	}
	resp, err := p.fetch(f.URL, o)
	if err != nil {
		if p.stop.Err() != nil && errors.Is(err, context.Canceled) {
			return res
		}
		var se *fetch.StatusError
		if errors.As(err, &se) && (se.Code == http.StatusGone || se.Code == http.StatusNotFound) {
			err = fmt.Errorf("feed vanished (HTTP %d) at %s; remove it with `newsgraph feeds remove %s` if it is gone for good", se.Code, f.URL, f.ID)
		}
		return fail(err)
	}
	if resp.StatusCode == http.StatusNotModified {
		res.NotModified = true
		res.Feed.LastFetch, res.Feed.LastSuccess = now, now
		res.Feed.ConsecutiveErrors, res.Feed.LastError = 0, ""
		p.progress(Event{Feed: f.Label(), URL: f.URL})
		return res
	}
	p.archive(resp, archive.RoleFeed)
	if resp.Truncated {
		return fail(fmt.Errorf("feed %s is larger than the size cap; it was cut and not read", f.URL))
	}
	parsed, err := ParseFeed(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		return fail(fmt.Errorf("%s: %w", f.URL, err))
	}
	include, _ := regexp.Compile(f.Include)
	exclude, _ := regexp.Compile(f.Exclude)
	res.Items = len(parsed.Items)
	undone := false // items left for a later pass: keep the old validators
	var todo []*gofeed.Item
	for _, it := range parsed.Items {
		link := itemLink(it)
		if link == "" {
			continue
		}
		subject := it.Title + " " + link
		if (f.Include != "" && !include.MatchString(subject)) || (f.Exclude != "" && exclude.MatchString(subject)) {
			res.Skipped++
			continue
		}
		todo = append(todo, it)
	}
	var wg sync.WaitGroup
	var rmu sync.Mutex
	slots := make(chan struct{}, p.c.opts.HostConcurrency)
	fetched := 0
	for _, it := range todo {
		link, _ := CleanURL(resolve(itemLink(it), resp.URL))
		key := Key(link)
		guidKey := ""
		if it.GUID != "" {
			guidKey = "guid:" + f.ID + ":" + strings.TrimSpace(it.GUID)
		}
		if p.known(key) || (guidKey != "" && p.known(guidKey)) {
			continue
		}
		if !p.claim(key) {
			continue // another feed of this pass has it
		}
		if p.c.opts.MaxItemsPerFeed > 0 && fetched >= p.c.opts.MaxItemsPerFeed {
			p.unclaim(key)
			res.Skipped++
			undone = true
			continue
		}
		if p.stop.Err() != nil {
			p.unclaim(key)
			undone = true
			break
		}
		fetched++
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			out, err := p.item(f, link, key, guidKey)
			rmu.Lock()
			defer rmu.Unlock()
			switch {
			case err != nil:
				res.Failed++
				res.Errors = append(res.Errors, err.Error())
				var ie *itemError
				if !errors.As(err, &ie) || !ie.permanent {
					undone = true
				}
			case out == added:
				res.New++
			case out == repeated:
				res.Repeated++
			}
		}()
	}
	wg.Wait()
	res.Feed.LastFetch, res.Feed.LastSuccess = now, now
	res.Feed.ConsecutiveErrors, res.Feed.LastError = 0, ""
	res.Feed.ItemsTotal += res.New
	if res.New > 0 {
		res.Feed.LastNew = now
	}
	if !undone {
		res.Feed.ETag = resp.Header.Get("ETag")
		res.Feed.LastModified = resp.Header.Get("Last-Modified")
	}
	p.progress(Event{Feed: f.Label(), URL: f.URL})
	return res
}

func itemLink(it *gofeed.Item) string {
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	for _, l := range it.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return g
	}
	return ""
}

func resolve(ref, base string) string {
	b, err := http.NewRequest(http.MethodGet, base, nil)
	if err != nil {
		return ref
	}
	u, err := b.URL.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}

func (p *pass) known(key string) bool { return p.snap.Seen[key] }

func (p *pass) claim(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.claims[key] {
		return false
	}
	p.claims[key] = true
	return true
}

func (p *pass) unclaim(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.claims, key)
}

type outcome int

const (
	added outcome = iota + 1
	repeated
)

// itemError is an item that failed; permanent ones (4xx, not a page, not
// readable) are marked seen and not tried again, the others are retried by
// the next pass.
type itemError struct {
	err       error
	permanent bool
}

func (e *itemError) Error() string { return e.err.Error() }
func (e *itemError) Unwrap() error { return e.err }

func (p *pass) item(f Feed, link, key, guidKey string) (outcome, error) {
	keys := []string{key}
	if guidKey != "" {
		keys = append(keys, guidKey)
	}
	permanent := func(err error) (outcome, error) {
		p.mu.Lock()
		p.out.Seen = append(p.out.Seen, keys...)
		p.mu.Unlock()
		p.progress(Event{Feed: f.Label(), URL: link, Item: true, Err: err})
		return 0, &itemError{err: err, permanent: true}
	}
	resp, err := p.fetch(link, fetch.GetOptions{})
	if err != nil {
		var se *fetch.StatusError
		if errors.Is(err, ErrRobots) || errors.Is(err, fetch.ErrTooManyRedirects) || errors.Is(err, fetch.ErrUnsupportedScheme) ||
			errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests {
			return permanent(err)
		}
		p.progress(Event{Feed: f.Label(), URL: link, Item: true, Err: err})
		return 0, &itemError{err: err}
	}
	p.archive(resp, archive.RolePage)
	if resp.Truncated {
		return permanent(fmt.Errorf("%s is larger than the size cap; archived cut, not read", link))
	}
	raw := ingest.Raw{Name: link, URL: resp.URL, ContentType: resp.Header.Get("Content-Type"), Body: resp.Body}
	if resp.URL != "" {
		if clean, err := CleanURL(resp.URL); err == nil {
			raw.URL = clean
		}
	}
	doc, err := p.c.opts.Pipeline.FromRaw(p.work, raw, "")
	if err != nil {
		return permanent(err)
	}
	if doc.Article.Language == "" && f.Lang != "" {
		doc.Article.Language = f.Lang
	}
	canon := Key(doc.Article.URL)
	if doc.Article.URL != "" && canon != key {
		keys = append(keys, canon)
	}
	hash := doc.Article.ContentHash()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.Seen = append(p.out.Seen, keys...)
	if (canon != key && (p.snap.Seen[canon] || p.claims[canon])) || p.snap.Hashes[hash] || p.claims["hash:"+hash] {
		// The same article under another address, or the same text: known already.
		p.c.log.Debug("crawl: repeated article", "url", link, "canonical", doc.Article.URL)
		p.progress(Event{Feed: f.Label(), URL: link, Item: true})
		return repeated, nil
	}
	p.claims[canon], p.claims["hash:"+hash] = true, true
	item := Item{Doc: doc, FeedID: f.ID, URL: link}
	id := doc.Article.ID()
	if sh, ok := Simhash(doc.Article.Text); ok {
		if orig, ok := NearDuplicateOf(p.snap.Prints, sh, canon, id); ok {
			item.DuplicateOf = orig
		} else if orig, ok := NearDuplicateOf(p.out.Prints, sh, canon, id); ok {
			item.DuplicateOf = orig
		}
		p.out.Prints = append(p.out.Prints, Fingerprint{ArticleID: id, Key: canon, Simhash: sh})
	}
	p.out.Hashes = append(p.out.Hashes, hash)
	p.out.Items = append(p.out.Items, item)
	p.progress(Event{Feed: f.Label(), URL: link, Item: true})
	return added, nil
}

// Discover resolves what the user gave as a feed: a feed address is
// returned as it is; an HTML page yields the first feed it announces.
func Discover(ctx context.Context, c *fetch.Client, raw string) (feedURL, title string, err error) {
	clean, err := CleanURL(raw)
	if err != nil {
		return "", "", err
	}
	resp, err := c.Get(ctx, clean, fetch.GetOptions{})
	if err != nil {
		return "", "", fmt.Errorf("crawl: %w", err)
	}
	f, perr := ParseFeed(resp.Body, resp.Header.Get("Content-Type"))
	if perr == nil {
		return clean, strings.TrimSpace(f.Title), nil
	}
	found, err := DiscoverFeeds(resp.Body, resp.URL)
	if err != nil || len(found) == 0 {
		return "", "", fmt.Errorf("crawl: %s is no feed (%v) and announces none with <link rel=\"alternate\">", clean, perr)
	}
	for _, cand := range found {
		r2, err := c.Get(ctx, cand, fetch.GetOptions{})
		if err != nil {
			continue
		}
		if f, err := ParseFeed(r2.Body, r2.Header.Get("Content-Type")); err == nil {
			u, _ := CleanURL(cand)
			return u, strings.TrimSpace(f.Title), nil
		}
	}
	return "", "", fmt.Errorf("crawl: %s announces feeds (%s) but none could be read", clean, strings.Join(found, ", "))
}

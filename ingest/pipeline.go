package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/newsgraph/newsgraph/ingest/article"
	"github.com/newsgraph/newsgraph/ingest/extract"
	"github.com/newsgraph/newsgraph/ingest/model"
)

// DefaultMaxBytes caps what is read of one input; the rest is cut off.
const DefaultMaxBytes = 10 << 20

// Options configure a Pipeline.
type Options struct {
	Extractor *extract.Extractor // required
	Fetcher   Fetcher            // for http(s) inputs; nil: URLs fail
	Stdin     io.Reader          // for the input "-"
	FS        fs.FS              // where relative paths are read; nil: the OS file system
	Workers   int                // parse/extract goroutines; default GOMAXPROCS
	BatchSize int                // documents per sink call; default 100
	MaxBytes  int64              // input size cap; default DefaultMaxBytes
	SiteRules *article.SiteRules // per-site extraction rules; nil: the built-in ones
	Logger    *slog.Logger
}

// Fetcher gets a page over the network (package fetch provides one).
type Fetcher interface {
	Fetch(ctx context.Context, url string) (Raw, error)
}

// ErrNotText is returned (wrapped) for inputs that are binary data, not a page or a text.
var ErrNotText = errors.New("not a text or HTML document")

// looksBinary sniffs the start of an input for NUL bytes and control
// characters, which no page or article text contains.
func looksBinary(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		return false // UTF-16 with a byte-order mark: the parser decodes it
	}
	if len(b) > 4096 {
		b = b[:4096]
	}
	bad := 0
	for _, c := range b {
		if c == 0 {
			return true
		}
		if c < 0x09 || c > 0x0d && c < 0x20 && c != 0x1b {
			bad++
		}
	}
	return len(b) > 0 && bad*10 > len(b)
}

// Pipeline reads, parses and extracts articles.
type Pipeline struct {
	opts Options
	log  *slog.Logger
}

// New makes a pipeline.
func New(opts Options) (*Pipeline, error) {
	if opts.Extractor == nil {
		return nil, errors.New("ingest: no extractor")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 100
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{opts: opts, log: log}, nil
}

// IsURL reports whether an input names an http(s) address.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// articleExts are the file types that Expand picks up when it walks a folder.
var articleExts = map[string]bool{".html": true, ".htm": true, ".xhtml": true, ".txt": true}

// Expand turns command-line inputs into a list of items: files as given,
// folders walked recursively for .html, .htm, .xhtml and .txt files (in
// name order), URLs and "-" as they are. A missing path is an error.
func Expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" || IsURL(a) {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !de.IsDir() && articleExts[strings.ToLower(filepath.Ext(p))] {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: walking %s: %w", a, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// Raw is one input's bytes before parsing.
type Raw struct {
	Name        string // the input as given
	URL         string // the address it came from, if any
	ContentType string
	Body        []byte
}

// Read fetches or reads one input, capped at MaxBytes.
func (p *Pipeline) Read(ctx context.Context, item string) (Raw, error) {
	switch {
	case item == "-":
		if p.opts.Stdin == nil {
			return Raw{}, errors.New("ingest: no standard input")
		}
		b, err := io.ReadAll(io.LimitReader(p.opts.Stdin, p.opts.MaxBytes))
		if err != nil {
			return Raw{}, fmt.Errorf("ingest: reading standard input: %w", err)
		}
		return Raw{Name: item, Body: b}, nil
	case IsURL(item):
		if p.opts.Fetcher == nil {
			return Raw{}, fmt.Errorf("ingest: %s: fetching is not enabled", item)
		}
		raw, err := p.opts.Fetcher.Fetch(ctx, item)
		if err != nil {
			return Raw{}, fmt.Errorf("ingest: %w", err)
		}
		raw.Name = item
		return raw, nil
	default:
		var f io.ReadCloser
		var err error
		if p.opts.FS != nil {
			f, err = p.opts.FS.Open(item)
		} else {
			f, err = os.Open(item)
		}
		if err != nil {
			return Raw{}, fmt.Errorf("ingest: %w", err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, p.opts.MaxBytes))
		if err != nil {
			return Raw{}, fmt.Errorf("ingest: reading %s: %w", item, err)
		}
		ct := ""
		if strings.EqualFold(filepath.Ext(item), ".txt") {
			ct = "text/plain; charset=utf-8"
		}
		return Raw{Name: item, ContentType: ct, Body: b}, nil
	}
}

// Parse turns an input's bytes into an article. pageURL, when given,
// overrides the address the page came from.
func (p *Pipeline) Parse(ctx context.Context, raw Raw, pageURL string) (model.Article, error) {
	if pageURL == "" {
		pageURL = raw.URL
	}
	if looksBinary(raw.Body) {
		return model.Article{}, fmt.Errorf("%s: %w", raw.Name, ErrNotText)
	}
	a, err := article.Parse(ctx, bytes.NewReader(raw.Body), article.Options{
		URL: pageURL, ContentType: raw.ContentType, MaxBytes: p.opts.MaxBytes, Logger: p.log, Rules: p.opts.SiteRules,
	})
	if err != nil {
		return model.Article{}, fmt.Errorf("%s: %w", raw.Name, err)
	}
	return a, nil
}

// Document reads, parses and extracts one input.
func (p *Pipeline) Document(ctx context.Context, item, pageURL string) (model.Document, error) {
	raw, err := p.Read(ctx, item)
	if err != nil {
		return model.Document{}, err
	}
	return p.FromRaw(ctx, raw, pageURL)
}

// FromRaw parses and extracts one input that has been read already.
func (p *Pipeline) FromRaw(ctx context.Context, raw Raw, pageURL string) (model.Document, error) {
	a, err := p.Parse(ctx, raw, pageURL)
	if err != nil {
		return model.Document{}, err
	}
	d, err := p.opts.Extractor.Extract(ctx, a)
	if err != nil {
		return model.Document{}, fmt.Errorf("%s: %w", raw.Name, err)
	}
	return d, nil
}

// Failure is one input that could not be ingested.
type Failure struct {
	Item string `json:"item"`
	Err  string `json:"error"`
}

// Summary counts what a run did.
type Summary struct {
	Items     int       `json:"items"`
	Articles  int       `json:"articles"`
	Repeated  int       `json:"repeated"` // inputs that were the same article as another input of the run
	Failed    int       `json:"failed"`
	Failures  []Failure `json:"failures"`
	Entities  int       `json:"entities"`
	Relations int       `json:"relations"`
}

// Progress is called once per finished item, from one goroutine.
type Progress func(item string, err error)

// Sink stores a batch of documents; its error stops the run.
type Sink func(ctx context.Context, docs []model.Document) error

// Run processes items on the pipeline's workers and hands documents to
// sink in batches, from a single goroutine. An item that fails is recorded
// in the summary and the run goes on; a sink error or a cancelled context
// ends the run (documents already handed to the sink stay stored).
func (p *Pipeline) Run(ctx context.Context, items []string, sink Sink, progress Progress) (Summary, error) {
	type result struct {
		item string
		doc  model.Document
		err  error
	}
	jobs := make(chan string)
	results := make(chan result, p.opts.Workers*2)
	var wg sync.WaitGroup
	for w := 0; w < p.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				d, err := p.Document(ctx, it, "")
				results <- result{item: it, doc: d, err: err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, it := range items {
			select {
			case jobs <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	sum := Summary{Items: len(items), Failures: []Failure{}}
	var batch []model.Document
	var keys []docKey // batch[i]'s id and content hash
	seen := map[string]bool{}
	var sinkErr error
	flush := func() {
		if len(batch) == 0 || sinkErr != nil {
			return
		}
		if err := sink(ctx, batch); err != nil {
			sinkErr = err
		}
		batch, keys = batch[:0], keys[:0]
		clear(seen)
	}
	for r := range results {
		if sinkErr != nil {
			continue // drain the workers
		}
		if r.err != nil {
			sum.Failed++
			sum.Failures = append(sum.Failures, Failure{Item: r.item, Err: r.err.Error()})
			p.log.Warn("ingest failed", "item", r.item, "err", r.err)
		} else {
			id := r.doc.Article.ID()
			hash := r.doc.Article.ContentHash()
			if seen[id] || seen[hash] {
				// The same article twice in one batch: the later copy replaces the earlier.
				sum.Repeated++
				batch, keys = dropArticle(batch, keys, id, hash)
			}
			seen[id], seen[hash] = true, true
			batch = append(batch, r.doc)
			keys = append(keys, docKey{id, hash})
			sum.Articles++
			sum.Entities += len(r.doc.Entities)
			sum.Relations += len(r.doc.Relations)
			if len(batch) >= p.opts.BatchSize {
				flush()
			}
		}
		if progress != nil {
			progress(r.item, r.err)
		}
	}
	flush()
	if sinkErr != nil {
		return sum, fmt.Errorf("ingest: storing: %w", sinkErr)
	}
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("ingest: %w", err)
	}
	return sum, nil
}

type docKey struct{ id, hash string }

func dropArticle(batch []model.Document, keys []docKey, id, hash string) ([]model.Document, []docKey) {
	out, outKeys := batch[:0], keys[:0]
	for i, d := range batch {
		if keys[i].id != id && keys[i].hash != hash {
			out = append(out, d)
			outKeys = append(outKeys, keys[i])
		}
	}
	return out, outKeys
}

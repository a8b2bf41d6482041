package article

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// DefaultMaxBytes is the size cap used when Options.MaxBytes is zero.
const DefaultMaxBytes = 10 << 20

// ErrNoContent is returned (wrapped) when a page has no extractable body.
var ErrNoContent = errors.New("article: no text found")

// Options tell the parser what is known about a page besides its bytes.
type Options struct {
	URL         string       // address the page was fetched from (canonical URL fallback, site name, date in path); a file name also serves as a type hint
	ContentType string       // HTTP Content-Type if known (charset, html vs text)
	MaxBytes    int64        // size cap, DefaultMaxBytes when zero or less: longer input is truncated and parsed
	Logger      *slog.Logger // nil discards
	Rules       *SiteRules   // per-site selectors; nil uses BuiltinSiteRules
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// readCapped reads at most opts.MaxBytes from r; a longer input is cut at the
// cap (and reported through the logger) because a truncated article is more
// useful than none.
func readCapped(ctx context.Context, r io.Reader, opts Options) ([]byte, error) {
	if r == nil {
		return nil, errors.New("article: nil reader")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	limit := opts.maxBytes()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("article: read: %w", err)
	}
	if int64(len(b)) > limit {
		b = b[:limit]
		opts.logger().WarnContext(ctx, "article: input truncated at size cap", "url", opts.URL, "max_bytes", limit)
	}
	return b, nil
}

// Parse reads a page that is either HTML or plain text, deciding by
// opts.ContentType, the file name in opts.URL and the content itself.
func Parse(ctx context.Context, r io.Reader, opts Options) (model.Article, error) {
	b, err := readCapped(ctx, r, opts)
	if err != nil {
		return model.Article{}, err
	}
	if looksLikeHTML(b, opts) {
		return parseHTMLBytes(ctx, b, opts)
	}
	return parseTextBytes(ctx, b, opts)
}

// looksLikeHTML decides whether a page is HTML. A declared type wins; then
// a telling file extension; then the content (markup near the start).
func looksLikeHTML(b []byte, opts Options) bool {
	if mt, _, err := mime.ParseMediaType(opts.ContentType); err == nil {
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			return true
		case mt == "text/plain" || mt == "text/markdown":
			return false
		}
	}
	p := opts.URL
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".html", ".htm", ".xhtml", ".shtml":
		return true
	case ".txt", ".text", ".md":
		return false
	}
	head := b
	if len(head) > 2048 {
		head = head[:2048]
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<!--", "<?xml", "<div", "<p>", "<p ", "<article", "<script"} {
		if bytes.HasPrefix(lower, []byte(tag)) {
			return true
		}
	}
	if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body")) {
		return true
	}
	return strings.HasPrefix(http.DetectContentType(head), "text/html")
}

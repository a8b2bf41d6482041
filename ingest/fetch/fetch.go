package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultUserAgent names newsgraph when the caller gives no User-Agent (the
// CLI passes one with its version and contact address).
const DefaultUserAgent = "newsgraph/dev (+https://github.com/newsgraph/newsgraph)"

// Defaults for zero Options fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBytes     = 10 << 20
	DefaultMaxRedirects = 5
	DefaultRetries      = 3
)

// maxRetryAfter caps how long a server's Retry-After can make us wait.
const maxRetryAfter = 2 * time.Minute

// Options configure a Client; zero values take the defaults.
type Options struct {
	UserAgent    string        // default DefaultUserAgent
	Timeout      time.Duration // per attempt, including reading the body; default 30s
	MaxBytes     int64         // body size cap; default 10 MiB
	MaxRedirects int           // default 5; negative means none are followed
	Retries      int           // retries after the first attempt; default 3, negative means none
	Logger       *slog.Logger  // nil discards
	Client       *http.Client  // optional transport (tests); its CheckRedirect and Timeout are not used

	// BaseBackoff is the first retry's delay before jitter (default 500ms);
	// each further retry doubles it. Tests shorten it.
	BaseBackoff time.Duration
}

// Client fetches pages. It is safe for concurrent use.
type Client struct {
	opts   Options
	http   *http.Client
	log    *slog.Logger
	jitter func() float64 // in [0,1)
	sleep  func(context.Context, time.Duration) error
}

// GetOptions make a GET conditional on what a previous fetch returned.
type GetOptions struct {
	IfNoneMatch     string    // the ETag of the copy we hold
	IfModifiedSince time.Time // the Last-Modified of the copy we hold
}

// Response is a fetched page.
type Response struct {
	URL        string // final URL after redirects
	StatusCode int
	Header     http.Header
	Body       []byte
	Truncated  bool // the body was longer than MaxBytes and was cut
	FetchedAt  time.Time
}

// StatusError is the error for an HTTP status other than 2xx and 304.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// ErrUnsupportedScheme is returned (wrapped) for URLs that are not http or https.
var ErrUnsupportedScheme = errors.New("fetch: only http and https URLs are supported")

// ErrTooManyRedirects is returned (wrapped) when a redirect chain exceeds MaxRedirects.
var ErrTooManyRedirects = errors.New("fetch: too many redirects")

// New returns a Client with opts, defaults filled in.
func New(opts Options) *Client {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	} else if opts.MaxRedirects < 0 {
		opts.MaxRedirects = 0
	}
	if opts.Retries == 0 {
		opts.Retries = DefaultRetries
	} else if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = 500 * time.Millisecond
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := opts.Client
	if base == nil {
		base = &http.Client{}
	}
	maxRedirects := opts.MaxRedirects
	hc := &http.Client{
		Transport: base.Transport,
		Jar:       base.Jar,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w (%d) at %s", ErrTooManyRedirects, maxRedirects, req.URL)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: %w", req.URL, ErrUnsupportedScheme)
			}
			return nil
		},
	}
	return &Client{
		opts: opts, http: hc, log: log,
		jitter: rand.Float64,
		sleep:  sleepCtx,
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Get fetches rawURL. A 304 answer to a conditional GET is returned with
// StatusCode 304 and no error. Network errors, 5xx and 429 are retried;
// any other status, or those after the last retry, give an error wrapping
// *StatusError (together with the response).
func (c *Client) Get(ctx context.Context, rawURL string, o GetOptions) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("fetch: parse url %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("fetch %q: %w", rawURL, ErrUnsupportedScheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("fetch %q: url has no host", rawURL)
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.once(ctx, u.String(), o)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch %s: %w", u, ctx.Err())
		}
		if !retryable(err) || attempt >= c.opts.Retries {
			if resp != nil {
				return resp, err
			}
			return nil, err
		}
		wait := c.backoff(attempt)
		if retryAfter > 0 {
			wait = min(retryAfter, maxRetryAfter)
		}
		c.log.DebugContext(ctx, "fetch: retrying", "url", u.String(), "attempt", attempt+1, "wait", wait, "err", err)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("fetch %s: %w (after %v)", u, err, lastErr)
		}
	}
}

// backoff is the delay before retry n (0-based): BaseBackoff·2ⁿ, scaled by
// a random factor in [0.5, 1.5) so that many clients do not retry in step.
func (c *Client) backoff(n int) time.Duration {
	d := c.opts.BaseBackoff << min(n, 10)
	return time.Duration(float64(d) * (0.5 + c.jitter()))
}

// retryable reports whether an attempt's error is worth another try:
// network failures and timeouts, 5xx and 429. Client errors, scheme and
// redirect-limit errors are final.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	if errors.Is(err, ErrUnsupportedScheme) || errors.Is(err, ErrTooManyRedirects) {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// once makes one attempt. On a retryable status it also returns the
// server's Retry-After delay, if any.
func (c *Client) once(ctx context.Context, rawURL string, o GetOptions) (*Response, time.Duration, error) {
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("fetch: request %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
	req.Header.Set("Accept-Language", "de,en;q=0.8")
	// Asked for explicitly, so the transport leaves decompression to us and
	// the size cap applies to the decompressed bytes.
	req.Header.Set("Accept-Encoding", "gzip")
	if o.IfNoneMatch != "" {
		req.Header.Set("If-None-Match", o.IfNoneMatch)
	}
	if !o.IfModifiedSince.IsZero() {
		req.Header.Set("If-Modified-Since", o.IfModifiedSince.UTC().Format(http.TimeFormat))
	}
	hr, err := c.http.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer hr.Body.Close()
	resp := &Response{URL: hr.Request.URL.String(), StatusCode: hr.StatusCode, Header: hr.Header, FetchedAt: time.Now()}
	if hr.StatusCode == http.StatusNotModified {
		return resp, 0, nil
	}
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, 64<<10))
		se := &StatusError{Code: hr.StatusCode, URL: resp.URL}
		return resp, retryAfter(hr.Header.Get("Retry-After"), time.Now()), fmt.Errorf("fetch: %w", se)
	}
	body := io.Reader(hr.Body)
	if strings.EqualFold(strings.TrimSpace(hr.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(hr.Body)
		if err != nil {
			return nil, 0, fmt.Errorf("fetch %s: gzip: %w", rawURL, err)
		}
		defer zr.Close()
		body = zr
		resp.Header = hr.Header.Clone()
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
	}
	b, err := io.ReadAll(io.LimitReader(body, c.opts.MaxBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("fetch %s: read body: %w", rawURL, err)
	}
	if int64(len(b)) > c.opts.MaxBytes {
		b = b[:c.opts.MaxBytes]
		resp.Truncated = true
		c.log.WarnContext(ctx, "fetch: body truncated at size cap", "url", resp.URL, "max_bytes", c.opts.MaxBytes)
	}
	resp.Body = b
	return resp, 0, nil
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return min(time.Duration(s)*time.Second, maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

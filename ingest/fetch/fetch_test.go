package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fastClient returns a client with short timeouts and backoff for tests.
func fastClient(o Options) *Client {
	if o.BaseBackoff == 0 {
		o.BaseBackoff = time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	return New(o)
}

func TestGet(t *testing.T) {
	page := "<html><body><p>Hallo</p></body></html>"
	big := strings.Repeat("x", 5000)
	for _, tc := range []struct {
		name        string
		handler     func(calls *atomic.Int32) http.HandlerFunc
		opts        Options
		get         GetOptions
		path        string
		wantStatus  int
		wantBody    string
		wantTrunc   bool
		wantErrCode int  // StatusError code expected, 0 for none
		wantErr     bool // any error expected
		wantCalls   int32
	}{
		{
			name: "plain 200",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					c.Add(1)
					if !strings.HasPrefix(r.UserAgent(), "newsgraph/") {
						http.Error(w, "bad agent "+r.UserAgent(), http.StatusForbidden)
						return
					}
					w.Write([]byte(page))
				}
			},
			wantStatus: 200, wantBody: page, wantCalls: 1,
		},
		{
			name: "gzip body is decompressed",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					c.Add(1)
					if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
						http.Error(w, "no gzip", http.StatusBadRequest)
						return
					}
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					zw.Write([]byte(page))
					zw.Close()
				}
			},
			wantStatus: 200, wantBody: page, wantCalls: 1,
		},
		{
			name: "big body truncated and marked",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { c.Add(1); w.Write([]byte(big)) }
			},
			opts:       Options{MaxBytes: 1000},
			wantStatus: 200, wantBody: big[:1000], wantTrunc: true, wantCalls: 1,
		},
		{
			name: "503 then 200 is retried",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if c.Add(1) < 3 {
						http.Error(w, "busy", http.StatusServiceUnavailable)
						return
					}
					w.Write([]byte(page))
				}
			},
			wantStatus: 200, wantBody: page, wantCalls: 3,
		},
		{
			name: "503 forever gives StatusError after retries",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					c.Add(1)
					http.Error(w, "down", http.StatusServiceUnavailable)
				}
			},
			opts:       Options{Retries: 2},
			wantStatus: 503, wantErrCode: 503, wantErr: true, wantCalls: 3,
		},
		{
			name: "404 is not retried",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { c.Add(1); http.NotFound(w, r) }
			},
			wantStatus: 404, wantErrCode: 404, wantErr: true, wantCalls: 1,
		},
		{
			name: "conditional GET gives 304 without error",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					c.Add(1)
					if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Thu, 30 May 2024 08:00:00 GMT" {
						w.WriteHeader(http.StatusNotModified)
						return
					}
					w.Write([]byte(page))
				}
			},
			get:        GetOptions{IfNoneMatch: `"v1"`, IfModifiedSince: time.Date(2024, 5, 30, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600))},
			wantStatus: 304, wantBody: "", wantCalls: 1,
		},
		{
			name: "redirect loop stops",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					c.Add(1)
					if r.URL.Path == "/a" {
						http.Redirect(w, r, "/b", http.StatusFound)
					} else {
						http.Redirect(w, r, "/a", http.StatusFound)
					}
				}
			},
			path: "/a", opts: Options{MaxRedirects: 3}, wantErr: true, wantCalls: 4,
		},
		{
			name: "redirects followed to final URL",
			handler: func(c *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					c.Add(1)
					if r.URL.Path != "/final" {
						http.Redirect(w, r, "/final", http.StatusMovedPermanently)
						return
					}
					w.Write([]byte(page))
				}
			},
			path: "/start", wantStatus: 200, wantBody: page, wantCalls: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(tc.handler(&calls))
			defer srv.Close()
			c := fastClient(tc.opts)
			resp, err := c.Get(context.Background(), srv.URL+tc.path, tc.get)
			if tc.wantErr != (err != nil) {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErrCode != 0 {
				var se *StatusError
				if !errors.As(err, &se) || se.Code != tc.wantErrCode {
					t.Errorf("err %v, want StatusError %d", err, tc.wantErrCode)
				}
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("%d requests, want %d", got, tc.wantCalls)
			}
			if tc.wantStatus == 0 {
				return
			}
			if resp == nil {
				t.Fatalf("no response")
			}
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if err == nil && string(resp.Body) != tc.wantBody {
				t.Errorf("body %q, want %q", resp.Body, tc.wantBody)
			}
			if resp.Truncated != tc.wantTrunc {
				t.Errorf("truncated %v, want %v", resp.Truncated, tc.wantTrunc)
			}
			if err == nil && resp.FetchedAt.IsZero() {
				t.Errorf("FetchedAt not set")
			}
			if tc.path == "/start" && !strings.HasSuffix(resp.URL, "/final") {
				t.Errorf("final URL %q", resp.URL)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var calls atomic.Int32
	var first time.Time
	var gap time.Duration
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		gap = time.Since(first)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	resp, err := fastClient(Options{}).Get(context.Background(), srv.URL, GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "ok" || calls.Load() != 2 {
		t.Errorf("body %q after %d calls", resp.Body, calls.Load())
	}
	// The backoff alone would be about a millisecond; Retry-After says a second.
	if gap < 900*time.Millisecond {
		t.Errorf("retried after %v, want about 1s", gap)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2024, 5, 30, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{"-1", 0},
		{"86400", maxRetryAfter},
		{"Thu, 30 May 2024 10:00:30 GMT", 30 * time.Second},
		{"Thu, 30 May 2024 09:00:00 GMT", 0},
		{"soon", 0},
	} {
		if got := retryAfter(tc.in, now); got != tc.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	c := New(Options{BaseBackoff: 100 * time.Millisecond})
	for _, tc := range []struct {
		jitter float64
		n      int
		want   time.Duration
	}{
		{0, 0, 50 * time.Millisecond},
		{0.5, 0, 100 * time.Millisecond},
		{0.5, 1, 200 * time.Millisecond},
		{0.5, 3, 800 * time.Millisecond},
		{0.999999, 2, 600 * time.Millisecond},
	} {
		c.jitter = func() float64 { return tc.jitter }
		got := c.backoff(tc.n)
		if d := got - tc.want; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("backoff(%d) with jitter %v = %v, want %v", tc.n, tc.jitter, got, tc.want)
		}
	}
}

func TestUnsupportedScheme(t *testing.T) {
	for _, u := range []string{"ftp://example.org/file", "file:///etc/passwd", "javascript:alert(1)", "mailto:a@example.org", "example.org/no-scheme"} {
		_, err := New(Options{}).Get(context.Background(), u, GetOptions{})
		if !errors.Is(err, ErrUnsupportedScheme) {
			t.Errorf("%s: err %v, want ErrUnsupportedScheme", u, err)
		}
	}
}

func TestRedirectToOtherSchemeRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.org/x", http.StatusFound)
	}))
	defer srv.Close()
	_, err := fastClient(Options{}).Get(context.Background(), srv.URL, GetOptions{})
	if !errors.Is(err, ErrUnsupportedScheme) {
		t.Errorf("err %v, want ErrUnsupportedScheme", err)
	}
}

func TestContextCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := fastClient(Options{Timeout: 10 * time.Second}).Get(ctx, srv.URL, GetOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %v", d)
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	_, err := fastClient(Options{Timeout: 100 * time.Millisecond, Retries: 1}).Get(context.Background(), srv.URL, GetOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want a deadline error", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d attempts, want 2 (timeouts are retried)", calls.Load())
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestSlowBodyTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("a"), 100))
		w.(http.Flusher).Flush()
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	_, err := fastClient(Options{Timeout: 100 * time.Millisecond, Retries: -1}).Get(context.Background(), srv.URL, GetOptions{})
	if err == nil {
		t.Errorf("a body that never ends must time out")
	}
}

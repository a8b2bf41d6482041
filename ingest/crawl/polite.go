package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/newsgraph/newsgraph/ingest/fetch"
)

// maxCrawlDelay caps what a robots.txt Crawl-delay can make us wait.
const maxCrawlDelay = 30 * time.Second

// ErrRobots is returned (wrapped) for an address robots.txt disallows.
var ErrRobots = errors.New("disallowed by robots.txt")

// hostSlot serialises one host's requests: at most cap(sem) at a time,
// and starts at least delay apart.
type hostSlot struct {
	sem   chan struct{}
	mu    sync.Mutex
	next  time.Time
	delay time.Duration

	robotsOnce sync.Once
	robots     *robotstxt.Group
	robotsErr  error
}

// hosts holds a pass's per-host state: limits and the robots.txt rules,
// fetched once per host per pass.
type hosts struct {
	mu    sync.Mutex
	m     map[string]*hostSlot
	conc  int
	delay time.Duration
	agent string
	c     *fetch.Client
}

func newHosts(c *fetch.Client, agent string, conc int, delay time.Duration) *hosts {
	return &hosts{m: map[string]*hostSlot{}, conc: conc, delay: delay, agent: agent, c: c}
}

func (h *hosts) slot(host string) *hostSlot {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.m[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, h.conc), delay: h.delay}
		h.m[host] = s
	}
	return s
}

// acquire waits for the host's turn; release must be called after the request.
func (h *hosts) acquire(ctx context.Context, host string) (release func(), err error) {
	s := h.slot(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	wait := time.Until(s.next)
	s.next = time.Now().Add(max(wait, 0) + s.delay)
	s.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.sem
			return nil, ctx.Err()
		}
	}
	return func() { <-s.sem }, nil
}

// allowed checks an address against its host's robots.txt. A robots.txt
// that is missing (4xx) allows everything; one that cannot be fetched
// (network error, 5xx) disallows the host for this pass, as RFC 9309 asks.
func (h *hosts) allowed(ctx context.Context, u *url.URL) error {
	s := h.slot(u.Host)
	s.robotsOnce.Do(func() {
		robotsURL := u.Scheme + "://" + u.Host + "/robots.txt"
		release, err := h.acquire(ctx, u.Host)
		if err != nil {
			s.robotsErr = fmt.Errorf("robots.txt of %s: %w", u.Host, err)
			return
		}
		resp, err := h.c.Get(ctx, robotsURL, fetch.GetOptions{})
		release()
		var se *fetch.StatusError
		switch {
		case err == nil:
			data, perr := robotstxt.FromStatusAndBytes(resp.StatusCode, resp.Body)
			if perr != nil {
				data, _ = robotstxt.FromStatusAndBytes(404, nil) // unparsable: as if missing
			}
			s.robots = data.FindGroup(h.agent)
		case errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != 429:
			data, _ := robotstxt.FromStatusAndBytes(404, nil)
			s.robots = data.FindGroup(h.agent)
		default:
			s.robotsErr = fmt.Errorf("robots.txt of %s unreachable, host skipped this pass: %w", u.Host, err)
			return
		}
		if s.robots != nil && s.robots.CrawlDelay > 0 {
			s.mu.Lock()
			s.delay = max(s.delay, min(s.robots.CrawlDelay, maxCrawlDelay))
			s.mu.Unlock()
		}
	})
	if s.robotsErr != nil {
		return s.robotsErr
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if p == "" {
		p = "/"
	}
	if s.robots != nil && !s.robots.Test(p) {
		return fmt.Errorf("%s: %w", u, ErrRobots)
	}
	return nil
}

// get fetches an address politely: robots.txt, then the host's turn.
func (h *hosts) get(ctx context.Context, raw string, o fetch.GetOptions) (*fetch.Response, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("crawl: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("crawl: %s: %w", raw, fetch.ErrUnsupportedScheme)
	}
	if err := h.allowed(ctx, u); err != nil {
		return nil, err
	}
	release, err := h.acquire(ctx, u.Host)
	if err != nil {
		return nil, fmt.Errorf("crawl: %s: %w", raw, err)
	}
	defer release()
	return h.c.Get(ctx, raw, o)
}

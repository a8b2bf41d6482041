package main

import (
	"context"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/fetch"
)

// fetcher gives the pipeline its network access: newsgraph's polite HTTP
// client (User-Agent, timeouts, retries with backoff, size cap).
func (a *app) fetcher(userAgent string) ingest.Fetcher {
	if userAgent == "" {
		userAgent = "newsgraph/" + version + " (+https://github.com/newsgraph/newsgraph)"
	}
	return httpFetcher{fetch.New(fetch.Options{UserAgent: userAgent, Logger: a.log})}
}

type httpFetcher struct{ c *fetch.Client }

func (f httpFetcher) Fetch(ctx context.Context, url string) (ingest.Raw, error) {
	resp, err := f.c.Get(ctx, url, fetch.GetOptions{})
	if err != nil {
		return ingest.Raw{}, err
	}
	return ingest.Raw{URL: resp.URL, ContentType: resp.Header.Get("Content-Type"), Body: resp.Body}, nil
}

package main

import (
	"context"

	"github.com/newsgraph/newsgraph/ingest"
	"github.com/newsgraph/newsgraph/ingest/fetch"
)

// fetcher gives the pipeline its network access: newsgraph's polite HTTP
// client (User-Agent, timeouts, retries with backoff, size cap).
func (a *app) fetcher(userAgent string) ingest.Fetcher {
	return httpFetcher{fetch.New(fetch.Options{UserAgent: agent(userAgent, defaultContact), Logger: a.log})}
}

// defaultContact is the address a User-Agent names unless --contact says otherwise.
const defaultContact = "https://github.com/newsgraph/newsgraph"

// agent is the User-Agent newsgraph sends: the user's --user-agent, else
// one naming newsgraph, its version and a contact address.
func agent(override, contact string) string {
	if override != "" {
		return override
	}
	return "newsgraph/" + version + " (+" + contact + ")"
}

type httpFetcher struct{ c *fetch.Client }

func (f httpFetcher) Fetch(ctx context.Context, url string) (ingest.Raw, error) {
	resp, err := f.c.Get(ctx, url, fetch.GetOptions{})
	if err != nil {
		return ingest.Raw{}, err
	}
	return ingest.Raw{URL: resp.URL, ContentType: resp.Header.Get("Content-Type"), Body: resp.Body}, nil
}

package main

import (
	"context"
	"fmt"
)

// ingestWARC is `ingest --warc FILE...`: every successful HTML response
// record is parsed and stored; other records (requests, metadata, feeds,
// images, redirects) are skipped.
func (a *app) ingestWARC(ctx context.Context, files, args []string, asJSON bool) error {
	if len(args) > 0 {
		return fmt.Errorf("--warc takes no other inputs")
	}
	st, err := a.openStores(ctx, "ingest --warc")
	if err != nil {
		return err
	}
	sum, err := a.ingestRecords(ctx, st, files, nil)
	if err != nil {
		return err
	}
	return a.reportRecords(ctx, st, sum, asJSON)
}

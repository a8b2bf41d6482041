// Package archive keeps the raw bytes of every page newsgraph fetches, so
// that nothing fetched is ever lost and the store can be rebuilt without
// network after the extractor improves.
//
// The archive is a folder of WARC 1.1 files (ISO 28500), written with
// github.com/nlnwa/gowarc, one gzip member per record so that a file cut
// short by a crash keeps every record before the cut. Each fetched page is
// one "response" record: the HTTP status line and headers as received
// (minus transfer and content encodings, which the fetcher has undone) and
// the body, with WARC-Target-URI and WARC-Date. A record's role (the
// newsgraph-specific field Newsgraph-Role: "page" or "feed") lets a rebuild
// skip feed documents. Writers fsync before their records are relied on, and
// readers treat a truncated last record as the end of the file.
//
// The same reader reads foreign WARC files (a news crawl, say): it yields
// each response record with its payload and leaves the choice of what to
// ingest (HTML only, say) to the caller.
package archive

// Package crawl collects news from feeds on a schedule, politely, without
// duplicates and without losing anything it fetched.
//
// A Registry (DATA/feeds.db, a bbolt file, opened only under the data
// directory's lock) holds the feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed via
// gofeed; OPML import and export; feed autodiscovery from a home page's
// <link rel="alternate">) and their state: ETag and Last-Modified for
// conditional GETs, health counters, the keys of the items already ingested,
// the content hashes and the simhash fingerprints of the articles.
//
// A pass runs in two steps so that a crash at any moment loses nothing and
// duplicates nothing (at-least-once delivery made exactly-once in effect by
// idempotent writes):
//
//  1. Crawler.Pass, holding no lock, fetches the due feeds and their new
//     items, writes every fetched document to the archive (and fsyncs it),
//     parses and extracts the articles, and returns them with the state that
//     covers them.
//  2. The caller takes the lock, stores the documents (putting an article
//     again replaces it), and only then calls Registry.Commit, which records
//     the feeds' new state in one transaction.
//
// A kill between the two steps leaves the old state, so the next pass
// fetches the same items again and puts them again, which changes nothing.
// An item that fails transiently (network, 5xx, 429, interrupted) keeps its
// feed's old validators, so the next pass does not get a 304 that hides it;
// an item that fails for good (4xx, robots.txt, not a readable page) is
// recorded as seen and not retried.
//
// Politeness: the fetch client names newsgraph, its version and a contact
// URL in its User-Agent and retries with backoff and jitter (Retry-After
// honoured); robots.txt is fetched once per host and pass (a missing one
// allows all, an unreachable one skips the host for the pass, as RFC 9309
// asks) and its Crawl-delay is honoured; each host gets at most
// HostConcurrency requests at a time, started HostDelay apart (1 s by
// default); at most Workers requests are in flight overall; only http and
// https are fetched.
//
// Duplicates: an item is keyed by its address with tracking parameters
// stripped and http/https, www/non-www and a trailing slash folded (Key), by
// the page's rel=canonical address, by the feed's item id, and by the
// article's content hash; a known key is not fetched or stored again. Near
// duplicates (a 64-bit simhash within Hamming distance 3 under another
// address) are reported in Item.DuplicateOf with the earlier article's id,
// for the graph to link rather than count twice.
package crawl

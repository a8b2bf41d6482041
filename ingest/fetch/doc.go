// Package fetch is newsgraph's polite HTTP client for article pages. It
// fetches only http and https URLs, identifies itself with a descriptive
// User-Agent, follows a bounded number of redirects, caps the body size
// (truncating and marking rather than failing), retries network errors,
// 5xx and 429 answers with exponential backoff and jitter (honouring a
// capped Retry-After), and supports conditional GETs so that a page that
// has not changed costs a 304 and no body.
package fetch

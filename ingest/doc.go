// Package ingest turns inputs (HTML pages and plain-text articles on disk,
// http(s) URLs, standard input) into model.Documents: it reads each input,
// parses it into an article (package article), extracts entities, relations
// and statements (package extract), and hands the documents in batches to a
// sink, one batch at a time, so that the stores see a single writer. Parsing
// and extraction run on several workers; one bad input is reported and the
// batch goes on.
package ingest

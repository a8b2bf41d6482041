// Command newsgraph turns news coverage into a knowledge graph that
// researchers can query: it ingests articles into a Cayley graph and a Bleve
// index in a data directory, and answers graph queries, entity profiles and
// full-text searches. This package only wires the libraries (ingest, graph,
// search) to flags, environment and terminal; see the README for the tour.
package main

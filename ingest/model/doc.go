// Package model is newsgraph's domain model: articles, the entities they
// mention, the relations between those entities with the evidence they were
// read from, and attributed statements. It imports nothing of the project, so
// that ingest can produce it and graph and search can store and query it
// without depending on each other. Its JSON form is the `newsgraph extract
// --json` contract of the schema (SCHEMA.md).
package model

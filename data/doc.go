// Package data embeds newsgraph's built-in data into the binary: the curated
// gazetteer of known entities (gazetteer/*.tsv, with the false-positive list
// gazetteer/stoplist.txt) and the sample corpus (samples/), so that the
// binary works from any directory without a data checkout. Users extend the
// gazetteer with files of the same format in their data directory.
package data

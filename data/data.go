package data

import (
	"embed"
	"io/fs"
)

//go:embed gazetteer samples feeds sites
var files embed.FS

// Gazetteer is the built-in gazetteer folder (TSV files and stop lists at its root).
func Gazetteer() fs.FS {
	sub, err := fs.Sub(files, "gazetteer")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

// Samples is the built-in sample corpus.
func Samples() fs.FS {
	sub, err := fs.Sub(files, "samples")
	if err != nil {
		panic(err)
	}
	return sub
}

// Sites is the built-in per-site extraction rules folder (TSV files at its
// root, read by article.LoadSiteRules).
func Sites() fs.FS {
	sub, err := fs.Sub(files, "sites")
	if err != nil {
		panic(err)
	}
	return sub
}

// Feeds is the built-in list of default feeds (defaults.opml), which
// `newsgraph feeds add --defaults` installs.
func Feeds() fs.FS {
	sub, err := fs.Sub(files, "feeds")
	if err != nil {
		panic(err)
	}
	return sub
}

package data

import (
	"embed"
	"io/fs"
)

//go:embed gazetteer samples
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

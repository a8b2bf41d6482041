// Package lockfile gives one process at a time the data directory. Bolt and
// Bleve lock their own files, but bbolt waits forever for a held lock; a lock
// file of our own, tried without blocking for a short while, lets a second
// process say promptly who holds the store instead of hanging.
package lockfile

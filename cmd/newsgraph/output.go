package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// Output formats of the query verbs.
const (
	formatTable = "table"
	formatCSV   = "csv"
	formatJSONL = "jsonl"
	formatJSON  = "json"
)

// outputFlags are the --json and --format flags every query verb shares.
type outputFlags struct {
	asJSON bool
	format string
}

func (o *outputFlags) register(cmd *cobra.Command, jsonShape string) {
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print "+jsonShape+" as one JSON document (same as --format json)")
	cmd.Flags().StringVar(&o.format, "format", formatTable, "output format: table, csv (one row per item, header first), jsonl (one JSON object per item) or json")
}

func (o *outputFlags) resolve() (string, error) {
	if o.asJSON {
		return formatJSON, nil
	}
	switch f := strings.ToLower(o.format); f {
	case formatTable, formatCSV, formatJSONL, formatJSON:
		return f, nil
	default:
		return "", fmt.Errorf("--format %q: want table, csv, jsonl or json", o.format)
	}
}

// listing is a query result in all its output forms: the whole value for
// --json, one value per item for jsonl, and flat rows (header first) for
// csv and the table.
type listing struct {
	whole  any
	items  []any
	header []string
	rows   [][]string
	// table prints the terminal form; nil prints header and rows aligned.
	table func(w io.Writer)
}

func (a *app) emit(format string, l listing) error {
	w := a.stdout
	switch format {
	case formatJSON:
		return writeJSON(w, l.whole)
	case formatJSONL:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, it := range l.items {
			if err := enc.Encode(it); err != nil {
				return err
			}
		}
		return nil
	case formatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(l.header); err != nil {
			return err
		}
		if err := cw.WriteAll(l.rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	if l.table != nil {
		l.table(w)
		return nil
	}
	printTable(w, l.header, l.rows)
	return nil
}

// printTable prints rows aligned under an upper-cased header.
func printTable(w io.Writer, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	up := make([]string, len(header))
	for i, h := range header {
		up[i] = strings.ToUpper(h)
	}
	fmt.Fprintln(tw, strings.Join(up, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = strings.Join(strings.Fields(c), " ")
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}

// day formats a date for tables and CSV ("" when unknown).
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// stamp formats an instant for CSV ("" when unknown).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// anySlice converts a typed slice for listing.items.
func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i := range xs {
		out[i] = xs[i]
	}
	return out
}

// windowFlags are --since and --until.
type windowFlags struct{ since, until string }

func (wf *windowFlags) register(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&wf.since, "since", "", what+" published on or after this day (YYYY-MM-DD or RFC 3339)")
	cmd.Flags().StringVar(&wf.until, "until", "", what+" published on or before this day (YYYY-MM-DD or RFC 3339)")
}

func (wf *windowFlags) parse() (since, until time.Time, err error) {
	if since, err = parseDay(wf.since, false); err != nil {
		return since, until, fmt.Errorf("--since: %w", err)
	}
	if until, err = parseDay(wf.until, true); err != nil {
		return since, until, fmt.Errorf("--until: %w", err)
	}
	if !since.IsZero() && !until.IsZero() && until.Before(since) {
		return since, until, fmt.Errorf("--until %s is before --since %s", wf.until, wf.since)
	}
	return since, until, nil
}

// parseDay reads YYYY-MM-DD or RFC 3339; an end-of-range day covers the whole day.
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			if end {
				switch layout {
				case "2006-01-02":
					t = t.AddDate(0, 0, 1)
				case "2006-01":
					t = t.AddDate(0, 1, 0)
				default:
					t = t.AddDate(1, 0, 0)
				}
				t = t.Add(-time.Nanosecond)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
}

func (a *app) printf(format string, args ...any) { fmt.Fprintf(a.stdout, format, args...) }

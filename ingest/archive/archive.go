package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc"
)

// Roles of archived records.
const (
	RolePage = "page" // an article page
	RoleFeed = "feed" // a feed document
)

// roleField is the WARC extension field naming a record's role.
const roleField = "Newsgraph-Role"

// Record is one fetched document with its fetch metadata.
type Record struct {
	URL        string      // the address the body came from (after redirects)
	Date       time.Time   // when it was fetched
	StatusCode int         // HTTP status; 200 when unknown
	Header     http.Header // HTTP response headers
	Body       []byte      // the payload, decoded from any Content-Encoding
	Role       string      // RolePage, RoleFeed, or "" for foreign records
	File       string      // (reading) the WARC file the record came from
	Offset     int64       // (reading) the record's offset in that file
}

// ContentType is the record's HTTP Content-Type.
func (r Record) ContentType() string { return r.Header.Get("Content-Type") }

// Writer appends records to one new WARC file. It is safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	f    *os.File
	path string
	bw   *bufio.Writer
	n    int
}

// Create starts a new archive file in dir, named after the time and the
// process so that concurrent or successive writers never share a file.
func Create(dir, prefix string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if prefix == "" {
		prefix = "newsgraph"
	}
	name := fmt.Sprintf("%s-%s-%d.warc.gz", prefix, time.Now().UTC().Format("20060102T150405.000000000"), os.Getpid())
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &Writer{f: f, path: p, bw: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Path is the file being written.
func (w *Writer) Path() string { return w.path }

// Count is the number of records written.
func (w *Writer) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

var marshaler = gowarc.NewMarshaler()

// buildMu serialises gowarc's record builder, which writes a package-level
// setting of github.com/google/uuid on every call (a data race when several
// crawl workers archive at once).
var buildMu sync.Mutex

// Write appends one response record (buffered; Sync makes it durable).
func (w *Writer) Write(rec Record) error {
	buildMu.Lock()
	wr, err := buildRecord(rec)
	buildMu.Unlock()
	if err != nil {
		return fmt.Errorf("archive: %s: %w", rec.URL, err)
	}
	defer wr.Close()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, _, err := marshaler.Marshal(zw, wr, 0); err != nil {
		return fmt.Errorf("archive: %s: %w", rec.URL, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("archive: %s: %w", rec.URL, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return errors.New("archive: writer is closed")
	}
	if _, err := w.bw.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("archive: writing %s: %w", w.path, err)
	}
	w.n++
	return nil
}

// Sync flushes and fsyncs what was written.
func (w *Writer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.syncLocked()
}

func (w *Writer) syncLocked() error {
	if w.f == nil {
		return nil
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("archive: writing %s: %w", w.path, err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("archive: syncing %s: %w", w.path, err)
	}
	return nil
}

// Close syncs and closes the file; a file with no records is removed.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.syncLocked()
	if cerr := w.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("archive: closing %s: %w", w.path, cerr)
	}
	w.f = nil
	if w.n == 0 {
		_ = os.Remove(w.path)
	}
	return err
}

// skippedHeaders describe an encoding of the body that the fetcher undid.
var skippedHeaders = map[string]bool{"Content-Encoding": true, "Transfer-Encoding": true, "Content-Length": true}

func buildRecord(rec Record) (gowarc.WarcRecord, error) {
	status := rec.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	var hb bytes.Buffer
	fmt.Fprintf(&hb, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	keys := make([]string, 0, len(rec.Header))
	for k := range rec.Header {
		if !skippedHeaders[http.CanonicalHeaderKey(k)] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range rec.Header[k] {
			fmt.Fprintf(&hb, "%s: %s\r\n", k, strings.NewReplacer("\r", " ", "\n", " ").Replace(v))
		}
	}
	fmt.Fprintf(&hb, "Content-Length: %d\r\n\r\n", len(rec.Body))
	b := gowarc.NewRecordBuilder(gowarc.Response,
		gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingDigest(true),
		gowarc.WithFixContentLength(true), gowarc.WithAddMissingContentLength(true))
	if _, err := b.Write(hb.Bytes()); err != nil {
		return nil, err
	}
	if _, err := b.Write(rec.Body); err != nil {
		return nil, err
	}
	date := rec.Date
	if date.IsZero() {
		date = time.Now()
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, rec.URL)
	b.AddWarcHeaderTime(gowarc.WarcDate, date.UTC())
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	if rec.Role != "" {
		b.AddWarcHeader(roleField, rec.Role)
	}
	wr, _, err := b.Build()
	if err != nil {
		return nil, err
	}
	return wr, nil
}

// ErrTruncated is returned (wrapped) by ReadFile when a file ends inside a
// record, as a crash while writing leaves it; the records before it were read.
var ErrTruncated = errors.New("archive: file ends inside a record")

// ReadFile calls fn for each response record of a WARC file (.warc or
// .warc.gz), in file order. Records of other types (request, metadata,
// warcinfo, revisit…) are skipped. An error from fn stops the reading and is
// returned.
func ReadFile(ctx context.Context, path string, fn func(Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	return Read(ctx, f, path, fn)
}

// maxHeaderBytes bounds one record's WARC header block.
const maxHeaderBytes = 1 << 20

// Read is ReadFile on a stream; name labels errors and Record.File.
//
// The reader is newsgraph's own (gowarc's loops on a file cut short): it
// reads WARC 1.0 and 1.1, plain or gzip (one member per record or one for
// the whole file), and stops with ErrTruncated where a file is cut.
func Read(ctx context.Context, r io.Reader, name string, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("archive: %s: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	var off int64
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		hdr, used, err := readWARCHeader(br)
		if errors.Is(err, io.EOF) && used == 0 {
			return nil
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: %s, record %d at offset %d", ErrTruncated, name, n+1, off)
		}
		if err != nil {
			return fmt.Errorf("archive: %s: record %d at offset %d: %w", name, n+1, off, err)
		}
		length, err := strconv.ParseInt(strings.TrimSpace(hdr.Get("Content-Length")), 10, 64)
		if err != nil || length < 0 {
			return fmt.Errorf("archive: %s: record %d at offset %d: bad Content-Length %q", name, n+1, off, hdr.Get("Content-Length"))
		}
		recOff := off
		off += used
		var block []byte
		typ := strings.ToLower(strings.TrimSpace(hdr.Get("WARC-Type")))
		if typ == "response" {
			block = make([]byte, length)
			if _, err := io.ReadFull(br, block); err != nil {
				return fmt.Errorf("%w: %s, record %d at offset %d", ErrTruncated, name, n+1, recOff)
			}
		} else if _, err := io.CopyN(io.Discard, br, length); err != nil {
			return fmt.Errorf("%w: %s, record %d at offset %d", ErrTruncated, name, n+1, recOff)
		}
		off += length
		if typ != "response" {
			continue
		}
		rec := toRecord(hdr, block)
		rec.File, rec.Offset = name, recOff
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// readWARCHeader skips the blank lines between records, then reads the
// version line and the header fields up to the empty line.
func readWARCHeader(br *bufio.Reader) (textproto.MIMEHeader, int64, error) {
	var used int64
	var line string
	for {
		l, err := br.ReadString('\n')
		used += int64(len(l))
		if err != nil {
			if used == 0 || strings.TrimSpace(l) == "" && err == io.EOF {
				return nil, int64(len(strings.TrimSpace(l))), io.EOF
			}
			return nil, used, io.ErrUnexpectedEOF
		}
		if strings.TrimSpace(l) != "" {
			line = strings.TrimSpace(l)
			break
		}
		if used > maxHeaderBytes {
			return nil, used, errors.New("no WARC record found")
		}
	}
	if !strings.HasPrefix(line, "WARC/") {
		return nil, used, fmt.Errorf("not a WARC record: starts with %.40q", line)
	}
	hdr := textproto.MIMEHeader{}
	for {
		l, err := br.ReadString('\n')
		used += int64(len(l))
		if err != nil {
			return nil, used, io.ErrUnexpectedEOF
		}
		if used > maxHeaderBytes {
			return nil, used, errors.New("WARC header too long")
		}
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			return hdr, used, nil
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue // tolerated: a stray line in a foreign file
		}
		hdr.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
}

func toRecord(h textproto.MIMEHeader, block []byte) Record {
	rec := Record{URL: strings.Trim(h.Get("WARC-Target-URI"), "<>"), Role: h.Get(roleField), Header: http.Header{}}
	if d, err := time.Parse(time.RFC3339, h.Get("WARC-Date")); err == nil {
		rec.Date = d
	}
	if !strings.Contains(strings.ToLower(h.Get("Content-Type")), "application/http") && !bytes.HasPrefix(block, []byte("HTTP/")) {
		// A response that is not HTTP (dns:, say): the block is the payload.
		rec.Body = block
		if ct := h.Get("Content-Type"); ct != "" {
			rec.Header.Set("Content-Type", ct)
		}
		return rec
	}
	br := bufio.NewReader(bytes.NewReader(block))
	tp := textproto.NewReader(br)
	status, err := tp.ReadLine()
	if err != nil {
		return rec
	}
	if _, code, ok := strings.Cut(status, " "); ok {
		code, _, _ = strings.Cut(code, " ")
		rec.StatusCode, _ = strconv.Atoi(code)
	}
	mh, err := tp.ReadMIMEHeader()
	if mh != nil {
		rec.Header = http.Header(mh)
	}
	if err != nil && len(mh) == 0 {
		return rec
	}
	body, _ := io.ReadAll(br)
	if strings.EqualFold(rec.Header.Get("Transfer-Encoding"), "chunked") {
		if b, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(body))); err == nil {
			body = b
		}
	}
	if strings.EqualFold(rec.Header.Get("Content-Encoding"), "gzip") {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			if b, err := io.ReadAll(io.LimitReader(zr, 64<<20)); err == nil {
				body = b
				rec.Header.Del("Content-Encoding")
			}
		}
	}
	rec.Body = body
	return rec
}

// Files lists the WARC files of an archive folder in name (that is, time)
// order; a missing folder has none.
func Files(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".warc")) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// IsHTML reports whether a record's payload is an HTML page (by its
// Content-Type, else by sniffing), the kind of record ingest reads.
func (r Record) IsHTML() bool {
	ct := strings.ToLower(r.ContentType())
	if ct != "" {
		return strings.Contains(ct, "text/html") || strings.Contains(ct, "application/xhtml")
	}
	return strings.HasPrefix(http.DetectContentType(r.Body), "text/html")
}

// statusOK reports a 2xx status (unknown counts as OK).
func (r Record) statusOK() bool { return r.StatusCode == 0 || r.StatusCode/100 == 2 }

// Usable reports whether a record is a successful HTML response: what
// `ingest --warc` and reextract read.
func (r Record) Usable() bool { return r.statusOK() && len(r.Body) > 0 && r.IsHTML() }

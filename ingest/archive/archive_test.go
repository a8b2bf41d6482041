package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2024, 2, 20, 9, 30, 0, 0, time.UTC)
	in := []Record{
		{URL: "https://example.org/lockbit", Date: when, StatusCode: 200, Role: RolePage,
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Encoding": {"gzip"}},
			Body:   []byte("<html><head><title>Operation Cronos</title></head><body><p>Law enforcement took over LockBit's leak site.</p></body></html>")},
		{URL: "https://example.org/feed.xml", Date: when, StatusCode: 200, Role: RoleFeed,
			Header: http.Header{"Content-Type": {"application/rss+xml"}, "Etag": {`"v1"`}},
			Body:   []byte("<rss version=\"2.0\"><channel><title>x</title></channel></rss>")},
		{URL: "https://example.org/empty", Date: when, StatusCode: 200, Role: RolePage,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte{}},
	}
	for _, r := range in {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("Files = %v, %v", files, err)
	}
	var got []Record
	if err := ReadFile(context.Background(), files[0], func(r Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(in) {
		t.Fatalf("read %d records, want %d", len(got), len(in))
	}
	for i := range in {
		g, w := got[i], in[i]
		if g.URL != w.URL || !g.Date.Equal(w.Date) || g.StatusCode != w.StatusCode || g.Role != w.Role || !bytes.Equal(g.Body, w.Body) {
			t.Errorf("record %d = %+v, want %+v", i, g, w)
		}
		if g.ContentType() != w.Header.Get("Content-Type") {
			t.Errorf("record %d content type %q", i, g.ContentType())
		}
		if g.Header.Get("Content-Encoding") != "" {
			t.Errorf("record %d keeps Content-Encoding though the body is decoded", i)
		}
	}
	if !got[0].Usable() || got[1].Usable() || got[2].Usable() {
		t.Errorf("Usable: page %v feed %v empty %v", got[0].Usable(), got[1].Usable(), got[2].Usable())
	}
}

// A crash while writing leaves a file cut inside a record: the records
// before the cut are read, and the error says the file is truncated.
func TestTruncatedTail(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://example.org/a", "https://example.org/b"} {
		body := bytes.Repeat([]byte("<p>The BSI published its annual report on the state of IT security.</p>"), 50)
		if err := w.Write(Record{URL: u, Header: http.Header{"Content-Type": {"text/html"}}, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(w.Path())
	for _, tc := range []struct{ cut, want int }{{len(b) - 4, 2}, {len(b) - 200, 1}} {
		cut := tc.cut
		p := filepath.Join(t.TempDir(), "cut.warc.gz")
		os.WriteFile(p, b[:cut], 0o644)
		n := 0
		err := ReadFile(context.Background(), p, func(Record) error { n++; return nil })
		if n != tc.want {
			t.Errorf("cut at %d: read %d records, want %d (err %v)", cut, n, tc.want, err)
		}
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("cut at %d: err = %v, want ErrTruncated", cut, err)
		}
	}
}

// A foreign, uncompressed WARC with request and warcinfo records besides the response.
func TestForeignWARC(t *testing.T) {
	resp := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>CISA ordered agencies to disconnect Ivanti appliances.</p></body></html>"
	req := "GET / HTTP/1.1\r\nHost: example.net\r\n\r\n"
	info := "software: hand-written\r\n"
	var b bytes.Buffer
	rec := func(typ, ctype, uri, block string) {
		b.WriteString("WARC/1.0\r\nWARC-Type: " + typ + "\r\nWARC-Record-ID: <urn:uuid:" + typ + "-0000-0000-0000-000000000000>\r\nWARC-Date: 2024-02-01T12:00:00Z\r\n")
		if uri != "" {
			b.WriteString("WARC-Target-URI: " + uri + "\r\n")
		}
		b.WriteString("Content-Type: " + ctype + "\r\nContent-Length: ")
		b.WriteString(itoa(len(block)) + "\r\n\r\n" + block + "\r\n\r\n")
	}
	rec("warcinfo", "application/warc-fields", "", info)
	rec("request", "application/http;msgtype=request", "https://example.net/", req)
	rec("response", "application/http;msgtype=response", "https://example.net/", resp)
	for _, gz := range []bool{false, true} {
		data := b.Bytes()
		if gz {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(data)
			zw.Close()
			data = z.Bytes()
		}
		var got []Record
		if err := Read(context.Background(), bytes.NewReader(data), "foreign", func(r Record) error { got = append(got, r); return nil }); err != nil {
			t.Fatalf("gzip %v: %v", gz, err)
		}
		if len(got) != 1 || got[0].URL != "https://example.net/" || !got[0].Usable() || !bytes.Contains(got[0].Body, []byte("Ivanti")) {
			t.Fatalf("gzip %v: got %+v", gz, got)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"))
	f.Add([]byte{0x1f, 0x8b, 0x08})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = Read(context.Background(), bytes.NewReader(b), "fuzz", func(Record) error { return nil })
	})
}

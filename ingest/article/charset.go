package article

import (
	"bytes"
	"mime"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// metaCharset finds a charset declared in a <meta> tag: either
// <meta charset="x"> or <meta http-equiv="Content-Type" content="...; charset=x">.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)`)

// toUTF8 converts a page to UTF-8. The order follows what works on real
// pages rather than strict HTML5 sniffing: a BOM or a charset in the HTTP
// Content-Type is trusted; otherwise bytes that are valid UTF-8 with
// non-ASCII content are UTF-8 whatever the page claims (saved pages are
// often re-encoded without fixing their meta tag, while Latin-1 text with
// umlauts is practically never valid UTF-8); then a meta charset anywhere in
// the head; then windows-1252, the web's usual legacy default.
func toUTF8(b []byte, contentType string) []byte {
	if enc, ok := bomEncoding(b); ok {
		return decodeWith(enc, b)
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if cs := params["charset"]; cs != "" {
			if enc, _ := charset.Lookup(cs); enc != nil {
				return decodeWith(enc, b)
			}
		}
	}
	if utf8.Valid(b) {
		return b
	}
	head := b
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		if enc, name := charset.Lookup(string(m[1])); enc != nil && name != "utf-8" {
			return decodeWith(enc, b)
		}
	}
	if enc, name, _ := charset.DetermineEncoding(b, ""); enc != nil && name != "utf-8" {
		return decodeWith(enc, b)
	}
	// Mostly UTF-8 with a few broken bytes: keep it, invalid bytes become U+FFFD later.
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

func bomEncoding(b []byte) (encoding.Encoding, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, true
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), true
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), true
	}
	return nil, false
}

func decodeWith(enc encoding.Encoding, b []byte) []byte {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

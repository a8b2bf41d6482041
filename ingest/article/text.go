package article

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// blockTags start a new paragraph in the rendered text.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "header": true, "footer": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "head": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true, "list": true, "item": true,
	"blockquote": true, "quote": true, "pre": true, "code": false, "table": true, "tr": true, "row": true,
	"figure": true, "figcaption": true, "aside": true, "address": true, "details": true, "summary": true,
	"body": true, "hr": true, "form": true, "fieldset": true, "center": true, "graphic": true,
}

// skipTags carry no readable text.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true, "iframe": true, "button": true, "select": true, "math": true}

// renderText turns an extracted content tree into plain text: paragraphs
// (block elements) separated by a blank line, white space inside them
// folded, line breaks kept as single newlines.
func renderText(n *html.Node) string {
	if n == nil {
		return ""
	}
	r := &textRenderer{}
	r.walk(n, false)
	r.flush()
	return strings.Join(r.paras, "\n\n")
}

type textRenderer struct {
	paras []string
	cur   strings.Builder
	// crossed is set when an element boundary lies between the last text
	// written and the next: go-trafilatura trims the text around inline
	// elements ("direction <b>Steve Wilks</b> will" arrives as "direction",
	// "Steve Wilks", "will"), so the space must be put back.
	crossed bool
}

// writeText appends a text node, restoring a space lost at an element
// boundary unless punctuation makes it wrong ("<a>Wilks</a>, who").
func (r *textRenderer) writeText(s string) {
	if s == "" {
		return
	}
	if r.crossed && r.cur.Len() > 0 {
		prev, _ := utf8.DecodeLastRuneInString(r.cur.String())
		next, _ := utf8.DecodeRuneInString(s)
		if !unicode.IsSpace(prev) && !unicode.IsSpace(next) &&
			!strings.ContainsRune("([{„“‘«/-–$€£#@", prev) && !strings.ContainsRune(".,;:!?)]}’”'\"»%/-–…", next) {
			r.cur.WriteByte(' ')
		}
	}
	r.crossed = false
	r.cur.WriteString(s)
}

func (r *textRenderer) flush() {
	lines := strings.Split(r.cur.String(), "\n")
	var keep []string
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			keep = append(keep, l)
		}
	}
	if len(keep) > 0 {
		r.paras = append(r.paras, strings.Join(keep, "\n"))
	}
	r.cur.Reset()
	r.crossed = false
}

func (r *textRenderer) walk(n *html.Node, pre bool) {
	switch n.Type {
	case html.TextNode:
		r.writeText(strings.Map(func(c rune) rune {
			switch c {
			case '\u00a0', '\u200b', '\ufeff':
				return ' '
			case '\n', '\r', '\t':
				if pre && c == '\n' {
					return '\n'
				}
				return ' '
			}
			return c
		}, n.Data))
		return
	case html.ElementNode:
		tag := n.Data
		if skipTags[tag] {
			return
		}
		switch tag {
		case "br", "lb":
			r.cur.WriteByte('\n')
			return
		case "td", "th", "cell":
			r.cur.WriteByte(' ')
		}
		block := blockTags[tag]
		if block {
			r.flush()
		}
		r.crossed = true
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c, pre || tag == "pre")
		}
		r.crossed = true
		if block {
			r.flush()
		} else if tag == "td" || tag == "th" || tag == "cell" {
			r.cur.WriteByte(' ')
		}
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c, pre)
		}
	}
}

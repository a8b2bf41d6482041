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
	return joinParas(renderParas(n, false))
}

// para is one rendered paragraph with the share of its letters that sat
// inside links, the mark of navigation and teaser lists.
type para struct {
	text      string
	linkShare float64
	heading   bool // an h1–h6 element
}

// renderParas renders n into paragraphs. strict also skips the elements
// that hold no article prose (captions, asides, navigation, forms), for
// subtrees chosen by a site rule rather than cleaned by trafilatura.
func renderParas(n *html.Node, strict bool) []para {
	if n == nil {
		return nil
	}
	r := &textRenderer{strict: strict}
	r.walk(n, false)
	r.flush()
	return r.paras
}

func joinParas(ps []para) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p.text)
	}
	return b.String()
}

// strictSkipTags hold no article prose in an uncleaned subtree.
var strictSkipTags = map[string]bool{"figcaption": true, "aside": true, "nav": true, "form": true, "footer": true, "input": true, "textarea": true, "label": true, "label1": true, "img": true, "video": true, "audio": true, "object": true, "embed": true, "canvas": true, "picture": true, "h1": true, "header": true}

type textRenderer struct {
	paras   []para
	strict  bool
	inLink  int
	inHead  int
	linkLen int // runes written inside links since the last flush
	head    bool
	cur     strings.Builder
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
	if r.inLink > 0 {
		r.linkLen += utf8.RuneCountInString(strings.TrimSpace(s))
	}
	if r.inHead > 0 && strings.TrimSpace(s) != "" {
		r.head = true
	}
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
		text := strings.Join(keep, "\n")
		share := 0.0
		if n := utf8.RuneCountInString(text) - strings.Count(text, " "); n > 0 {
			share = min(1, float64(r.linkLen)/float64(n))
		}
		r.paras = append(r.paras, para{text: text, linkShare: share, heading: r.head})
	}
	r.cur.Reset()
	r.crossed = false
	r.linkLen = 0
	r.head = false
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
		if skipTags[tag] || (r.strict && strictSkipTags[tag]) {
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
		link := tag == "a" || tag == "ref"
		head := len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
		if link {
			r.inLink++
		}
		if head {
			r.inHead++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c, pre || tag == "pre")
		}
		if link {
			r.inLink--
		}
		if head {
			r.inHead--
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

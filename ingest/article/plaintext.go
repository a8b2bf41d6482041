package article

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// ParseText reads a plain-text article: the first non-empty line is the
// headline, the rest the body, whose paragraphs (blank-line separated, or
// one a line when the text has no blank lines) are kept.
func ParseText(ctx context.Context, r io.Reader, opts Options) (model.Article, error) {
	b, err := readCapped(ctx, r, opts)
	if err != nil {
		return model.Article{}, err
	}
	return parseTextBytes(ctx, b, opts)
}

func parseTextBytes(ctx context.Context, b []byte, opts Options) (model.Article, error) {
	if err := ctx.Err(); err != nil {
		return model.Article{}, err
	}
	s := string(toUTF8(b, opts.ContentType))
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")

	var a model.Article
	i := 0
	for ; i < len(lines); i++ {
		if t := cleanText(lines[i]); t != "" {
			a.Title = t
			i++
			break
		}
	}
	a.Text = textParagraphs(lines[i:])
	a.URL = (&pageMeta{}).pickURL(opts.URL)
	a.Site = hostName(opts.URL)
	if d, exact := dateFromURL(opts.URL); exact {
		a.Published = d
	}
	a.Language = DetectLanguage(a.Title + "\n" + a.Text)
	if a.Title == "" {
		return a, fmt.Errorf("article: empty text %q: %w", opts.URL, ErrNoContent)
	}
	return a, nil
}

// textParagraphs joins lines into paragraphs. With blank lines in the text,
// they separate paragraphs and single newlines are soft wraps; without any,
// each line is a paragraph.
func textParagraphs(lines []string) string {
	blank := false // does a blank line separate two text lines?
	seenText, pending := false, false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			pending = seenText
			continue
		}
		if pending {
			blank = true
			break
		}
		seenText = true
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for _, l := range lines {
		t := cleanText(l)
		if t == "" {
			flush()
			continue
		}
		cur = append(cur, t)
		if !blank {
			flush()
		}
	}
	flush()
	return strings.Join(paras, "\n\n")
}

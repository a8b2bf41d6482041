package article

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	readability "github.com/go-shiori/go-readability"
)

// readabilityParas renders the content a readability pass (Mozilla's
// algorithm, a second opinion independent of trafilatura's) finds in doc.
// The pass works on its own copy of the tree.
func readabilityParas(ctx context.Context, doc *goquery.Document, pageURL *url.URL, log *slog.Logger) []para {
	if len(doc.Nodes) == 0 || ctx.Err() != nil {
		return nil
	}
	res, err := readability.FromDocument(doc.Nodes[0], pageURL)
	if err != nil || res.Node == nil {
		log.DebugContext(ctx, "article: readability found nothing", "err", err)
		return nil
	}
	return renderParas(res.Node, false)
}

// preferReadable decides by agreement between the two extractors whether
// the readability text replaces trafilatura's. Readability tends to take
// more of the page around the article (captions, bylines, teasers), so a
// modestly different text is no evidence; two cases are:
//   - readability holds nearly all of trafilatura's text and much more
//     (≥ 1.8×): trafilatura stopped at the first of several body blocks;
//   - readability's text is nearly all inside trafilatura's and clearly
//     shorter (≤ 92 %): trafilatura kept a dek, a caption or a promo that
//     both the readability scoring and its cleaner discarded.
func preferReadable(extracted, readable string) bool {
	le, lr := utf8.RuneCountInString(extracted), utf8.RuneCountInString(readable)
	if lr == 0 || le == 0 {
		return le == 0 && len(splitWords(readable)) >= 40
	}
	ratio := float64(lr) / float64(le)
	switch {
	case ratio >= 1.8:
		return shingleCover(extracted, readable) >= 0.95
	case ratio <= 0.92 && ratio >= 0.5:
		// Trimming a subheadline, caption or promo removes a little; a
		// readable text far shorter than the extraction is a teaser or a
		// description, not the article.
		return shingleCover(readable, extracted) >= 0.97
	}
	return false
}

// splitWords cuts s into lower-case words (runs of letters and digits).
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	})
}

// shingleCover is the share of a's word 4-grams (counted with
// multiplicity) that also occur in b: 1 when a's text is wholly inside b's.
func shingleCover(a, b string) float64 {
	sa, sb := shingles(splitWords(a)), shingles(splitWords(b))
	total, hit := 0, 0
	for k, n := range sa {
		total += n
		hit += min(n, sb[k])
	}
	if total == 0 {
		return 0
	}
	return float64(hit) / float64(total)
}

func shingles(ws []string) map[[4]string]int {
	out := make(map[[4]string]int, len(ws))
	for i := 0; i+4 <= len(ws); i++ {
		out[[4]string{ws[i], ws[i+1], ws[i+2], ws[i+3]}]++
	}
	if len(ws) > 0 && len(ws) < 4 {
		var k [4]string
		copy(k[:], ws)
		out[k]++
	}
	return out
}

package crawl

import (
	"hash/fnv"
	"math/bits"
	"strings"
	"unicode"
)

// NearDuplicateDistance is the largest Hamming distance between two
// articles' simhashes at which the later is a near-duplicate of the earlier.
const NearDuplicateDistance = 3

// minSimhashWords is the shortest text worth fingerprinting: short texts
// share too many shingles by chance.
const minSimhashWords = 40

// Simhash is a 64-bit simhash (Charikar) of text over word 3-shingles,
// lower-cased, punctuation ignored. ok is false for texts too short to
// fingerprint reliably.
func Simhash(text string) (h uint64, ok bool) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) < minSimhashWords {
		return 0, false
	}
	var v [64]int
	hs := fnv.New64a()
	for i := 0; i+3 <= len(words); i++ {
		hs.Reset()
		hs.Write([]byte(words[i]))
		hs.Write([]byte{' '})
		hs.Write([]byte(words[i+1]))
		hs.Write([]byte{' '})
		hs.Write([]byte(words[i+2]))
		x := hs.Sum64()
		for b := 0; b < 64; b++ {
			if x&(1<<b) != 0 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	for b := 0; b < 64; b++ {
		if v[b] > 0 {
			h |= 1 << b
		}
	}
	return h, true
}

// Distance is the Hamming distance of two simhashes.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// NearDuplicateOf returns the id of the first fingerprinted article within
// NearDuplicateDistance of h under another URL key than key, if any. The
// lead wires the answer into the article (DuplicateOf) so the graph links
// the copy to the original instead of counting its relations again.
func NearDuplicateOf(prints []Fingerprint, h uint64, key, articleID string) (string, bool) {
	for _, p := range prints {
		if p.Key == key || p.ArticleID == articleID {
			continue
		}
		if Distance(p.Simhash, h) <= NearDuplicateDistance {
			return p.ArticleID, true
		}
	}
	return "", false
}

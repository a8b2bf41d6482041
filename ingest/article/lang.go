package article

import (
	"strings"
	"unicode"
)

// Stop words that are frequent in one language and rare in the other.
// Words shared by both ("in", "so", "man") are left out on purpose.
var (
	germanStop = setOf("der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "mit",
		"von", "zu", "den", "dem", "des", "auf", "für", "sich", "im", "auch", "es", "wird", "werden", "hat",
		"sind", "bei", "nach", "wie", "oder", "aber", "dass", "als", "noch", "nur", "wurde", "aus", "um",
		"über", "zum", "zur", "kann", "wir", "sie", "er", "ich", "ihre", "sein", "seine", "haben", "vom", "diese",
		"dieser", "bereits", "soll", "sei", "durch", "gegen", "mehr", "schon", "wenn", "laut", "zwischen", "können")
	englishStop = setOf("the", "and", "of", "to", "is", "that", "it", "for", "was", "on", "with", "as", "are",
		"be", "by", "this", "have", "from", "at", "not", "but", "or", "which", "were", "had", "they", "their",
		"will", "would", "been", "said", "its", "more", "about", "who", "can", "after", "there", "has", "we",
		"you", "he", "she", "our", "what", "when", "than", "into", "could", "these", "other", "some", "if")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// DetectLanguage returns "de", "en" or "" for a text. It counts stop words
// of each language in the first few thousand words, with German umlauts and
// ß as extra evidence; a text with too little evidence either way gives "".
func DetectLanguage(text string) string {
	var de, en, words int
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(text[start:end])
		start = -1
		words++
		switch {
		case germanStop[w]:
			de++
		case englishStop[w]:
			en++
		}
	}
	for i, r := range text {
		if words >= 3000 {
			break
		}
		if unicode.IsLetter(r) {
			if start < 0 {
				start = i
			}
			switch r {
			case 'ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü':
				de++
			}
			continue
		}
		flush(i)
	}
	if words < 3000 {
		flush(len(text))
	}
	switch {
	case de >= 3 && de > 2*en:
		return "de"
	case en >= 3 && en > 2*de:
		return "en"
	case de+en >= 20 && de > en*3/2:
		return "de"
	case de+en >= 20 && en > de*3/2:
		return "en"
	}
	return ""
}

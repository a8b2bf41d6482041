package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentence is one sentence of the article, with its byte span in the text it was cut from.
type sentence struct {
	Text      string
	Paragraph int
	Index     int // position in the article, 0 = headline
	Tokens    []token
}

// token is a word, a number or one punctuation character.
type token struct {
	Text  string // as written
	Norm  string // lower case, ß folded
	Start int    // byte offset in the sentence
	End   int
	Word  bool // letters or digits
	Upper bool // starts with an upper-case letter
}

// germanAbbrevs end with a dot that does not end a sentence.
var abbrevs = map[string]bool{
	"abs": true, "nr": true, "art": true, "z": true, "b": true, "bzw": true, "ca": true, "dr": true,
	"prof": true, "vgl": true, "u": true, "a": true, "d": true, "h": true, "s": true, "st": true,
	"usw": true, "etc": true, "inkl": true, "ggf": true, "evtl": true, "sog": true, "mio": true,
	"mrd": true, "bzgl": true, "zzgl": true, "ff": true, "lt": true, "gem": true, "hrsg": true,
	"mr": true, "mrs": true, "ms": true, "inc": true, "corp": true, "ltd": true, "co": true, "jr": true,
	"sr": true, "vs": true, "no": true, "sec": true, "para": true, "e": true, "i": true, "dt": true,
	"jan": true, "feb": true, "mär": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "okt": true, "oct": true, "nov": true, "dez": true, "dec": true,
	"gen": true, "min": true, "max": true, "tel": true, "str": true, "abg": true, "bspw": true, "v": true,
	"chr": true, "jh": true, "jhd": true, "o": true, "m": true, "rd": true, "mwst": true,
	"us": true, "u.s": true, "e.v": true, "e.g": true, "i.e": true,
}

// splitParagraphs cuts a text at blank lines (or single newlines, for texts without blank lines).
func splitParagraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var parts []string
	if strings.Contains(text, "\n\n") {
		parts = strings.Split(text, "\n\n")
	} else {
		parts = strings.Split(text, "\n")
	}
	out := parts[:0]
	for _, p := range parts {
		p = strings.Join(strings.Fields(p), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitSentences cuts a paragraph into sentences. It keeps German
// abbreviations (z. B., Abs., Nr.), ordinals ("30. Mai"), decimals and
// quotations that end with a period together.
func splitSentences(p string) []string {
	var out []string
	start := 0
	quoteDepth := 0
	for i := 0; i < len(p); {
		r, w := utf8.DecodeRuneInString(p[i:])
		switch r {
		case '„', '“', '»', '«', '”', '"':
			// Track whether we are inside a quotation: „…“ and »…« open and
			// close distinctly; " toggles.
			switch r {
			case '„', '»':
				quoteDepth++
			case '«':
				if quoteDepth > 0 {
					quoteDepth--
				}
			case '“':
				// “ closes a „ quote (German) or opens an English one.
				if quoteDepth > 0 {
					quoteDepth--
				} else {
					quoteDepth++
				}
			case '”':
				if quoteDepth > 0 {
					quoteDepth--
				}
			case '"':
				if quoteDepth > 0 {
					quoteDepth--
				} else {
					quoteDepth++
				}
			}
		case '.', '!', '?':
			end := i + w
			// Swallow further terminators and closing quotes/brackets.
			for end < len(p) {
				r2, w2 := utf8.DecodeRuneInString(p[end:])
				if r2 == '.' || r2 == '!' || r2 == '?' || r2 == '"' || r2 == '“' || r2 == '”' || r2 == '«' || r2 == ')' || r2 == '’' || r2 == '\'' {
					if r2 == '"' || r2 == '“' || r2 == '”' || r2 == '«' {
						if quoteDepth > 0 {
							quoteDepth--
						}
					}
					end += w2
					continue
				}
				break
			}
			if isSentenceEnd(p, i, end, r, quoteDepth) {
				s := strings.TrimSpace(p[start:end])
				if s != "" {
					out = append(out, s)
				}
				start = end
				quoteDepth = 0
			}
			i = end
			continue
		}
		i += w
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func isSentenceEnd(p string, dot, end int, r rune, quoteDepth int) bool {
	if end >= len(p) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(p[end:])
	if !unicode.IsSpace(next) {
		return false // "heise.de", "2.5", "z.B."
	}
	// The next word: a sentence starts with an upper-case letter, a digit or a quote.
	rest := strings.TrimLeft(p[end:], " ")
	nr, _ := utf8.DecodeRuneInString(rest)
	if unicode.IsLower(nr) {
		return false
	}
	if quoteDepth > 0 && r == '.' {
		// Inside an open quotation a period does not end the sentence unless
		// the quote runs on for a long way; most quotes close in the same sentence.
		return false
	}
	if r != '.' {
		return true
	}
	// The word before the dot.
	ws := dot
	for ws > 0 {
		pr, pw := utf8.DecodeLastRuneInString(p[:ws])
		if unicode.IsSpace(pr) || pr == '(' || pr == '„' || pr == '"' {
			break
		}
		ws -= pw
	}
	word := p[ws:dot]
	if word == "" {
		return true
	}
	lw := strings.ToLower(word)
	if abbrevs[lw] || abbrevs[strings.TrimSuffix(lw, ".")] {
		return false
	}
	// Single letters ("A. Merkel"), and ordinals before a month or number ("30. Mai").
	if utf8.RuneCountInString(word) == 1 && unicode.IsLetter([]rune(word)[0]) {
		return false
	}
	if isDigits(word) {
		nextWord := firstWord(rest)
		if months[strings.ToLower(strings.TrimSuffix(nextWord, "."))] || len(word) <= 2 && nr >= '0' && nr <= '9' {
			return false
		}
	}
	return true
}

var months = map[string]bool{
	"januar": true, "februar": true, "märz": true, "april": true, "mai": true, "juni": true, "juli": true,
	"august": true, "september": true, "oktober": true, "november": true, "dezember": true,
	"jan": true, "feb": true, "mär": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "okt": true, "nov": true, "dez": true, "jänner": true,
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func firstWord(s string) string {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i]
	}
	return s
}

// normWord folds case and the German sharp s, so that matching ignores both.
func normWord(s string) string {
	s = strings.ToLower(s)
	if strings.ContainsRune(s, 'ß') {
		s = strings.ReplaceAll(s, "ß", "ss")
	}
	return s
}

// tokenize cuts a sentence into words and punctuation. Hyphens split
// compounds ("BSI-Gesetzes" → BSI - Gesetzes) so that parts match on their own.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/5)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case isWordRune(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					j += w2
					continue
				}
				// Keep apostrophes inside words ("Microsoft's" stays one word
				// only up to the apostrophe), and dots/commas between digits.
				if (r2 == '.' || r2 == ',') && j+w2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+w2:])
					pr, _ := utf8.DecodeLastRuneInString(s[:j])
					if unicode.IsDigit(pr) && unicode.IsDigit(r3) {
						j += w2
						continue
					}
				}
				break
			}
			text := s[i:j]
			fr, _ := utf8.DecodeRuneInString(text)
			toks = append(toks, token{Text: text, Norm: normWord(text), Start: i, End: j, Word: true, Upper: unicode.IsUpper(fr)})
			i = j
		default:
			toks = append(toks, token{Text: s[i : i+w], Norm: s[i : i+w], Start: i, End: i + w})
			i += w
		}
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$' || r == '&'
}

// isAbbreviation tells an all-caps short word (BSI, DHS, CISA), which is
// matched with its case, from ordinary words.
func isAbbreviation(s string) bool {
	n := 0
	letters := 0
	for _, r := range s {
		n++
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters >= 2 && n <= 6
}

package article

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// boilerplatePara matches whole short paragraphs that are page furniture in
// any article: ad labels, read-more and newsletter prompts, share bars.
var boilerplatePara = regexp.MustCompile(`(?i)^(?:` +
	`advertisement|anzeige|don'?t miss|werbung|sponsored|continue reading( below)?|story continues below|article continues below|` +
	`read more|read more:.*|read next|more:|see also:.*|related:.*|related articles?|related stories|related coverage|recommended( for you)?|` +
	`lesen sie (auch|mehr).*|mehr zum thema.*|weiterlesen|zum thema|auch interessant.*|das könnte sie auch interessieren.*|` +
	`thanks for signing up!?|thank you for signing up!?|sorry!?|there was an error processing your subscription\.?|` +
	`keep an eye on your inbox.*|sign up (for|to) (our|the) .*newsletter.*|subscribe to (our|the) .*newsletter.*|get the latest .* in your inbox.*|` +
	`click here .*|(share|teilen)( (this|on) .*)?|share this article|diesen artikel teilen|tweet|e-?mail|print|drucken|` +
	`zur startseite|zurück zur startseite|kommentare|comments|\d+ comments?|leave a (comment|reply)|` +
	`(image|photo|foto|bild|picture)( credit)?s?:.*|© .*|\(c\) .*` +
	`)$`)

// tailMarker matches a short paragraph that opens the material after an
// article: related links, newsletters, comments, author boxes.
var tailMarker = regexp.MustCompile(`(?i)^(?:` +
	`related( articles| stories| coverage| posts| reading| content)?|more (from|on|stories|news|in) .*|recommended( stories| reading| for you)?|you (may|might) also like.*|` +
	`read (more|next)|most (read|popular|viewed)|trending( now)?|top stories|latest( news| stories)?|` +
	`(.{0,30} )?newsletter|sign up .*|subscribe .*|` +
	`comments?|\d+ comments?|leave a (comment|reply)|join the (conversation|discussion)|` +
	`mehr zum thema.*|mehr (aus|zu|von) .*|das könnte sie auch interessieren|auch interessant|weitere (artikel|meldungen|themen).*|` +
	`lesen sie auch|meistgelesen|top-themen|kommentare|zur startseite|über (den|die) autor(in)?|about the author|` +
	`tags?:.*|themen:.*|schlagwörter:.*|topics:.*` +
	`)[:.!]?$`)

// cleanParas removes page furniture from an article's paragraphs: lines
// that are boilerplate wherever they appear, short paragraphs made only of
// links (teaser and promo lines), and the block of teasers, newsletter
// prompts and comments that many pages put after the article.
func cleanParas(ps []para) []para {
	ps = trimTail(ps)
	out := make([]para, 0, len(ps))
	for _, p := range ps {
		words := len(strings.Fields(p.text))
		if words <= 14 && boilerplatePara.MatchString(p.text) {
			continue
		}
		if p.linkShare >= 0.85 && words <= 20 && (!endsSentence(p.text) || isUpperText(p.text)) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// trimTail cuts the article at a tail marker in its second half, then drops
// a trailing run of teaser lines (short, without sentence ends, or links).
func trimTail(ps []para) []para {
	if len(ps) < 3 {
		return ps
	}
	total := 0
	for _, p := range ps {
		total += utf8.RuneCountInString(p.text)
	}
	seen := 0
	for i, p := range ps {
		if i >= 2 && seen >= total/2 && len(strings.Fields(p.text)) <= 6 && tailMarker.MatchString(p.text) {
			ps = ps[:i]
			break
		}
		seen += utf8.RuneCountInString(p.text)
	}
	// A trailing block of teasers: walk back over short paragraphs.
	start, teasers, blockLen := len(ps), 0, 0
	for i := len(ps) - 1; i > 0; i-- {
		p := ps[i]
		w := len(strings.Fields(p.text))
		if w > 30 || (w > 12 && !isTeaserLine(p)) {
			break
		}
		start = i
		blockLen += utf8.RuneCountInString(p.text)
		if isTeaserLine(p) {
			teasers++
		}
	}
	n := len(ps) - start
	if n >= 4 && teasers >= 3 && teasers*2 >= n && blockLen*10 <= total*4 {
		ps = ps[:start]
	}
	return ps
}

// isTeaserLine reports whether a short paragraph looks like a teaser
// headline or a promo link rather than a sentence of the article.
func isTeaserLine(p para) bool {
	return p.linkShare >= 0.6
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \"'”“»«’)")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;…", r)
}

// isUpperText reports whether a text's letters are (nearly) all capitals,
// the style of promo links ("CLICK HERE TO GET THE APP").
func isUpperText(s string) bool {
	up, low := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			low++
		}
	}
	return up >= 8 && low*10 <= up
}

// textParas splits plain text with blank-line paragraph breaks into paras
// (no link information).
func textParas(s string) []para {
	var out []para
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, para{text: p})
		}
	}
	return out
}

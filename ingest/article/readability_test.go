package article

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShingleCover(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"one two three four five", "One, two; three four five six", 1},
		{"one two three four five", "one two three four", 0.5},
		{"one two three four", "five six seven eight", 0},
		{"short text", "a short text here", 0}, // fewer than four words: one key of the whole text
		{"short text", "short text", 1},
		{"", "anything at all here", 0},
	} {
		if got := shingleCover(tc.a, tc.b); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("shingleCover(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestPreferReadable(t *testing.T) {
	article := strings.Repeat("Attackers exploited a flaw in the file transfer software to steal data from hundreds of organisations. ", 6)
	second := strings.Repeat("Regulators later asked the vendor how the flaw had gone unnoticed for two years before the attack. ", 8)
	dek := "The breach hit hundreds of firms worldwide; the vendor has released a patch"
	caption := "A photo of the data centre, supplied by the company."
	other := strings.Repeat("A completely different story about football results and the weather at the weekend in the north. ", 6)
	for _, tc := range []struct {
		name                string
		extracted, readable string
		want                bool
	}{
		{"same text", article, article, false},
		{"readability adds a second body block", article, article + "\n\n" + second, true},
		{"readability adds a caption only", article, caption + "\n\n" + article, false},
		{"readability drops a dek trafilatura kept", dek + "\n\n" + article, article, true},
		{"readability drops little", article + "\n\n" + second + "\n\n" + caption, article + "\n\n" + second, false},
		{"readability text is another story, longer", article, other + other + other, false},
		{"readability text is another story, shorter", article + article, other, false},
		{"nothing from trafilatura", "", article, true},
		{"nothing from trafilatura, readability a fragment", "", "Home News Sport", false},
		{"nothing from readability", article, "", false},
		{"readability found only the blog's description", article + "\n\n" + second + "\n\n" + dek, dek, false},
	} {
		if got := preferReadable(tc.extracted, tc.readable); got != tc.want {
			t.Errorf("%s: preferReadable = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestReadabilityRepairsBrokenMarkup pins a page whose unclosed tags make
// trafilatura repeat the closing paragraph; the readability pass, whose
// text is the same minus the repeat, is preferred.
func TestReadabilityRepairsBrokenMarkup(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "broken-nis2.html"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseHTML(context.Background(), bytes.NewReader(b), Options{URL: "https://magazin.example/it/nis2-frist"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(a.Text, "Fachleute raten Unternehmen"); n != 1 {
		t.Errorf("closing paragraph appears %d times, want once:\n%s", n, a.Text)
	}
}

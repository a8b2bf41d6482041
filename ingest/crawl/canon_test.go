package crawl

import "testing"

func TestCleanURLAndKey(t *testing.T) {
	tests := []struct {
		in, clean, key string
	}{
		{"https://www.heise.de/news/Artikel-123.html?wt_mc=rss.red.security.beitrag.atom&utm_source=x#comments",
			"https://www.heise.de/news/Artikel-123.html", "heise.de/news/Artikel-123.html"},
		{"HTTP://Example.ORG:80/a/?b=2&a=1&fbclid=zz", "http://example.org/a/?b=2&a=1", "example.org/a?a=1&b=2"},
		{"https://example.org", "https://example.org/", "example.org"},
		{"https://example.org:8443/x?at_medium=social&id=7", "https://example.org:8443/x?id=7", "example.org:8443/x?id=7"},
		{"https://therecord.media/story?utm_campaign=a&utm_medium=b&gclid=c&mc_cid=d", "https://therecord.media/story", "therecord.media/story"},
	}
	for _, tt := range tests {
		c, err := CleanURL(tt.in)
		if err != nil || c != tt.clean {
			t.Errorf("CleanURL(%q) = %q, %v; want %q", tt.in, c, err, tt.clean)
		}
		if k := Key(tt.in); k != tt.key {
			t.Errorf("Key(%q) = %q, want %q", tt.in, k, tt.key)
		}
	}
	// http/https and www/non-www fold to one key.
	if Key("http://www.golem.de/news/a.html") != Key("https://golem.de/news/a.html/") {
		t.Error("http/https, www and trailing slash do not fold")
	}
	for _, bad := range []string{"ftp://example.org/x", "mailto:a@b.c", "/relative", "https://"} {
		if _, err := CleanURL(bad); err == nil {
			t.Errorf("CleanURL(%q) accepted", bad)
		}
	}
}

package crawl

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that say how a reader arrived, not
// which page they read. Names ending in "*" are prefixes.
var trackingParams = []string{
	"utm_*", "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid",
	"mc_cid", "mc_eid", "_ga", "_gl", "wt_mc", "wt_zmc", "wt.mc_id", "at_*", "ns_*", "cmpid",
	"xtor", "ito", "s_cid", "icid", "ocid", "spm", "mkt_tok", "_hsenc", "_hsmi", "oly_enc_id", "oly_anon_id",
	"vero_id", "rb_clickid", "ref_src", "ref_url", "feature", "share", "from",
}

func isTracking(name string) bool {
	n := strings.ToLower(name)
	for _, p := range trackingParams {
		if strings.HasSuffix(p, "*") {
			if strings.HasPrefix(n, p[:len(p)-1]) {
				return true
			}
		} else if n == p {
			return true
		}
	}
	return false
}

// CleanURL is the address crawl fetches and stores: absolute http(s), scheme
// and host lower-cased, default port, fragment and tracking parameters
// dropped, the remaining parameters in their original order.
func CleanURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("crawl: url %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("crawl: url %q: only http and https are crawled", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("crawl: url %q has no host", raw)
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		kept := parts[:0]
		for _, p := range parts {
			name, _, _ := strings.Cut(p, "=")
			if dn, err := url.QueryUnescape(name); err == nil {
				name = dn
			}
			if p != "" && !isTracking(name) {
				kept = append(kept, p)
			}
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// Key is the duplicate key of an address: CleanURL with http and https
// folded, a leading "www." dropped, a trailing slash trimmed and the query
// parameters sorted, so that the same article reached by any of those
// variants is one article. An address that cannot be cleaned is its own key.
func Key(raw string) string {
	c, err := CleanURL(raw)
	if err != nil {
		return strings.TrimSpace(raw)
	}
	u, _ := url.Parse(c)
	host := strings.TrimPrefix(u.Host, "www.")
	path := strings.TrimRight(u.EscapedPath(), "/")
	q := ""
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		sort.Strings(parts)
		q = "?" + strings.Join(parts, "&")
	}
	return host + path + q
}

package article

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"

	"github.com/newsgraph/newsgraph/data"
)

// SiteRule holds the selectors for one site. Each field lists selectors in
// the order they are tried.
type SiteRule struct {
	Host   string
	Body   []Selector // the element(s) holding the article text
	Remove []Selector // elements dropped before any text is taken
	Title  []Selector
	Byline []Selector
	Date   []Selector
}

// Selector is a compiled CSS selector with its source text.
type Selector struct {
	Text    string
	matcher cascadia.Selector
}

// SiteRules maps host names to their rules. The zero value and nil hold no
// rules; Options with nil Rules use BuiltinSiteRules.
type SiteRules struct {
	byHost map[string]*SiteRule
}

// ruleFields are the field names a rules file may use.
var ruleFields = map[string]bool{"body": true, "remove": true, "title": true, "byline": true, "date": true}

// ParseSiteRules reads rules in the TSV format of data/sites/rules.tsv:
// host, field, selector, tab-separated, one a line; # starts a comment.
// name is used in error messages only.
func ParseSiteRules(r io.Reader, name string) (*SiteRules, error) {
	rules := &SiteRules{byHost: map[string]*SiteRule{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.SplitN(sc.Text(), "\t", 3)
		if len(cols) != 3 {
			return nil, fmt.Errorf("article: site rules %s:%d: want host<TAB>field<TAB>selector", name, line)
		}
		host := normHost(cols[0])
		field := strings.ToLower(strings.TrimSpace(cols[1]))
		sel := strings.TrimSpace(cols[2])
		if host == "" || !ruleFields[field] || sel == "" {
			return nil, fmt.Errorf("article: site rules %s:%d: bad host %q or field %q", name, line, cols[0], cols[1])
		}
		m, err := cascadia.Compile(sel)
		if err != nil {
			return nil, fmt.Errorf("article: site rules %s:%d: selector %q: %w", name, line, sel, err)
		}
		rule := rules.byHost[host]
		if rule == nil {
			rule = &SiteRule{Host: host}
			rules.byHost[host] = rule
		}
		s := Selector{Text: sel, matcher: m}
		switch field {
		case "body":
			rule.Body = append(rule.Body, s)
		case "remove":
			rule.Remove = append(rule.Remove, s)
		case "title":
			rule.Title = append(rule.Title, s)
		case "byline":
			rule.Byline = append(rule.Byline, s)
		case "date":
			rule.Date = append(rule.Date, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("article: site rules %s: %w", name, err)
	}
	return rules, nil
}

// LoadSiteRules reads every *.tsv file in dir of fsys, in name order; a later
// file's rules for a host and field replace an earlier file's. A missing dir
// gives empty rules, not an error, so that a user folder may be absent.
func LoadSiteRules(fsys fs.FS, dir string) (*SiteRules, error) {
	if dir == "" {
		dir = "."
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &SiteRules{byHost: map[string]*SiteRule{}}, nil
		}
		return nil, fmt.Errorf("article: site rules %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".tsv") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	out := &SiteRules{byHost: map[string]*SiteRule{}}
	for _, n := range names {
		f, err := fsys.Open(path.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("article: site rules: %w", err)
		}
		r, err := ParseSiteRules(f, n)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = out.Merge(r)
	}
	return out, nil
}

// Merge returns rules holding s's rules with over's laid on top: for each
// host, a field over gives replaces that field of s. Neither input changes.
func (s *SiteRules) Merge(over *SiteRules) *SiteRules {
	out := &SiteRules{byHost: map[string]*SiteRule{}}
	for _, src := range []*SiteRules{s, over} {
		if src == nil {
			continue
		}
		for h, r := range src.byHost {
			cur := out.byHost[h]
			if cur == nil {
				c := *r
				out.byHost[h] = &c
				continue
			}
			c := *cur
			if len(r.Body) > 0 {
				c.Body = r.Body
			}
			if len(r.Remove) > 0 {
				c.Remove = r.Remove
			}
			if len(r.Title) > 0 {
				c.Title = r.Title
			}
			if len(r.Byline) > 0 {
				c.Byline = r.Byline
			}
			if len(r.Date) > 0 {
				c.Date = r.Date
			}
			out.byHost[h] = &c
		}
	}
	return out
}

// Hosts lists the hosts that have rules, sorted.
func (s *SiteRules) Hosts() []string {
	if s == nil {
		return nil
	}
	out := make([]string, 0, len(s.byHost))
	for h := range s.byHost {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// For returns the rule for a host or URL: the longest rule host that equals
// it or is a parent domain of it ("m.heise.de" → "heise.de"); nil if none.
func (s *SiteRules) For(hostOrURL string) *SiteRule {
	if s == nil || len(s.byHost) == 0 {
		return nil
	}
	h := hostOrURL
	if strings.Contains(h, "/") {
		h = hostName(h)
	}
	h = normHost(h)
	for h != "" {
		if r := s.byHost[h]; r != nil {
			return r
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
		if !strings.Contains(h, ".") {
			break // never match a bare top-level domain
		}
	}
	return nil
}

func normHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimSuffix(h, ".")
	return strings.TrimPrefix(h, "www.")
}

var (
	builtinOnce  sync.Once
	builtinRules *SiteRules
	builtinErr   error
)

// BuiltinSiteRules returns the rules embedded from data/sites. It panics
// only if the embedded file is malformed, which the package tests rule out.
func BuiltinSiteRules() *SiteRules {
	builtinOnce.Do(func() {
		builtinRules, builtinErr = LoadSiteRules(data.Sites(), ".")
	})
	if builtinErr != nil {
		panic(builtinErr)
	}
	return builtinRules
}

package extract

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Entry is one gazetteer line: a known entity with its names and attributes.
type Entry struct {
	ID       string
	Type     model.EntityType
	Name     string
	Aliases  []string
	Wikidata string
	Attrs    map[string]string // part_of, made_by, cite, section, country, …
	Source   string            // file:line, for error messages
}

// Gazetteer is the set of known entities, with user additions merged in.
type Gazetteer struct {
	entries    map[string]*Entry
	order      []string
	stop       map[string]bool // normalised phrases that are never entities
	givenNames map[string]bool // given names that start a person's name
}

// Lists are the word lists that come with a gazetteer.
type Lists struct {
	Stop       []string // phrases that are never entities (stoplist*.txt)
	GivenNames []string // given names (given-names*.txt)
}

// Add appends another set of lists.
func (l *Lists) Add(o Lists) {
	l.Stop = append(l.Stop, o.Stop...)
	l.GivenNames = append(l.GivenNames, o.GivenNames...)
}

var idPattern = regexp.MustCompile(`^[a-z_]+:[a-z0-9][a-z0-9.-]*$`)

// ParseGazetteer reads one TSV gazetteer file (format: data/gazetteer/README.md).
func ParseGazetteer(r io.Reader, name string) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		raw := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(strings.TrimSpace(raw), "#") {
			continue
		}
		cols := strings.Split(raw, "\t")
		where := fmt.Sprintf("%s:%d", name, line)
		if len(cols) < 3 {
			return nil, fmt.Errorf("gazetteer %s: want at least 3 tab-separated columns (id, type, name), got %d", where, len(cols))
		}
		for len(cols) < 6 {
			cols = append(cols, "")
		}
		e := Entry{ID: strings.TrimSpace(cols[0]), Type: model.EntityType(strings.TrimSpace(cols[1])),
			Name: strings.TrimSpace(cols[2]), Wikidata: strings.TrimSpace(cols[4]), Source: where}
		if !idPattern.MatchString(e.ID) {
			return nil, fmt.Errorf("gazetteer %s: id %q is not TYPE:slug in lower case", where, e.ID)
		}
		if !e.Type.Valid() {
			return nil, fmt.Errorf("gazetteer %s: unknown type %q", where, e.Type)
		}
		if model.TypeOfID(e.ID) != e.Type {
			return nil, fmt.Errorf("gazetteer %s: id %q does not start with its type %q", where, e.ID, e.Type)
		}
		if e.Name == "" {
			return nil, fmt.Errorf("gazetteer %s: empty name", where)
		}
		for _, a := range strings.Split(cols[3], "|") {
			if a = strings.TrimSpace(a); a != "" && a != e.Name {
				e.Aliases = append(e.Aliases, a)
			}
		}
		if attrs := strings.TrimSpace(cols[5]); attrs != "" {
			e.Attrs = map[string]string{}
			for _, kv := range strings.Split(attrs, ";") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return nil, fmt.Errorf("gazetteer %s: attribute %q is not key=value", where, kv)
				}
				e.Attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gazetteer %s: %w", name, err)
	}
	return out, nil
}

// ParseList reads a word list: one phrase a line, # comments.
func ParseList(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// NewGazetteer builds a gazetteer from entries; a later entry with an id
// already seen adds its aliases and overrides its name, type-preserving
// (so that user files extend the built-in list).
func NewGazetteer(entries []Entry, lists Lists) *Gazetteer {
	g := &Gazetteer{entries: map[string]*Entry{}, stop: map[string]bool{}, givenNames: map[string]bool{}}
	for _, e := range entries {
		g.add(e)
	}
	for _, s := range lists.Stop {
		g.stop[normPhrase(s)] = true
	}
	for _, n := range lists.GivenNames {
		g.givenNames[n] = true
	}
	return g
}

func (g *Gazetteer) add(e Entry) {
	if old, ok := g.entries[e.ID]; ok {
		if e.Name != "" && e.Name != old.Name {
			old.Aliases = append(old.Aliases, old.Name)
			old.Name = e.Name
		}
		old.Aliases = appendUnique(old.Aliases, e.Aliases...)
		if e.Wikidata != "" {
			old.Wikidata = e.Wikidata
		}
		for k, v := range e.Attrs {
			if old.Attrs == nil {
				old.Attrs = map[string]string{}
			}
			old.Attrs[k] = v
		}
		return
	}
	c := e
	c.Aliases = append([]string(nil), e.Aliases...)
	g.entries[e.ID] = &c
	g.order = append(g.order, e.ID)
}

// LoadGazetteer reads every *.tsv file of a folder in fsys, and its word
// lists: stoplist*.txt and given-names*.txt.
func LoadGazetteer(fsys fs.FS, dir string) ([]Entry, Lists, error) {
	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, Lists{}, fmt.Errorf("gazetteer: %w", err)
	}
	var entries []Entry
	var lists Lists
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, f.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		p := path.Join(dir, n)
		switch {
		case strings.HasSuffix(n, ".tsv"):
			f, err := fsys.Open(p)
			if err != nil {
				return nil, Lists{}, fmt.Errorf("gazetteer: %w", err)
			}
			es, err := ParseGazetteer(f, p)
			f.Close()
			if err != nil {
				return nil, Lists{}, err
			}
			entries = append(entries, es...)
		case strings.HasSuffix(n, ".txt") && (strings.HasPrefix(n, "stoplist") || strings.HasPrefix(n, "given-names")):
			f, err := fsys.Open(p)
			if err != nil {
				return nil, Lists{}, fmt.Errorf("gazetteer: %w", err)
			}
			words, err := ParseList(f)
			f.Close()
			if err != nil {
				return nil, Lists{}, fmt.Errorf("gazetteer %s: %w", p, err)
			}
			if strings.HasPrefix(n, "stoplist") {
				lists.Stop = append(lists.Stop, words...)
			} else {
				lists.GivenNames = append(lists.GivenNames, words...)
			}
		}
	}
	return entries, lists, nil
}

// Len is the number of entities.
func (g *Gazetteer) Len() int { return len(g.entries) }

// Lookup returns the entry with an id.
func (g *Gazetteer) Lookup(id string) (*Entry, bool) {
	e, ok := g.entries[id]
	return e, ok
}

// Stopped reports whether a phrase is on the false-positive list.
func (g *Gazetteer) Stopped(phrase string) bool { return g.stop[normPhrase(phrase)] }

func normPhrase(s string) string {
	toks := tokenize(s)
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		parts = append(parts, t.Norm)
	}
	return strings.Join(parts, " ")
}

func appendUnique(list []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, l := range list {
			if strings.EqualFold(l, a) {
				found = true
				break
			}
		}
		if !found {
			list = append(list, a)
		}
	}
	return list
}

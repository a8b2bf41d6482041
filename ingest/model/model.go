package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// EntityType is one of the schema's entity types.
type EntityType string

// The schema's entity types.
const (
	Agency        EntityType = "agency"
	Vendor        EntityType = "vendor"
	Incident      EntityType = "incident"
	Law           EntityType = "law"
	ThreatActor   EntityType = "threat_actor"
	Vulnerability EntityType = "vulnerability"
	Product       EntityType = "product"
	Person        EntityType = "person"
	Outlet        EntityType = "outlet"
	Organization  EntityType = "organization"
)

// EntityTypes lists every entity type in a stable order.
var EntityTypes = []EntityType{Agency, Vendor, Incident, Law, ThreatActor, Vulnerability, Product, Person, Outlet, Organization}

// Valid reports whether t is a schema entity type.
func (t EntityType) Valid() bool {
	for _, k := range EntityTypes {
		if k == t {
			return true
		}
	}
	return false
}

// Predicate names a relation between two entities (subject → object).
type Predicate string

// The schema's predicates.
const (
	Sues           Predicate = "sues"
	Fines          Predicate = "fines"
	Investigates   Predicate = "investigates"
	Criticizes     Predicate = "criticizes"
	WarnsAbout     Predicate = "warns_about"
	Sanctions      Predicate = "sanctions"
	AffectedBy     Predicate = "affected_by"
	AttributedTo   Predicate = "attributed_to"
	Exploits       Predicate = "exploits"
	Invokes        Predicate = "invokes"
	PartOf         Predicate = "part_of"
	Established    Predicate = "established"
	MadeBy         Predicate = "made_by"
	AgreesWith     Predicate = "agrees_with"
	CooperatesWith Predicate = "cooperates_with"
)

// Predicates lists every schema predicate in a stable order.
var Predicates = []Predicate{Sues, Fines, Investigates, Criticizes, WarnsAbout, Sanctions, AffectedBy,
	AttributedTo, Exploits, Invokes, PartOf, Established, MadeBy, AgreesWith, CooperatesWith}

// Valid reports whether p is a schema predicate.
func (p Predicate) Valid() bool {
	for _, k := range Predicates {
		if k == p {
			return true
		}
	}
	return false
}

// Article is one news article: its metadata and its main text.
type Article struct {
	URL         string    // canonical URL, if known
	Title       string    // headline
	Description string    // teaser or meta description
	Byline      string    // author(s)
	Published   time.Time // zero when the page gives no date
	Modified    time.Time // zero when the page gives no date
	Language    string    // ISO 639-1 code, e.g. "de" or "en"
	Site        string    // the outlet's name, e.g. "heise online"
	Text        string    // main text, paragraphs separated by blank lines
	// DuplicateOf is the id of an article this one nearly repeats (agency
	// copy reprinted, small edits); its facts are not counted again.
	DuplicateOf string
}

// articleJSON is the wire form of Article: dates as RFC 3339 strings, empty when unknown.
type articleJSON struct {
	URL         string `json:"url"`
	Title       string `json:"title"`
	Byline      string `json:"byline"`
	Published   string `json:"published"`
	Modified    string `json:"modified,omitempty"`
	Language    string `json:"language"`
	Site        string `json:"site"`
	Description string `json:"description,omitempty"`
	Text        string `json:"text"`
	ID          string `json:"id"`
	ContentHash string `json:"content_hash"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

// MarshalJSON writes the schema's article object.
func (a Article) MarshalJSON() ([]byte, error) {
	return json.Marshal(articleJSON{
		URL: a.URL, Title: a.Title, Byline: a.Byline,
		Published: formatTime(a.Published), Modified: formatTime(a.Modified),
		Language: a.Language, Site: a.Site, Description: a.Description, Text: a.Text,
		ID: a.ID(), ContentHash: a.ContentHash(), DuplicateOf: a.DuplicateOf,
	})
}

// UnmarshalJSON reads the schema's article object.
func (a *Article) UnmarshalJSON(b []byte) error {
	var w articleJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	pub, err := parseTime(w.Published)
	if err != nil {
		return fmt.Errorf("article published: %w", err)
	}
	mod, err := parseTime(w.Modified)
	if err != nil {
		return fmt.Errorf("article modified: %w", err)
	}
	*a = Article{URL: w.URL, Title: w.Title, Description: w.Description, Byline: w.Byline,
		Published: pub, Modified: mod, Language: w.Language, Site: w.Site, Text: w.Text, DuplicateOf: w.DuplicateOf}
	return nil
}

// ContentHash identifies the article's content: its title and text with
// white space folded, so that the same article saved twice hashes alike.
func (a Article) ContentHash() string {
	h := sha256.New()
	writeFolded(h, a.Title)
	h.Write([]byte{0})
	writeFolded(h, a.Text)
	return hex.EncodeToString(h.Sum(nil))
}

// writeFolded writes s with runs of white space folded to one space and
// trimmed at both ends, without building the folded string.
func writeFolded(w io.Writer, s string) {
	var buf [4096]byte
	n := 0
	space := false
	started := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			if n == len(buf) {
				w.Write(buf[:n])
				n = 0
			}
			buf[n] = ' '
			n++
			space = false
		}
		started = true
		if n+utf8.UTFMax > len(buf) {
			w.Write(buf[:n])
			n = 0
		}
		n += utf8.EncodeRune(buf[n:], r)
	}
	w.Write(buf[:n])
}

// ID is the article's stable id: derived from its canonical URL when it has
// one, else from its content.
func (a Article) ID() string {
	key := a.URL
	if key == "" {
		key = "content:" + a.ContentHash()
	}
	sum := sha256.Sum256([]byte(key))
	return "article:" + hex.EncodeToString(sum[:8])
}

// Entity is a typed real-world thing, with one canonical id and name and
// every alias it was seen under.
type Entity struct {
	ID       string     `json:"id"`
	Type     EntityType `json:"type"`
	Name     string     `json:"name"`
	Aliases  []string   `json:"aliases"`
	Wikidata string     `json:"wikidata,omitempty"`
	Mentions int        `json:"mentions"`
}

// Relation is a typed edge between two entities, read from one sentence.
type Relation struct {
	Subject    string    `json:"subject"`
	Predicate  Predicate `json:"predicate"`
	Object     string    `json:"object"`
	Evidence   string    `json:"evidence"`
	Confidence float64   `json:"confidence"`
}

// Statement is a quotation or reported claim with its speaker.
type Statement struct {
	Speaker  string   `json:"speaker"` // entity id; empty when unknown
	Text     string   `json:"text"`
	About    []string `json:"about"`
	Evidence string   `json:"evidence"`
}

// ID is the statement's id, stable for the same words by the same speaker in the same article.
func (s Statement) ID(articleID string) string {
	sum := sha256.Sum256([]byte(articleID + "\x00" + s.Speaker + "\x00" + s.Text))
	return "statement:" + hex.EncodeToString(sum[:8])
}

// Document is everything read from one article: the `extract --json` object.
type Document struct {
	Article    Article     `json:"article"`
	Entities   []Entity    `json:"entities"`
	Relations  []Relation  `json:"relations"`
	Statements []Statement `json:"statements"`
}

// Entity returns the document's entity with the given id.
func (d *Document) Entity(id string) (Entity, bool) {
	for _, e := range d.Entities {
		if e.ID == id {
			return e, true
		}
	}
	return Entity{}, false
}

// TypeOfID returns the entity type encoded in an entity id ("agency:bsi" → agency).
func TypeOfID(id string) EntityType {
	t, _, ok := strings.Cut(id, ":")
	if !ok {
		return ""
	}
	return EntityType(t)
}

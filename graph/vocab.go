package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/cayleygraph/quad"
)

// Predicate IRIs of the graph. Schema relation predicates ("sues", "part_of" …)
// are written as IRIs of the same form, built by relationIRI.
var (
	predType        = quad.IRI("type")
	predName        = quad.IRI("name")
	predAlias       = quad.IRI("alias")
	predWikidata    = quad.IRI("wikidata")
	predLookup      = quad.IRI("lookup")
	predURL         = quad.IRI("url")
	predTitle       = quad.IRI("title")
	predPublished   = quad.IRI("published")
	predSite        = quad.IRI("site")
	predLanguage    = quad.IRI("language")
	predByline      = quad.IRI("byline")
	predContentHash = quad.IRI("content_hash")
	predMentions    = quad.IRI("mentions")
	predSpeaker     = quad.IRI("speaker")
	predText        = quad.IRI("text")
	predAbout       = quad.IRI("about")
	predArticle     = quad.IRI("article")
	predSubject     = quad.IRI("subject")
	predPredicate   = quad.IRI("predicate")
	predObject      = quad.IRI("object")
	predSentence    = quad.IRI("sentence")
	predConfidence  = quad.IRI("confidence")
	predDuplicateOf = quad.IRI("duplicate_of")

	// schemaNode records which entity types and relation predicates occur in
	// the graph, so Stats and profiles can enumerate them without scanning.
	schemaNode       = quad.IRI("newsgraph:schema")
	predEntityType   = quad.IRI("entity_type")
	predRelationPred = quad.IRI("relation")
)

// Values of <type> for the non-entity nodes.
const (
	typeArticle   = "article"
	typeStatement = "statement"
	typeEvidence  = "evidence"
)

func relationIRI(predicate string) quad.IRI { return quad.IRI(predicate) }

func entityIRI(id string) quad.IRI { return quad.IRI(id) }

func articleIRI(id string) quad.IRI { return quad.IRI(id) }

// evidenceID names the evidence node of one relation read from one sentence
// of one article; the same reading in a re-ingested article gets the same id.
func evidenceID(articleID, subject, predicate, object, sentence string) string {
	h := sha256.New()
	for _, s := range []string{articleID, subject, predicate, object, sentence} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "evidence:" + hex.EncodeToString(h.Sum(nil)[:8])
}

// lookupKey folds a name for case-insensitive resolution.
func lookupKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// iriString returns the bare string of an IRI value, or "" for other values.
func iriString(v quad.Value) string {
	if iri, ok := v.(quad.IRI); ok {
		return string(iri)
	}
	return ""
}

// plainString returns the text of a string-like value.
func plainString(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.IRI:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	case nil:
		return ""
	}
	return v.String()
}

// Package graph stores newsgraph's knowledge graph in Cayley and answers
// questions about it: who is this entity, what relates to it, which
// sentences support a relation, and arbitrary Gizmo queries. It takes the
// model.Document values that ingest produces and never imports search.
//
// # Graph design
//
// Nodes are IRIs: entities use their model id (<agency:bsi>), articles
// model.Article.ID() (<article:…>), statements model.Statement.ID
// (<statement:…>), and relation readings an evidence id, a hash of article
// id, subject, predicate, object and sentence (<evidence:…>). Predicates are
// short IRIs: <type> <name> <alias> <wikidata> <lookup> for entities;
// <url> <title> <published> <site> <language> <byline> <content_hash>
// <mentions> for articles (<published> is a typed xsd:dateTime in UTC);
// <speaker> <text> <about> <sentence> <article> for statements;
// <subject> <predicate> <object> <sentence> <confidence> <article> for
// evidence; and every relation predicate of the schema as itself (<sues>,
// <part_of> …) for the direct entity→entity edge.
//
// Provenance is the quad label. Every quad read from an article carries the
// article IRI as its label: its metadata, its <mentions> edges, its
// statement and evidence nodes, and one direct edge
// <subject> <predicate> <object> <article:…> per article that supports a
// relation. Entity descriptions (<type>, <name>, <alias>, <wikidata> and the
// lower-cased <lookup> keys used by Resolve) are global facts with no label,
// written once: repeating them under each article's label made hub lookups
// ten times slower in a prototype. The first name stored for an id stays
// canonical; other names become aliases. The node <newsgraph:schema>
// records the entity types (<entity_type>) and relation predicates
// (<relation>) in use, so that counts and profiles can enumerate them.
// <newsgraph:stats> holds the counts behind Stats (see below).
//
// Relations exist twice: the direct edge, for fast traversal and Gizmo
// queries, and an evidence node with the sentence, the confidence and the
// article, for `why`.
//
// # Replacing articles
//
// Put replaces an article's facts as a whole: it collects the stored quads
// labelled with the article (through the article node, its <article>
// in-edges and the direct edges its evidence describes; Cayley's kv
// backends index no label) and the quads of any other article with the same
// <content_hash>, then writes only the difference between old and new
// facts. Re-ingesting the same documents therefore writes nothing. Deletions
// and additions go in two ApplyDeltas calls, because Cayley's kv store loses
// the subject or label of quads added in the same call that removes more
// quads of that node than it adds. Entities that no quad points to any more
// lose their global facts.
//
// A Put checks its context before writing; once deletions have started it
// writes to the end, so that no article is left half replaced.
//
// # Hubs and performance
//
// An entity such as the BSI may be mentioned by 100,000 articles. Profiles
// walk each set of edges through one node (mentions, and each relation
// predicate out and in) up to Options.HubLimit edges and report Truncated;
// nothing walks two hops through a hub without that bound (the second hop,
// an article's date, is one lookup per walked edge). Relations are grouped
// by predicate, direction and partner, counted from node references alone,
// and only the Options.MaxRelations best supported per predicate and
// direction are named and given their latest article.
//
// With per-entity aggregates (see aggregate.go) none of this walks at all:
// every write keeps, per entity, one quad with its article count and first
// and last dates and one with its relations grouped by predicate,
// direction and partner (count and latest article), updated from the
// difference between old and new article facts. Profiles, Related, Resolve
// and the path search read those; a write recomputes a value from the graph
// only when the article holding its first, last or latest date goes away.
// Stores written before aggregates existed fall back to the bounded walks
// until RebuildAggregates. On a synthetic graph of 100,000 articles a hub
// profile takes a few milliseconds instead of seconds.
//
// # Research verbs and exports
//
// Related, Paths (bidirectional breadth-first search over the aggregates,
// each hop with its latest sentence), Timeline, Statements, Evidence (Why)
// and Cooccur answer researchers' questions; ExportNQuads, ExportJSONLD,
// ExportGraphML, ExportCSV (neo4j-admin) and ExportSTIX write whole articles
// of a selection (ExportOptions: since a date, or the neighbourhood of an
// entity), and Import reads N-Quads back with Put's replace semantics,
// recomputing counters and aggregates.
//
// Stats reads counts that every write keeps up to date from the exact
// differences it applies, in one global quad
// <newsgraph:stats> <counters> "{json}". A write deletes the old counters
// quad first and adds the new one last, so a write that fails half-way
// leaves no counters rather than wrong ones; Stats then recounts by
// scanning the type index and every entity's out-edges (linear in the
// graph), and the next write stores the counts again.
//
// On kv backends lookups use index prefixes directly ((subject, predicate)
// and (object, predicate)), because Cayley's optimiser only uses a full
// index key. Writes go in transactions of up to 50,000 quads; callers
// should pass many documents (hundreds to thousands) per Put.
//
// # Backends
//
// Open maps address schemes to backends in one table: "bbolt:///abs/dir"
// (Cayley's kv store on bbolt, file DIR/indexes.bolt, opened with a lock
// timeout that yields ErrLocked, and without Cayley's Bloom filters, whose
// construction scans the whole store on every open) and "memstore://" (in
// memory, for tests).
package graph

// Package extract reads entities, relations and statements out of an
// article's text. Entities come from a curated gazetteer (see
// data/gazetteer/README.md) matched over tokens with German inflection
// folded, and from patterns for CVE ids, law citations ("§ 7a BSIG",
// "Paragraf 7a des BSI-Gesetzes", "Art. 23 NIS2") and threat-actor names;
// each resolves to one stable, typed id. Relations are read sentence by
// sentence from trigger words in German and English, with subject and object
// chosen by their position and the prepositions that mark them; statements
// are quotations attributed through speech verbs. Precision comes first: a
// wrong edge costs a researcher more than a missing one.
package extract

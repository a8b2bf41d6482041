package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsgraph/newsgraph/ingest/model"
)

// Put indexes documents: one article document each and one document per
// statement, replacing what an earlier Put stored for the same articles
// (statements the article no longer has are deleted). Documents are written in
// batches of Options.BatchSize; ctx is checked between batches, and batches
// already written stay written.
func (ix *Index) Put(ctx context.Context, docs []model.Document) error {
	if err := ix.acquire(); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	defer ix.mu.RUnlock()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	docs = lastPerArticle(docs)
	for start := 0; start < len(docs); {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("put: %w", err)
		}
		end, n := start, 0
		for end < len(docs) {
			size := 1 + len(docs[end].Statements)
			if n > 0 && n+size > ix.batchSize {
				break
			}
			n += size
			end++
		}
		if err := ix.putChunk(ctx, docs[start:end]); err != nil {
			return fmt.Errorf("put: %w", err)
		}
		ix.log.Debug("search batch written", "articles", end-start, "documents", n)
		start = end
	}
	return nil
}

// lastPerArticle drops all but the last of several documents for the same
// article, so that the last one wins as it would with separate Puts.
func lastPerArticle(docs []model.Document) []model.Document {
	last := make(map[string]int, len(docs))
	for i, d := range docs {
		last[d.Article.ID()] = i
	}
	if len(last) == len(docs) {
		return docs
	}
	out := make([]model.Document, 0, len(last))
	for i, d := range docs {
		if last[d.Article.ID()] == i {
			out = append(out, d)
		}
	}
	return out
}

func (ix *Index) putChunk(ctx context.Context, docs []model.Document) error {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.Article.ID()
	}
	old, err := ix.statementIDs(ctx, ids)
	if err != nil {
		return err
	}
	b := ix.idx.NewBatch()
	for i, d := range docs {
		aid := ids[i]
		if err := b.Index(aid, articleFields(d)); err != nil {
			return fmt.Errorf("index article %s: %w", aid, err)
		}
		for _, s := range d.Statements {
			if strings.TrimSpace(s.Text) == "" {
				continue
			}
			sid := s.ID(aid)
			delete(old, sid)
			if err := b.Index(sid, statementFields(d, aid, s)); err != nil {
				return fmt.Errorf("index statement %s: %w", sid, err)
			}
		}
	}
	for sid := range old {
		b.Delete(sid)
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

// DeleteArticles removes articles and their statements. Unknown ids are ignored.
func (ix *Index) DeleteArticles(ctx context.Context, articleIDs []string) error {
	if err := ix.acquire(); err != nil {
		return fmt.Errorf("delete articles: %w", err)
	}
	defer ix.mu.RUnlock()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	for start := 0; start < len(articleIDs); start += ix.batchSize {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("delete articles: %w", err)
		}
		chunk := articleIDs[start:min(start+ix.batchSize, len(articleIDs))]
		stmts, err := ix.statementIDs(ctx, chunk)
		if err != nil {
			return fmt.Errorf("delete articles: %w", err)
		}
		b := ix.idx.NewBatch()
		for _, id := range chunk {
			b.Delete(id)
		}
		for sid := range stmts {
			b.Delete(sid)
		}
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("delete articles: write batch: %w", err)
		}
	}
	return nil
}

// statementIDs returns the ids of the statement documents stored for the articles.
func (ix *Index) statementIDs(ctx context.Context, articleIDs []string) (map[string]struct{}, error) {
	out := make(map[string]struct{})
	if len(articleIDs) == 0 {
		return out, nil
	}
	terms := make([]query.Query, len(articleIDs))
	for i, id := range articleIDs {
		t := query.NewTermQuery(id)
		t.SetField(fieldArticleID)
		terms[i] = t
	}
	const page = 1000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(terms), page, from, false)
		req.SortBy([]string{"_id"})
		req.Score = "none"
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("find statements of articles: %w", err)
		}
		for _, h := range res.Hits {
			out[h.ID] = struct{}{}
		}
		if len(res.Hits) < page || uint64(from+page) >= res.Total {
			return out, nil
		}
	}
}

// commonFields are the article metadata stored on article and statement documents.
func commonFields(a model.Article) map[string]interface{} {
	f := map[string]interface{}{}
	put := func(k, v string) {
		if v != "" {
			f[k] = v
		}
	}
	put(fieldTitle, a.Title)
	put(fieldURL, a.URL)
	if site := strings.TrimSpace(a.Site); site != "" {
		f[fieldSite] = site
		f[fieldSiteKey] = strings.ToLower(site)
		f[fieldSiteText] = site
	}
	put(fieldLanguage, normLanguage(a.Language))
	if !a.Published.IsZero() {
		f[fieldPublished] = a.Published
		f[fieldPublishedText] = a.Published.Format(time.RFC3339)
		f[fieldMonth] = a.Published.Format("2006-01")
	}
	return f
}

func articleFields(d model.Document) map[string]interface{} {
	a := d.Article
	f := commonFields(a)
	f[fieldKind] = KindArticle
	suffix := langSuffix(a.Language)
	if a.Title != "" {
		f[langField("title", suffix)] = a.Title
	}
	if a.Description != "" {
		f[langField("description", suffix)] = a.Description
	}
	if a.Text != "" {
		f[langField("body", suffix)] = a.Text
	}
	ids := make([]string, 0, len(d.Entities))
	for _, e := range d.Entities {
		if e.ID != "" {
			ids = append(ids, e.ID)
		}
	}
	setEntities(f, d, ids)
	return f
}

func statementFields(d model.Document, articleID string, s model.Statement) map[string]interface{} {
	f := commonFields(d.Article)
	f[fieldKind] = KindStatement
	f[fieldArticleID] = articleID
	f[langField("text", langSuffix(d.Article.Language))] = s.Text
	ids := make([]string, 0, 1+len(s.About))
	if s.Speaker != "" {
		f[fieldSpeaker] = s.Speaker
		ids = append(ids, s.Speaker)
	}
	if len(s.About) > 0 {
		f[fieldAbout] = s.About
		ids = append(ids, s.About...)
	}
	setEntities(f, d, ids)
	return f
}

// setEntities stores the distinct entity ids and their types.
func setEntities(f map[string]interface{}, d model.Document, ids []string) {
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	declared := make(map[string]model.EntityType, len(d.Entities))
	for _, e := range d.Entities {
		declared[e.ID] = e.Type
	}
	types := make([]string, 0, len(ids))
	for _, id := range ids {
		t := declared[id]
		if t == "" {
			t = model.TypeOfID(id)
		}
		if t != "" {
			types = append(types, string(t))
		}
	}
	slices.Sort(types)
	f[fieldEntity] = ids
	if types = slices.Compact(types); len(types) > 0 {
		f[fieldEntityType] = types
	}
}

// Package search is Wenyuan's search: one analysis pipeline (width and
// compatibility folding, traditional → simplified and variant folding, CJK
// bigrams with unigrams, English stemming, pinyin), one query parser, and
// the embedded index that follows the store.
//
// The index is derived data. It is rebuilt from the store on demand
// (wenyuan reindex), on start when it is missing or damaged, and kept
// fresh by following the store's change feed.
//
// Where things are:
//
//	fold.go, analyze.go, pinyin.go   text → tokens (and fold.tsv, pinyin_override.tsv)
//	query.go                         the query language → clauses
//	compile.go                       clauses → a tree of term, AND, OR and phrase nodes
//	eval.go                          nodes → a bit set of documents and their scores
//	search.go, rank.go               Search: filters, facets, sorting, the page of hits
//	index.go, postings.go, document.go   what is indexed and how it is stored
//	engine.go, persist.go            following the store; the index file
//	snippet.go, suggest.go           highlighting and typeahead
//	build.go                         building an index without a store (benchmarks)
package search

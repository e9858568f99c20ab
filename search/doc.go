// Package search is Wenyuan's search: one analysis pipeline (width and
// compatibility folding, traditional → simplified and variant folding, CJK
// bigrams with unigrams, English stemming, pinyin), one query parser, and
// the embedded index that follows the store.
//
// The index is derived data. It is rebuilt from the store on demand
// (wenyuan reindex), on start when it is missing or damaged, and kept
// fresh by following the store's change feed.
package search

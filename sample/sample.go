// Package sample is the sample collection the demo loads: 626 records of
// Chinese art published by the Walters Art Museum (metadata CC0, long
// descriptions GNU FDL; see walters-LICENSE.txt and
// walters-chinese.provenance.tsv), and Chinese-language records written for
// Wenyuan from published facts about public-domain works
// (README-zh-records.md), with the mappings that import them.
package sample

import (
	"context"
	"embed"
	"fmt"

	"wenyuan"
	"wenyuan/exchange"
)

// FS holds the sample files.
//
//go:embed *.jsonl *.csv *.yaml
var FS embed.FS

// Institutions are the demo's partners.
var Institutions = []*wenyuan.Institution{
	{ID: "palace-museum", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "故宫博物院"}, {Lang: "zh-Hant", Value: "故宮博物院"}, {Lang: "en", Value: "The Palace Museum"}}},
	{ID: "university", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "大学历史、考古与艺术学院"}, {Lang: "zh-Hant", Value: "大學歷史、考古與藝術學院"}, {Lang: "en", Value: "University Schools of History, Archaeology and Art"}}},
	{ID: "mural-academy", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "石窟壁画保护研究院"}, {Lang: "zh-Hant", Value: "石窟壁畫保護研究院"}, {Lang: "en", Value: "Academy for the Conservation of Cave-Temple Murals"}}},
	{ID: "walters", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "沃尔特斯艺术博物馆（样例数据）"}, {Lang: "en", Value: "The Walters Art Museum (sample data)"}}, Homepage: "https://art.thewalters.org/"},
}

// Source is one file of the sample and how it imports.
type Source struct {
	Institution string
	File        string
	Mapping     string // "" for a Wenyuan JSON Lines file
}

// Sources lists the sample files in the order they import: the shared
// bilingual classification vocabulary first.
var Sources = []Source{
	{"", "concepts.jsonl", ""},
	{"palace-museum", "palace-museum.csv", "zh-catalogue.mapping.yaml"},
	{"university", "university.csv", "zh-catalogue.mapping.yaml"},
	{"mural-academy", "mural-academy.csv", "zh-catalogue.mapping.yaml"},
	{"walters", "walters-chinese.jsonl", "walters.mapping.yaml"},
}

// Load creates the demo's institutions and imports every sample file.
func Load(ctx context.Context, db wenyuan.Store, say func(string)) error {
	ctx = wenyuan.WithActor(ctx, "demo")
	err := db.Batch(ctx, func(b wenyuan.Batch) error {
		for _, inst := range Institutions {
			i := *inst
			if _, err := b.PutRecord(&i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, src := range Sources {
		f, err := FS.Open(src.File)
		if err != nil {
			return err
		}
		opts := exchange.Options{Institution: src.Institution}
		if src.Mapping != "" {
			b, err := FS.ReadFile(src.Mapping)
			if err != nil {
				return err
			}
			if opts.Mapping, err = exchange.ParseMapping(b); err != nil {
				return fmt.Errorf("%s: %w", src.Mapping, err)
			}
		}
		res, err := exchange.Import(ctx, db, f, opts)
		f.Close()
		if err != nil {
			for _, r := range res.Rejects {
				say("  rejected " + r.String())
			}
			return fmt.Errorf("%s: %w", src.File, err)
		}
		say(fmt.Sprintf("  %-24s %4d records", src.File, res.Created+res.Updated+res.Unchanged))
	}
	return nil
}

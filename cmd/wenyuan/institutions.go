package main

import (
	"fmt"

	"wenyuan"
)

func runInstitutions(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return usageError{"usage: wenyuan institutions add|list --data DIR …"}
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "institutions "+sub, "--data DIR [SLUG --name-en NAME --name-zh 名称]")
	data := dataFlag(fs)
	en := fs.String("name-en", "", "English name")
	zh := fs.String("name-zh", "", "Chinese name (simplified)")
	zht := fs.String("name-zh-hant", "", "Chinese name (traditional)")
	home := fs.String("homepage", "", "homepage URL")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	db, err := openDB(*data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "list" {
		insts, err := db.FindInstitutions(e.ctx)
		if err != nil {
			return err
		}
		for _, i := range insts {
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", i.ID, i.Names.In("zh-Hans"), i.Names.In("en"))
		}
		return nil
	}
	if len(pos) != 1 {
		return usageError{"give the institution's slug, e.g. palace-museum"}
	}
	inst := &wenyuan.Institution{ID: pos[0], Homepage: *home}
	for _, n := range []wenyuan.Name{{Lang: "zh-Hans", Value: *zh}, {Lang: "zh-Hant", Value: *zht}, {Lang: "en", Value: *en}} {
		if n.Value != "" {
			inst.Names = append(inst.Names, n)
		}
	}
	if err := db.CreateRecord(wenyuan.WithActor(e.ctx, "cli"), inst); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added institution %s\n", inst.ID)
	return nil
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/sample"
	"wenyuan/sqlite"
)

func runDemo(e *env, args []string) error {
	c := DefaultConfig()
	fs := newFlags(e, "demo", "[--data DIR] [--addr HOST:PORT]")
	fs.StringVar(&c.Data, "data", envOr("WENYUAN_DATA", "wenyuan-demo"), "data directory, created and loaded with the sample if new")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:0", "listen address (default: a free port on 127.0.0.1)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fresh := false
	if _, err := os.Stat(filepath.Join(c.Data, "wenyuan.db")); os.IsNotExist(err) {
		fresh = true
	}
	db, err := openDB(c.Data, true)
	if err != nil {
		return err
	}
	if fresh {
		fmt.Fprintf(e.stdout, "new data directory %s: loading the sample collection\n", c.Data)
		if err := sample.Load(e.ctx, db, func(s string) { fmt.Fprintln(e.stdout, s) }); err != nil {
			db.Close()
			os.Remove(filepath.Join(c.Data, "wenyuan.db"))
			return fmt.Errorf("load sample: %w", err)
		}
		if err := demoAccounts(e, db, filepath.Join(c.Data, "demo-accounts.txt")); err != nil {
			db.Close()
			return fmt.Errorf("demo accounts: %w", err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(c.Data, "demo-accounts.txt")); err == nil {
		fmt.Fprintf(e.stdout, "demo accounts (from %s):\n%s", filepath.Join(c.Data, "demo-accounts.txt"), b)
	}
	return serveUntilDone(e, &Main{Config: c, DB: db})
}

// demoAccounts makes one user per demo role with a fresh random password
// (never a default one) and writes them, readable by the owner only, to
// path.
func demoAccounts(e *env, db *sqlite.DB, path string) error {
	ctx := wenyuan.WithActor(e.ctx, "demo")
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s %-16s %-26s %s\n", "user", "institution", "roles", "password")
	for _, a := range []struct {
		name, inst string
		roles      []wenyuan.Role
	}{
		{"palace-admin", "palace-museum", []wenyuan.Role{wenyuan.RoleAdmin, wenyuan.RoleCataloguer}},
		{"palace-registrar", "palace-museum", []wenyuan.Role{wenyuan.RoleCataloguer}},
		{"mural-conservator", "mural-academy", []wenyuan.Role{wenyuan.RoleConservator, wenyuan.RoleCataloguer}},
		{"university-researcher", "university", []wenyuan.Role{wenyuan.RoleResearcher}},
		{"university-student", "university", []wenyuan.Role{wenyuan.RoleStudent}},
	} {
		pw := auth.NewSecret()[:16]
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := db.CreateUser(ctx, &wenyuan.User{Username: a.name, Institution: a.inst, Roles: a.roles}, hash); err != nil {
			return err
		}
		fmt.Fprintf(&b, "%-22s %-16s %-26s %s\n", a.name, a.inst, wenyuan.JoinRoles(a.roles), pw)
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

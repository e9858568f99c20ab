package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"wenyuan"
	"wenyuan/auth"
)

// runUsers manages users: add, list, set-roles, disable, reset-password.
func runUsers(e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: wenyuan users add|list|set-roles|disable|enable|reset-password --data DIR …"}
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "users "+sub, "--data DIR [flags] [USERNAME]")
	data := dataFlag(fs)
	inst := fs.String("institution", "", "the user's institution (add; list: only this one)")
	roles := fs.String("roles", "", "comma-separated roles: admin, cataloguer, conservator, curator, researcher, student")
	admin := fs.Bool("admin", false, "add: give the admin role (with --roles, in addition)")
	name := fs.String("name", "", "add: the user's full name")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	db, err := openDB(*data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := wenyuan.WithActor(e.ctx, "cli")
	if sub == "list" {
		us, err := db.FindUsers(ctx, *inst)
		if err != nil {
			return err
		}
		for _, u := range us {
			state := ""
			if u.Disabled {
				state = "\tdisabled"
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s%s\n", u.Username, u.Institution, wenyuan.JoinRoles(u.Roles), state)
		}
		return nil
	}
	if len(pos) != 1 {
		return usageError{"give the user name"}
	}
	username := strings.ToLower(pos[0])
	rs, err := parseRoles(*roles, *admin)
	if err != nil {
		return err
	}
	if sub == "add" {
		if *inst == "" {
			return usageError{"--institution is required"}
		}
		if len(rs) == 0 {
			return usageError{"give --roles or --admin"}
		}
		pw, generated, err := readPassword(e)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		u := &wenyuan.User{Username: username, Name: *name, Institution: *inst, Roles: rs}
		if err := db.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "added %s (%s) to %s\n", u.Username, wenyuan.JoinRoles(u.Roles), u.Institution)
		if generated {
			fmt.Fprintf(e.stdout, "password: %s\n(shown once; it is stored only as a hash)\n", pw)
		}
		return nil
	}
	u, _, err := db.FindUserByUsername(ctx, username)
	if err != nil {
		return err
	}
	switch sub {
	case "set-roles":
		if len(rs) == 0 {
			return usageError{"give --roles or --admin"}
		}
		u.Roles = rs
		err = db.UpdateUser(ctx, u)
	case "disable", "enable":
		u.Disabled = sub == "disable"
		err = db.UpdateUser(ctx, u)
	case "reset-password":
		var pw string
		var generated bool
		if pw, generated, err = readPassword(e); err != nil {
			return err
		}
		hash, herr := auth.HashPassword(pw)
		if herr != nil {
			return herr
		}
		if err = db.SetPasswordHash(ctx, u.ID, hash); err == nil && generated {
			fmt.Fprintf(e.stdout, "password: %s\n(shown once; it is stored only as a hash)\n", pw)
		}
	default:
		return usageError{"unknown users command " + sub}
	}
	if err == nil {
		fmt.Fprintf(e.stdout, "%s: %s done\n", u.Username, sub)
	}
	return err
}

func parseRoles(s string, admin bool) ([]wenyuan.Role, error) {
	var out []wenyuan.Role
	if admin {
		out = append(out, wenyuan.RoleAdmin)
	}
	for _, r := range wenyuan.SplitRoles(s) {
		if !r.IsValid() {
			return nil, usageError{fmt.Sprintf("%q is not a role (admin, cataloguer, conservator, curator, researcher, student)", r)}
		}
		if r != wenyuan.RoleAdmin || !admin {
			out = append(out, r)
		}
	}
	return out, nil
}

// readPassword reads a password, one line, from standard input; if there
// is none (an empty line or no input) it makes a strong one.
func readPassword(e *env) (string, bool, error) {
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(e.stderr, "password (empty to generate one): ")
		}
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.NewSecret()[:20], true, nil
	}
	return line, false, nil
}

package auth

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q", h)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterY") || CheckPassword("garbage", "x") {
		t.Error("CheckPassword disagrees")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("short password accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h2 == h {
		t.Error("same hash twice: no salt")
	}
}

func TestToken(t *testing.T) {
	tok := NewToken("abc123")
	id, secret, err := ParseToken(tok)
	if err != nil || id != "abc123" || len(secret) != 43 {
		t.Fatalf("ParseToken(%q) = %q %q %v", tok, id, secret, err)
	}
	for _, bad := range []string{"", "wy_", "wy_abc", "wy__" + strings.Repeat("a", 43), "xx_abc_" + strings.Repeat("a", 43), "wy_ABC_" + strings.Repeat("a", 43), "wy_abc_" + strings.Repeat("a", 42), "wy_abc_" + strings.Repeat("!", 43)} {
		if _, _, err := ParseToken(bad); err == nil {
			t.Errorf("ParseToken(%q) accepted", bad)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add(NewToken("abc"))
	f.Add("wy_x_y")
	f.Add("Bearer wy_")
	f.Fuzz(func(t *testing.T, s string) {
		id, secret, err := ParseToken(s)
		if err == nil && (s != TokenPrefix+id+"_"+secret) {
			t.Fatalf("ParseToken(%q) = %q, %q", s, id, secret)
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", "pw")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		if len(encoded) > 200 {
			return
		}
		CheckPassword(encoded, pw) // never panics, never hangs on absurd parameters
	})
}

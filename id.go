package wenyuan

import (
	"crypto/rand"
	"encoding/binary"
)

// idAlphabet is Crockford's base 32 in lower case: no i, l, o or u, so an id
// read aloud or copied by hand survives.
const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewID returns a fresh random record id: 12 characters of lower-case
// Crockford base 32 (60 random bits). Ids never change once given.
func NewID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("wenyuan: no randomness: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	n := binary.BigEndian.Uint64(b[:])
	out := make([]byte, 12)
	for i := range out {
		out[i] = idAlphabet[n&31]
		n >>= 5
	}
	return string(out)
}

// IsValidID reports whether id may name a record: 1 to 64 characters of
// lower-case ASCII letters, digits, '-', '_' and '.', starting with a letter
// or digit. Slugs such as "palace-museum" and "qing-qianlong" are ids too.
// The rule keeps every id safe in a URL path, a file name and a query.
func IsValidID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

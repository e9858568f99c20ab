package wenyuan

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// idAlphabet is Crockford's base 32 in lower case: no i, l, o or u, so an id
// read aloud or copied by hand survives. Its characters sort in the order
// of their values, so ids sort by time.
const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var idGen struct {
	sync.Mutex
	ms  uint64
	low uint64
}

// NewID returns a fresh record id: 14 characters of lower-case Crockford
// base 32 holding 42 bits of milliseconds since 1970 and 28 bits that start
// at random each millisecond and count up within it. Ids made one after
// another sort in that order, so that a bulk load appends to the store's
// indexes instead of writing all over them; ids never change once given.
func NewID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("wenyuan: no randomness: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	ms := uint64(time.Now().UnixMilli()) & (1<<42 - 1)
	idGen.Lock()
	if ms <= idGen.ms {
		ms = idGen.ms
		idGen.low++
		if idGen.low >= 1<<28 {
			ms++
			idGen.low = binary.BigEndian.Uint64(b[:]) & (1<<27 - 1)
		}
	} else {
		idGen.low = binary.BigEndian.Uint64(b[:]) & (1<<27 - 1) // leave room to count up
	}
	idGen.ms = ms
	n := ms<<28 | idGen.low
	idGen.Unlock()
	out := make([]byte, 14)
	for i := len(out) - 1; i >= 0; i-- {
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

package canonical

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Mode is a canonical JSON flavour.
type Mode int

// Modes. The zero value is not a mode, so a forgotten choice is an error
// rather than a silent default.
const (
	OLPC Mode = iota + 1 // OLPC canonical JSON: spec versions <= 1.1
	JCS                  // RFC 8785: spec versions >= 1.2
)

func (m Mode) String() string {
	switch m {
	case OLPC:
		return "olpc"
	case JCS:
		return "jcs"
	}
	return fmt.Sprintf("mode(%d)", int(m))
}

// ParseMode reads "olpc" or "jcs" (case-insensitive; "rfc8785" is JCS).
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(s) {
	case "olpc":
		return OLPC, nil
	case "jcs", "rfc8785", "rfc-8785":
		return JCS, nil
	}
	return 0, fmt.Errorf("unknown canonical JSON mode %q (want olpc or jcs)", s)
}

// ModeForSpec returns the mode a spec version asks for. It takes the spec
// repository's tag names (cnab-core-1.0, cnab-core-1.1.0, cnab-claims-1.0.0,
// cnab-core-1.2.0, main, and the 2019 working drafts such as 2019-03-12-wd)
// as well as schemaVersion values (v1, v1.0.0-WD, v1.0.0, v1.0.1, v1.1.0,
// v1.2.0). Versions 1.2 and later, and main, use JCS; everything older uses
// OLPC, because the integer-only definitions schema was in force until 1.2
// (spec PR #414).
func ModeForSpec(v string) (Mode, error) {
	switch v {
	case "cnab-core-1.0", "cnab-core-1.0.1", "cnab-core-1.1.0", "cnab-claims-1.0.0",
		"v1", "v1.0.0-WD", "v1.0.0", "v1.0.1", "v1.1.0":
		return OLPC, nil
	case "cnab-core-1.2.0", "main", "v1.2.0":
		return JCS, nil
	}
	if strings.HasSuffix(v, "-wd") && strings.HasPrefix(v, "20") {
		return OLPC, nil // a dated pre-1.0 working draft
	}
	return 0, fmt.Errorf("no canonical JSON mode known for spec version %q", v)
}

// DefaultMaxDepth is the nesting limit: deeper input is an error, so hostile
// input cannot exhaust the stack.
const DefaultMaxDepth = 10000

// Sentinel error kinds; every error this package returns is an *Error that
// wraps one of them, so callers can use errors.Is.
var (
	ErrSyntax       = errors.New("not JSON")
	ErrDuplicateKey = errors.New("duplicate object key")
	ErrNumber       = errors.New("number has no canonical form")
	ErrEncoding     = errors.New("bad text encoding")
	ErrDepth        = errors.New("nesting too deep")
	ErrMode         = errors.New("unknown canonical JSON mode")
)

// Error is a failure at a byte offset of the input.
type Error struct {
	Offset int   // byte offset of the offending token, 0-based
	Kind   error // one of the Err* sentinels
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// Unwrap lets errors.Is find the kind.
func (e *Error) Unwrap() error { return e.Kind }

// Canonicalize returns the canonical form of the JSON text data.
func Canonicalize(data []byte, mode Mode) ([]byte, error) {
	if mode != OLPC && mode != JCS {
		return nil, &Error{Kind: ErrMode, Msg: fmt.Sprintf("unknown canonical JSON mode %d", int(mode))}
	}
	p := parser{data: data, mode: mode, maxDepth: DefaultMaxDepth}
	v, err := p.document()
	if err != nil {
		return nil, err
	}
	w := writer{mode: mode, buf: make([]byte, 0, len(data))}
	if err := w.value(&v); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// IsCanonical reports whether data is already in canonical form. A document
// that cannot be canonicalised at all (not JSON, a duplicate key, a
// fraction in OLPC mode) returns the error.
func IsCanonical(data []byte, mode Mode) (bool, error) {
	c, err := Canonicalize(data, mode)
	if err != nil {
		return false, err
	}
	return bytes.Equal(c, data), nil
}

// FirstDifference returns the offset of the first byte where a and b differ,
// or -1 when they are equal. Callers use it to point a "not canonical" finding
// at the first offending byte of the input.
func FirstDifference(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) == len(b) {
		return -1
	}
	return n
}

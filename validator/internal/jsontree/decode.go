package jsontree

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ProblemKind classifies an input problem.
type ProblemKind int

// Problem kinds. Only Duplicate and BOM leave a usable tree.
const (
	Syntax    ProblemKind = iota // not JSON
	BadUTF8                      // invalid UTF-8 byte sequence
	BOM                          // a UTF-8 byte order mark precedes the document
	Duplicate                    // an object key appears twice (last value kept)
	TooDeep                      // nesting deeper than Options.MaxDepth
	BigNumber                    // a number literal too large to process safely
	Empty                        // no JSON value at all
)

// Problem is one thing wrong with the input. Offset is a byte offset into the
// original data; Pointer is set for duplicate keys (the key's RFC 6901 pointer).
type Problem struct {
	Kind    ProblemKind
	Offset  int
	Pointer string
	Message string
}

// Fatal reports whether the problem leaves no usable document.
func (p Problem) Fatal() bool { return p.Kind != Duplicate && p.Kind != BOM }

// Limits bound the work a single document may cause.
type Limits struct {
	MaxDepth        int // default 10,000
	MaxNumberLength int // default 400 characters
	MaxExponent     int // default 400 (absolute value)
	MaxDuplicates   int // duplicate-key problems reported before the rest are dropped; default 100
}

func (l *Limits) fill() {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 10000
	}
	if l.MaxNumberLength <= 0 {
		l.MaxNumberLength = 400
	}
	if l.MaxExponent <= 0 {
		l.MaxExponent = 400
	}
	if l.MaxDuplicates <= 0 {
		l.MaxDuplicates = 100
	}
}

// Decode parses data. On a fatal problem root is nil and the last problem is
// the fatal one; otherwise problems holds only non-fatal ones.
func Decode(data []byte, lim Limits) (root any, problems []Problem) {
	return decode(data, lim, nil)
}

func decode(data []byte, lim Limits, arena *Arena) (root any, problems []Problem) {
	lim.fill()
	d := decoder{data: data, lim: lim, arena: arena}
	if arena != nil {
		d.path = arena.path[:0]
		defer func() {
			if cap(d.path) <= 1024 { // do not pool the stack of a pathologically deep document
				arena.path = d.path[:0]
			}
		}()
	}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		d.problems = append(d.problems, Problem{Kind: BOM, Offset: 0, Message: "the input starts with a UTF-8 byte order mark"})
		d.i = 3
	}
	d.ws()
	if d.i >= len(d.data) {
		d.fail(Empty, d.i, "the input holds no JSON value")
		return nil, d.problems
	}
	v := d.value(0)
	if d.failed {
		return nil, d.problems
	}
	d.ws()
	if d.i < len(d.data) {
		d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s after the end of the JSON value", d.describe(d.i)))
		return nil, d.problems
	}
	return v, d.problems
}

type pathElem struct {
	key string
	idx int // -1 for object keys
}

type decoder struct {
	data     []byte
	i        int
	lim      Limits
	problems []Problem
	failed   bool
	path     []pathElem
	dups     int
	arena    *Arena   // nil: allocate containers
	own      []byte   // the document's copy that strings point into (strings.go)
	hdrs     []string // the current block of boxed string headers (strings.go)
}

func (d *decoder) fail(k ProblemKind, off int, msg string) {
	if d.failed {
		return
	}
	d.failed = true
	d.problems = append(d.problems, Problem{Kind: k, Offset: off, Message: msg})
}

// space marks JSON whitespace; a table lookup beats a switch on the long
// indentation runs of pretty-printed documents.
var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func (d *decoder) ws() {
	i, data := d.i, d.data
	for i < len(data) && space[data[i]] {
		i++
	}
	d.i = i
}

// describe names the byte at off for error messages.
func (d *decoder) describe(off int) string {
	if off >= len(d.data) {
		return "end of input"
	}
	b := d.data[off]
	if b >= 0x20 && b < 0x7f {
		return strconv.QuoteRune(rune(b))
	}
	return fmt.Sprintf("byte 0x%02X", b)
}

func (d *decoder) value(depth int) any {
	if depth >= d.lim.MaxDepth {
		d.fail(TooDeep, d.i, fmt.Sprintf("objects and arrays nest deeper than %d levels", d.lim.MaxDepth))
		return nil
	}
	if d.i >= len(d.data) {
		d.fail(Syntax, d.i, "unexpected end of input, expecting a value")
		return nil
	}
	switch c := d.data[d.i]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.strValue()
	case c == 't':
		return d.literal("true", true)
	case c == 'f':
		return d.literal("false", false)
	case c == 'n':
		return d.literal("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	default:
		d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s, expecting a value", d.describe(d.i)))
		return nil
	}
}

func (d *decoder) literal(word string, v any) any {
	if len(d.data)-d.i >= len(word) && string(d.data[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return v
	}
	d.fail(Syntax, d.i, fmt.Sprintf("invalid literal, expecting %s", word))
	return nil
}

func (d *decoder) object(depth int) any {
	d.i++ // {
	var m map[string]any
	switch {
	case d.arena != nil:
		m = d.arena.newMap()
	case depth == 0:
		m = make(map[string]any, 16) // a document's root has many members: skip the regrowth
	default:
		m = make(map[string]any)
	}
	d.ws()
	if d.i < len(d.data) && d.data[d.i] == '}' {
		d.i++
		return m
	}
	d.path = append(d.path, pathElem{idx: -1})
	for {
		d.ws()
		if d.i >= len(d.data) || d.data[d.i] != '"' {
			d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s, expecting a string object key", d.describe(d.i)))
			return nil
		}
		keyOff := d.i
		k, ok := d.str()
		if !ok {
			return nil
		}
		d.ws()
		if d.i >= len(d.data) || d.data[d.i] != ':' {
			d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s after object key, expecting ':'", d.describe(d.i)))
			return nil
		}
		d.i++
		d.ws()
		d.path[len(d.path)-1].key = k
		v := d.value(depth + 1)
		if d.failed {
			return nil
		}
		// One map operation instead of a lookup and an insert: a duplicate
		// key leaves the length unchanged.
		n := len(m)
		m[k] = v
		if len(m) == n {
			d.dups++
			if d.dups <= d.lim.MaxDuplicates {
				d.problems = append(d.problems, Problem{Kind: Duplicate, Offset: keyOff, Pointer: d.pointer(),
					Message: fmt.Sprintf("duplicate object key %q (the last value is kept)", k)})
			}
		}
		d.ws()
		if d.i < len(d.data) && d.data[d.i] == ',' {
			d.i++
			continue
		}
		if d.i < len(d.data) && d.data[d.i] == '}' {
			d.i++
			d.path = d.path[:len(d.path)-1]
			return m
		}
		d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s in object, expecting ',' or '}'", d.describe(d.i)))
		return nil
	}
}

func (d *decoder) array(depth int) any {
	d.i++ // [
	var a []any
	if d.arena != nil {
		a = d.arena.newArr()
	} else {
		a = make([]any, 0, 4)
	}
	d.ws()
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		if d.arena != nil {
			d.arena.doneArr(a)
		}
		return a
	}
	d.path = append(d.path, pathElem{})
	for n := 0; ; n++ {
		d.ws()
		d.path[len(d.path)-1].idx = n
		v := d.value(depth + 1)
		if d.failed {
			return nil
		}
		a = append(a, v)
		d.ws()
		if d.i < len(d.data) && d.data[d.i] == ',' {
			d.i++
			continue
		}
		if d.i < len(d.data) && d.data[d.i] == ']' {
			d.i++
			d.path = d.path[:len(d.path)-1]
			if d.arena != nil {
				d.arena.doneArr(a)
			}
			return a
		}
		d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s in array, expecting ',' or ']'", d.describe(d.i)))
		return nil
	}
}

// pointer renders the current path as an RFC 6901 pointer.
func (d *decoder) pointer() string {
	var b strings.Builder
	for _, e := range d.path {
		b.WriteByte('/')
		if e.idx >= 0 {
			b.WriteString(strconv.Itoa(e.idx))
		} else {
			b.WriteString(EscapeToken(e.key))
		}
	}
	return b.String()
}

func (d *decoder) number() any {
	start := d.i
	data := d.data
	if data[d.i] == '-' {
		d.i++
	}
	if d.i >= len(data) {
		d.fail(Syntax, d.i, "unexpected end of input in number")
		return nil
	}
	switch {
	case data[d.i] == '0':
		d.i++
	case data[d.i] >= '1' && data[d.i] <= '9':
		for d.i < len(data) && data[d.i] >= '0' && data[d.i] <= '9' {
			d.i++
		}
	default:
		d.fail(Syntax, d.i, fmt.Sprintf("unexpected %s in number", d.describe(d.i)))
		return nil
	}
	if d.i < len(data) && data[d.i] == '.' {
		d.i++
		s := d.i
		for d.i < len(data) && data[d.i] >= '0' && data[d.i] <= '9' {
			d.i++
		}
		if d.i == s {
			d.fail(Syntax, d.i, "a number's fraction needs at least one digit")
			return nil
		}
	}
	if d.i < len(data) && (data[d.i] == 'e' || data[d.i] == 'E') {
		d.i++
		if d.i < len(data) && (data[d.i] == '+' || data[d.i] == '-') {
			d.i++
		}
		s := d.i
		for d.i < len(data) && data[d.i] >= '0' && data[d.i] <= '9' {
			d.i++
		}
		if d.i == s {
			d.fail(Syntax, d.i, "a number's exponent needs at least one digit")
			return nil
		}
		exp := data[s:d.i]
		for len(exp) > 1 && exp[0] == '0' {
			exp = exp[1:]
		}
		if len(exp) > 9 || atoi(exp) > d.lim.MaxExponent {
			d.fail(BigNumber, start, fmt.Sprintf("number exponent larger than %d", d.lim.MaxExponent))
			return nil
		}
	}
	if d.i-start > d.lim.MaxNumberLength {
		d.fail(BigNumber, start, fmt.Sprintf("number literal longer than %d characters", d.lim.MaxNumberLength))
		return nil
	}
	if v := internNumber(data[start:d.i]); v != nil {
		return v
	}
	return d.boxNumber(d.sub(start, d.i))
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// plain marks the bytes a string's fast path copies as they are: printable
// ASCII except the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun skips plain bytes (see plain) from i eight at a time and returns
// the index of the first byte that is not plain, or of the last few bytes
// of data (fewer than eight); the caller's byte loop goes on from there. Strings in CNAB documents (image
// references, digests, descriptions) are long runs of plain ASCII.
func plainRun(data []byte, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for i+8 <= len(data) {
		x := binary.LittleEndian.Uint64(data[i:])
		q := x ^ (ones * '"')
		b := x ^ (ones * '\\')
		// A byte is flagged when it is zero after the xor (a quote or a
		// backslash), below 0x20, or 0x80 and above (the high bit). The
		// tricks can flag a plain byte after a flagged one, never before,
		// so the lowest flagged byte is the first that is not plain.
		m := ((q - ones) &^ q) | ((b - ones) &^ b) | ((x - ones*0x20) &^ x) | x
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8 // the first flagged byte is a true one
		}
		i += 8
	}
	return i
}

// strValue is str for values: known words come back already boxed.
func (d *decoder) strValue() any {
	start, data := d.i+1, d.data
	for j := plainRun(data, start); j < len(data); j++ {
		c := data[j]
		if plain[c] {
			continue
		}
		if c == '"' {
			d.i = j + 1
			if e := internLookup(data[start:j]); e != nil {
				return e.box
			}
			return d.box(d.sub(start, j))
		}
		break
	}
	s, ok := d.str()
	if !ok {
		return nil
	}
	return d.box(s)
}

// str reads a string starting at the opening quote.
func (d *decoder) str() (string, bool) {
	d.i++ // "
	start := d.i
	data := d.data
	// Fast path: ASCII without escapes.
	d.i = plainRun(data, d.i)
	for d.i < len(data) {
		c := data[d.i]
		if plain[c] {
			d.i++
			continue
		}
		if c == '"' {
			var s string
			if e := internLookup(data[start:d.i]); e != nil {
				s = e.s
			} else {
				s = d.sub(start, d.i)
			}
			d.i++
			return s, true
		}
		break
	}
	var buf []byte
	buf = append(buf, data[start:d.i]...)
	for d.i < len(data) {
		c := data[d.i]
		switch {
		case c == '"':
			d.i++
			return string(buf), true
		case c == '\\':
			if d.i+1 >= len(data) {
				d.fail(Syntax, d.i, "unexpected end of input in string escape")
				return "", false
			}
			e := data[d.i+1]
			d.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := d.hex4(d.i)
				if !ok {
					d.fail(Syntax, d.i-2, `invalid \u escape, expecting four hex digits`)
					return "", false
				}
				d.i += 4
				if utf16.IsSurrogate(r) {
					// A valid pair decodes to one rune; a lone surrogate
					// becomes U+FFFD, as encoding/json does.
					if d.i+6 <= len(data) && data[d.i] == '\\' && data[d.i+1] == 'u' {
						if r2, ok := d.hex4(d.i + 2); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								d.i += 6
								buf = utf8.AppendRune(buf, dec)
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				d.fail(Syntax, d.i-2, fmt.Sprintf("invalid escape \\%c in string", e))
				return "", false
			}
		case c < 0x20:
			d.fail(Syntax, d.i, fmt.Sprintf("control character 0x%02X inside a string must be escaped", c))
			return "", false
		case c < 0x80:
			buf = append(buf, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(data[d.i:])
			if r == utf8.RuneError && size <= 1 {
				d.fail(BadUTF8, d.i, fmt.Sprintf("invalid UTF-8 byte 0x%02X in string", c))
				return "", false
			}
			buf = append(buf, data[d.i:d.i+size]...)
			d.i += size
		}
	}
	d.fail(Syntax, start-1, "unterminated string")
	return "", false
}

func (d *decoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// EscapeToken escapes one RFC 6901 reference token.
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	s = strings.ReplaceAll(s, "~", "~0")
	return strings.ReplaceAll(s, "/", "~1")
}

// UnescapeToken reverses EscapeToken.
func UnescapeToken(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	s = strings.ReplaceAll(s, "~1", "/")
	return strings.ReplaceAll(s, "~0", "~")
}

// SplitPointer splits an RFC 6901 pointer into unescaped tokens.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i := range parts {
		parts[i] = UnescapeToken(parts[i])
	}
	return parts
}

package canonical

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type kind uint8

const (
	kNull kind = iota
	kTrue
	kFalse
	kNumber
	kString
	kArray
	kObject
)

// node is one decoded value. Numbers keep their literal text and its offset,
// so the writer can report where an unrepresentable number sits.
type node struct {
	kind    kind
	off     int
	text    string // string value, or number literal
	items   []node
	members []member
}

type member struct {
	key string
	off int
	val node
}

type parser struct {
	data     []byte
	pos      int
	mode     Mode
	depth    int
	maxDepth int
	// Scratch stacks: an object's members (an array's items) are gathered
	// here and copied once, at their exact size, when it closes.
	members []member
	items   []node
	order   []int32 // scratch permutation for sorting members
}

func (p *parser) fail(off int, kind error, format string, args ...any) *Error {
	return &Error{Offset: off, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) document() (node, error) {
	if len(p.data) >= 3 && p.data[0] == 0xEF && p.data[1] == 0xBB && p.data[2] == 0xBF {
		return node{}, p.fail(0, ErrEncoding, "input starts with a UTF-8 byte order mark")
	}
	p.space()
	if p.pos >= len(p.data) {
		return node{}, p.fail(p.pos, ErrSyntax, "empty input")
	}
	v, err := p.value()
	if err != nil {
		return node{}, err
	}
	p.space()
	if p.pos < len(p.data) {
		return node{}, p.fail(p.pos, ErrSyntax, "unexpected data after the top-level value")
	}
	return v, nil
}

func (p *parser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (node, error) {
	if p.pos >= len(p.data) {
		return node{}, p.fail(p.pos, ErrSyntax, "unexpected end of input")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		return node{kind: kString, off: start, text: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return node{kind: kTrue, off: start}, p.literal("true")
	case c == 'f':
		return node{kind: kFalse, off: start}, p.literal("false")
	case c == 'n':
		return node{kind: kNull, off: start}, p.literal("null")
	default:
		return node{}, p.fail(p.pos, ErrSyntax, "unexpected character %s", quoteByte(c))
	}
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("0x%02x", c)
}

func (p *parser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail(p.pos, ErrSyntax, "invalid literal (want %s)", word)
	}
	p.pos += len(word)
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.fail(p.pos, ErrDepth, "nesting deeper than %d levels", p.maxDepth)
	}
	return nil
}

func (p *parser) array() (node, error) {
	n := node{kind: kArray, off: p.pos}
	if err := p.enter(); err != nil {
		return n, err
	}
	p.pos++ // [
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return n, nil
	}
	base := len(p.items)
	defer func() { p.items = p.items[:base] }()
	for {
		p.space()
		v, err := p.value()
		if err != nil {
			return n, err
		}
		p.items = append(p.items, v)
		p.space()
		if p.pos >= len(p.data) {
			return n, p.fail(p.pos, ErrSyntax, "unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.space()
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				return n, p.fail(p.pos, ErrSyntax, "trailing comma in array")
			}
		case ']':
			p.pos++
			p.depth--
			n.items = append([]node(nil), p.items[base:]...)
			return n, nil
		default:
			return n, p.fail(p.pos, ErrSyntax, "expected ',' or ']' in array, found %s", quoteByte(p.data[p.pos]))
		}
	}
}

func (p *parser) object() (node, error) {
	n := node{kind: kObject, off: p.pos}
	if err := p.enter(); err != nil {
		return n, err
	}
	p.pos++ // {
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return n, nil
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for {
		p.space()
		if p.pos >= len(p.data) {
			return n, p.fail(p.pos, ErrSyntax, "unexpected end of input in object")
		}
		if p.data[p.pos] != '"' {
			if p.data[p.pos] == '}' && len(p.members) > base {
				return n, p.fail(p.pos, ErrSyntax, "trailing comma in object")
			}
			return n, p.fail(p.pos, ErrSyntax, "expected a string key, found %s", quoteByte(p.data[p.pos]))
		}
		koff := p.pos
		k, err := p.string()
		if err != nil {
			return n, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return n, p.fail(p.pos, ErrSyntax, "expected ':' after object key %q", k)
		}
		p.pos++
		p.space()
		v, err := p.value()
		if err != nil {
			return n, err
		}
		p.members = append(p.members, member{key: k, off: koff, val: v})
		p.space()
		if p.pos >= len(p.data) {
			return n, p.fail(p.pos, ErrSyntax, "unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			return n, p.closeObject(&n, base)
		default:
			return n, p.fail(p.pos, ErrSyntax, "expected ',' or '}' in object, found %s", quoteByte(p.data[p.pos]))
		}
	}
}

// closeObject copies the members gathered since base into n, ordered for
// the mode, and rejects duplicates; the error points at the later of the
// two occurrences. Sorting goes through a permutation of indexes, because
// members are large and moving them is what a sort costs.
func (p *parser) closeObject(n *node, base int) error {
	seg := p.members[base:]
	less := strings.Compare
	if p.mode == JCS {
		less = compareUTF16
	}
	n.members = make([]member, len(seg))
	sorted := true
	for i := 1; i < len(seg); i++ {
		if less(seg[i-1].key, seg[i].key) > 0 {
			sorted = false
			break
		}
	}
	if sorted {
		copy(n.members, seg)
	} else {
		p.order = p.order[:0]
		for i := range seg {
			p.order = append(p.order, int32(i))
		}
		slices.SortStableFunc(p.order, func(a, b int32) int { return less(seg[a].key, seg[b].key) })
		for i, j := range p.order {
			n.members[i] = seg[j]
		}
	}
	for i := 1; i < len(n.members); i++ {
		if n.members[i].key == n.members[i-1].key {
			off := max(n.members[i].off, n.members[i-1].off)
			return p.fail(off, ErrDuplicateKey, "duplicate object key %q", n.members[i].key)
		}
	}
	return nil
}

// compareUTF16 orders strings by their UTF-16 code units (RFC 8785 3.2.3).
// It differs from code point order only when one side has a character above
// U+FFFF (a surrogate pair) and the other a character in U+E000..U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return int(firstUnit(ra)) - int(firstUnit(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func firstUnit(r rune) rune {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return hi
	}
	return r
}

func (p *parser) string() (string, error) {
	start := p.pos
	p.pos++ // opening quote
	// Fast path: no escapes, no control bytes, ASCII only.
	i := p.pos
	for i < len(p.data) {
		c := p.data[i]
		if c == '"' {
			s := string(p.data[p.pos:i])
			p.pos = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		i++
	}
	var b strings.Builder
	b.Write(p.data[p.pos:i])
	p.pos = i
	for {
		if p.pos >= len(p.data) {
			return "", p.fail(start, ErrSyntax, "unterminated string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case c < 0x20:
			// OLPC writes control characters raw, so its reader accepts
			// them; RFC 8259 (and so JCS) does not.
			if p.mode != OLPC {
				return "", p.fail(p.pos, ErrSyntax, "raw control character 0x%02x in string (must be escaped)", c)
			}
			b.WriteByte(c)
			p.pos++
		case c < 0x80:
			b.WriteByte(c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.fail(p.pos, ErrEncoding, "invalid UTF-8 in string")
			}
			b.Write(p.data[p.pos : p.pos+size])
			p.pos += size
		}
	}
}

func (p *parser) escape() (rune, error) {
	off := p.pos
	if p.pos+1 >= len(p.data) {
		return 0, p.fail(off, ErrSyntax, "unterminated escape")
	}
	c := p.data[p.pos+1]
	p.pos += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, ok := p.hex4()
		if !ok {
			return 0, p.fail(off, ErrSyntax, "bad \\u escape")
		}
		if utf16.IsSurrogate(r) {
			if r >= 0xDC00 || p.pos+1 >= len(p.data) || p.data[p.pos] != '\\' || p.data[p.pos+1] != 'u' {
				return 0, p.fail(off, ErrEncoding, "lone UTF-16 surrogate \\u%04x", r)
			}
			p.pos += 2
			r2, ok := p.hex4()
			if !ok {
				return 0, p.fail(off, ErrSyntax, "bad \\u escape")
			}
			d := utf16.DecodeRune(r, r2)
			if d == utf8.RuneError {
				return 0, p.fail(off, ErrEncoding, "lone UTF-16 surrogate \\u%04x", r)
			}
			return d, nil
		}
		return r, nil
	}
	return 0, p.fail(off, ErrSyntax, "invalid escape \\%s", string(rune(c)))
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// number checks the RFC 8259 number grammar and keeps the literal.
func (p *parser) number() (node, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	if i >= len(d) {
		return node{}, p.fail(start, ErrSyntax, "bad number")
	}
	if d[i] == '0' {
		i++
		if i < len(d) && d[i] >= '0' && d[i] <= '9' {
			return node{}, p.fail(start, ErrSyntax, "number with a leading zero")
		}
	} else if digits() == 0 {
		return node{}, p.fail(start, ErrSyntax, "bad number")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return node{}, p.fail(start, ErrSyntax, "bad number: no digit after '.'")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return node{}, p.fail(start, ErrSyntax, "bad number: no digit in exponent")
		}
	}
	p.pos = i
	return node{kind: kNumber, off: start, text: string(d[start:i])}, nil
}

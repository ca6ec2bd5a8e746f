package canonical

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// maxIntegerDigits bounds the integers OLPC mode writes out of exponent
// notation ("1e1000000" would otherwise allocate a megabyte of zeros).
const maxIntegerDigits = 4096

type writer struct {
	mode Mode
	buf  []byte
}

func (w *writer) value(n *node) error {
	switch n.kind {
	case kNull:
		w.buf = append(w.buf, "null"...)
	case kTrue:
		w.buf = append(w.buf, "true"...)
	case kFalse:
		w.buf = append(w.buf, "false"...)
	case kNumber:
		s, err := w.number(n.text)
		if err != nil {
			return &Error{Offset: n.off, Kind: ErrNumber, Msg: err.Error()}
		}
		w.buf = append(w.buf, s...)
	case kString:
		w.string(n.text)
	case kArray:
		w.buf = append(w.buf, '[')
		for i := range n.items {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			if err := w.value(&n.items[i]); err != nil {
				return err
			}
		}
		w.buf = append(w.buf, ']')
	case kObject:
		w.buf = append(w.buf, '{')
		for i := range n.members {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.string(n.members[i].key)
			w.buf = append(w.buf, ':')
			if err := w.value(&n.members[i].val); err != nil {
				return err
			}
		}
		w.buf = append(w.buf, '}')
	}
	return nil
}

// plainInteger reports whether lit is an integer literal short enough to be
// exact as a double (15 digits), the common case both modes write as is.
func plainInteger(lit string) bool {
	d := strings.TrimPrefix(lit, "-")
	if len(d) == 0 || len(d) > 15 || d == "0" && len(lit) != len(d) {
		return false // "-0" is written as 0
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

func (w *writer) number(lit string) (string, error) {
	if plainInteger(lit) {
		return lit, nil
	}
	if w.mode == OLPC {
		return olpcInteger(lit)
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) {
		return "", errors.New("number " + clip(lit) + " does not fit an IEEE 754 double (RFC 8785 requires it)")
	}
	return ecmaNumber(f), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// olpcInteger rewrites a JSON number literal as an OLPC integer: the exact
// decimal value must be an integer; it is written without sign for zero,
// without leading zeros, fraction or exponent.
func olpcInteger(lit string) (string, error) {
	neg := strings.HasPrefix(lit, "-")
	s := strings.TrimPrefix(lit, "-")
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if !hasExp && frac == "" {
		if intPart == "0" {
			return "0", nil // "-0" has no OLPC form other than 0
		}
		return lit, nil
	}
	exp := 0
	if hasExp {
		e, err := strconv.Atoi(expPart)
		if err != nil || e > 1<<20 || e < -(1<<20) {
			if strings.Trim(intPart+frac, "0") == "" {
				return "0", nil
			}
			return "", errors.New("number " + clip(lit) + " has an exponent too large for OLPC canonical JSON (integers only)")
		}
		exp = e
	}
	digits := intPart + frac
	exp -= len(frac)
	// Trailing zeros of the digits can absorb a negative exponent.
	for exp < 0 && len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0", nil
	}
	if exp < 0 {
		return "", errors.New("number " + clip(lit) + " is not an integer; OLPC canonical JSON (spec <= 1.1) allows integers only")
	}
	if len(digits)+exp > maxIntegerDigits {
		return "", errors.New("number " + clip(lit) + " has more than 4096 digits")
	}
	out := make([]byte, 0, len(digits)+exp+1)
	if neg {
		out = append(out, '-')
	}
	out = append(out, digits...)
	for range exp {
		out = append(out, '0')
	}
	return string(out), nil
}

// ecmaNumber writes f as ECMAScript's Number::toString does (ECMA-262
// 7.1.12.1), which RFC 8785 3.2.2.3 adopts. strconv's shortest 'e' form gives
// the digits and exponent that algorithm starts from.
func ecmaNumber(f float64) string {
	if f == 0 {
		return "0" // also -0
	}
	var b []byte
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(expStr)
	k := len(digits)
	n := x + 1 // position of the decimal point
	switch {
	case k <= n && n <= 21:
		b = append(b, digits...)
		for range n - k {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(b, digits[:n]...)
		b = append(b, '.')
		b = append(b, digits[n:]...)
	case -6 < n && n <= 0:
		b = append(b, "0."...)
		for range -n {
			b = append(b, '0')
		}
		b = append(b, digits...)
	default:
		b = append(b, digits[0])
		if k > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return string(b)
}

const hexDigits = "0123456789abcdef"

func (w *writer) string(s string) {
	w.buf = append(w.buf, '"')
	if w.mode == OLPC {
		start := 0
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '"' || c == '\\' {
				w.buf = append(w.buf, s[start:i]...)
				w.buf = append(w.buf, '\\', c)
				start = i + 1
			}
		}
		w.buf = append(w.buf, s[start:]...)
		w.buf = append(w.buf, '"')
		return
	}
	start := 0 // bytes from start to i need no escaping and are copied in one go
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue // printable ASCII and UTF-8 bytes (validated when read) go out raw
		}
		w.buf = append(w.buf, s[start:i]...)
		start = i + 1
		switch c {
		case '"', '\\':
			w.buf = append(w.buf, '\\', c)
		case '\b':
			w.buf = append(w.buf, '\\', 'b')
		case '\f':
			w.buf = append(w.buf, '\\', 'f')
		case '\n':
			w.buf = append(w.buf, '\\', 'n')
		case '\r':
			w.buf = append(w.buf, '\\', 'r')
		case '\t':
			w.buf = append(w.buf, '\\', 't')
		default:
			w.buf = append(w.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	w.buf = append(w.buf, s[start:]...)
	w.buf = append(w.buf, '"')
}

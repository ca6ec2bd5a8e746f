package jsontree

import "unicode/utf8"

// Locate returns the byte offset where the value named by pointer starts. When
// the value does not exist (a missing required property, say), it returns the
// offset of the deepest existing ancestor and exact=false. It never fails on
// malformed input: scanning stops and the best offset so far is returned.
// With duplicate keys the last occurrence is used, as Decode keeps the last value.
func Locate(data []byte, pointer string) (offset int, exact bool) {
	s := scanner{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		s.i = 3
	}
	s.ws()
	best := s.i
	for _, tok := range SplitPointer(pointer) {
		if s.i >= len(data) {
			return best, false
		}
		switch data[s.i] {
		case '{':
			at, ok := s.findKey(tok)
			if !ok {
				return best, false
			}
			s.i = at
		case '[':
			n, ok := parseIndex(tok)
			if !ok {
				return best, false
			}
			at, ok := s.findIndex(n)
			if !ok {
				return best, false
			}
			s.i = at
		default:
			return best, false
		}
		best = s.i
	}
	return best, true
}

// LineCol converts a byte offset to a 1-based line and column; the column
// counts characters (runes), not bytes.
func LineCol(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		if data[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(data[lineStart:offset]) + 1
}

func parseIndex(tok string) (int, bool) {
	if tok == "" || len(tok) > 9 || (len(tok) > 1 && tok[0] == '0') {
		return 0, false
	}
	n := 0
	for _, c := range []byte(tok) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

type scanner struct {
	data []byte
	i    int
}

func (s *scanner) ws() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// findKey scans the object at s.i for key and returns the start of its last
// value. s.i is left unspecified.
func (s *scanner) findKey(key string) (int, bool) {
	s.i++ // {
	found, at := false, 0
	for depthGuard := 0; depthGuard < len(s.data); depthGuard++ {
		s.ws()
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			break
		}
		k, ok := s.key()
		if !ok {
			break
		}
		s.ws()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			break
		}
		s.i++
		s.ws()
		if k == key {
			found, at = true, s.i
		}
		if !s.skip() {
			break
		}
		s.ws()
		if s.i < len(s.data) && s.data[s.i] == ',' {
			s.i++
			continue
		}
		break
	}
	return at, found
}

func (s *scanner) findIndex(n int) (int, bool) {
	s.i++ // [
	for k := 0; ; k++ {
		s.ws()
		if s.i >= len(s.data) || s.data[s.i] == ']' {
			return 0, false
		}
		if k == n {
			return s.i, true
		}
		if !s.skip() {
			return 0, false
		}
		s.ws()
		if s.i < len(s.data) && s.data[s.i] == ',' {
			s.i++
			continue
		}
		return 0, false
	}
}

// key reads an object key; escaped keys are decoded with the full decoder.
func (s *scanner) key() (string, bool) {
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case '\\':
			escaped = true
			s.i += 2
			continue
		case '"':
			s.i++
			if !escaped {
				return string(s.data[start+1 : s.i-1]), true
			}
			d := decoder{data: s.data, i: start}
			d.lim.fill()
			k, ok := d.str()
			return k, ok
		}
		s.i++
	}
	return "", false
}

// skip moves past one value without building it; nesting is tracked with a
// counter, so depth costs no stack.
func (s *scanner) skip() bool {
	depth := 0
	for s.i < len(s.data) {
		switch c := s.data[s.i]; c {
		case '"':
			s.i++
			for s.i < len(s.data) && s.data[s.i] != '"' {
				if s.data[s.i] == '\\' {
					s.i++
				}
				s.i++
			}
			s.i++
		case '{', '[':
			depth++
			s.i++
		case '}', ']':
			depth--
			s.i++
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return true
			}
			s.i++
		default:
			s.i++
		}
		if depth == 0 {
			// A scalar ends at a delimiter; a container ends here.
			if s.i >= len(s.data) {
				return true
			}
			switch s.data[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return true
			}
			if s.data[s.i-1] == '}' || s.data[s.i-1] == ']' || s.data[s.i-1] == '"' {
				return true
			}
		}
		if depth < 0 {
			return false
		}
	}
	return true
}

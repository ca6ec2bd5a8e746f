package jsontree

import (
	"bytes"
	"sort"
	"strconv"
	"unicode/utf8"
)

// LocateAll is Locate for many pointers in one pass over data, so that a
// large document with many findings costs O(size + findings), not
// O(size × findings). offsets[i] belongs to pointers[i]; a pointer whose
// value does not exist gets its deepest existing ancestor, as with Locate.
func LocateAll(data []byte, pointers []string) []int {
	wanted := make(map[string]bool, len(pointers)*2)
	for _, p := range pointers {
		for q := p; ; q = parentPointer(q) {
			if wanted[q] {
				break
			}
			wanted[q] = true
			if q == "" {
				break
			}
		}
	}
	found := make(map[string]int, len(wanted))
	scanAll(data, wanted, found)
	out := make([]int, len(pointers))
	for i, p := range pointers {
		q := p
		for {
			if off, ok := found[q]; ok {
				out[i] = off
				break
			}
			if q == "" {
				out[i] = 0
				break
			}
			q = parentPointer(q)
		}
	}
	return out
}

func parentPointer(p string) string {
	if i := bytes.LastIndexByte([]byte(p), '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

type frame struct {
	array  bool
	index  int
	ptrLen int // length of the container's own pointer
}

// scanAll walks every value once with an explicit stack (deep input costs
// no Go stack) and records the offsets of the wanted pointers; later
// duplicates overwrite earlier ones, as Decode keeps the last value.
func scanAll(data []byte, wanted map[string]bool, found map[string]int) {
	s := scanner{data: data}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		s.i = 3
	}
	ptr := make([]byte, 0, 256)
	var stack []frame
	record := func() {
		if wanted[string(ptr)] { // no allocation for the lookup
			found[string(ptr)] = s.i
		}
	}
	s.ws()
	for s.i < len(data) {
		// at the start of a value
		record()
		switch data[s.i] {
		case '{':
			stack = append(stack, frame{ptrLen: len(ptr)})
			s.i++
			s.ws()
			if s.i < len(data) && data[s.i] == '}' {
				s.i++
				stack = stack[:len(stack)-1]
				break
			}
			if !s.member(&ptr, len(ptr)) {
				return
			}
			continue
		case '[':
			stack = append(stack, frame{array: true, ptrLen: len(ptr)})
			s.i++
			s.ws()
			if s.i < len(data) && data[s.i] == ']' {
				s.i++
				stack = stack[:len(stack)-1]
				break
			}
			ptr = append(ptr, "/0"...)
			continue
		default:
			if !s.skip() {
				return
			}
		}
		// after a value: close finished containers, move to the next member
		for {
			if len(stack) == 0 {
				return
			}
			top := &stack[len(stack)-1]
			s.ws()
			if s.i >= len(data) {
				return
			}
			c := data[s.i]
			s.i++
			if c == ',' {
				ptr = ptr[:top.ptrLen]
				if top.array {
					top.index++
					ptr = append(ptr, '/')
					ptr = strconv.AppendInt(ptr, int64(top.index), 10)
					s.ws()
				} else if !s.member(&ptr, top.ptrLen) {
					return
				}
				break
			}
			if c == '}' || c == ']' {
				ptr = ptr[:top.ptrLen]
				stack = stack[:len(stack)-1]
				continue
			}
			return // malformed: stop quietly
		}
	}
}

// member reads `"key":` and leaves the scanner at the value, with ptr set
// to the member's pointer.
func (s *scanner) member(ptr *[]byte, base int) bool {
	s.ws()
	if s.i >= len(s.data) || s.data[s.i] != '"' {
		return false
	}
	k, ok := s.key()
	if !ok {
		return false
	}
	s.ws()
	if s.i >= len(s.data) || s.data[s.i] != ':' {
		return false
	}
	s.i++
	s.ws()
	*ptr = append(append((*ptr)[:base], '/'), EscapeToken(k)...)
	return true
}

// Position is a 1-based line and column (in characters).
type Position struct{ Line, Column int }

// LineCols is LineCol for many offsets in one pass.
func LineCols(data []byte, offsets []int) []Position {
	order := make([]int, len(offsets))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return offsets[order[a]] < offsets[order[b]] })
	out := make([]Position, len(offsets))
	// pos only moves forward; runes counts the characters of the current
	// line before pos, so a long single-line document is read once.
	line, pos, runes := 1, 0, 0
	for _, i := range order {
		off := min(max(offsets[i], 0), len(data))
		for pos < off {
			if j := bytes.IndexByte(data[pos:off], '\n'); j >= 0 {
				line++
				pos += j + 1
				runes = 0
			} else {
				runes += utf8.RuneCount(data[pos:off])
				pos = off
			}
		}
		out[i] = Position{line, runes + 1}
	}
	return out
}

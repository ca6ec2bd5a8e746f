package validator

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/xeipuuv/gojsonschema"
)

// The JSON Schema "regex" format means an ECMA-262 regular expression, which
// is what ajv (the spec repository's own CI) checks. gojsonschema checks it
// with Go's RE2 syntax and so falsely rejects lookaheads and backreferences
// that bundle authors legitimately write in their definitions. We register a
// checker that translates the ECMA-only constructs into something RE2 can
// parse before compiling. It answers "is this a valid pattern", never what
// the pattern matches, so the translation only has to keep validity. It is an
// approximation: exotic ECMA syntax RE2 cannot parse even after translation is
// still rejected.
func init() {
	gojsonschema.FormatCheckers.Add("regex", ecmaRegexChecker{})
}

type ecmaRegexChecker struct{}

func (ecmaRegexChecker) IsFormat(input any) bool {
	s, ok := input.(string)
	if !ok {
		return true // formats apply to strings only
	}
	return ValidECMARegex(s)
}

// ValidECMARegex reports whether p is a valid ECMA-262 regular expression
// (approximately; see the note on ecmaRegexChecker).
func ValidECMARegex(p string) bool {
	if v, ok := regexCache.Load(p); ok {
		return v.(bool)
	}
	ok := validECMARegex(p)
	// Bundles of one family repeat the same patterns; compiling a regexp is
	// by far the dearest part of checking a definition, so remember answers
	// (a bounded number, so hostile input cannot grow the cache).
	if regexCacheSize.Add(1) <= 4096 && len(p) <= 1024 {
		regexCache.Store(strings.Clone(p), ok) // p may share the memory of a whole document
	}
	return ok
}

var (
	regexCache     sync.Map
	regexCacheSize atomic.Int64
)

func validECMARegex(p string) bool {
	if strings.Contains(p, `\Z`) { // ajv rejects \Z explicitly: it is not ECMA
		return false
	}
	_, err := regexp.Compile(translateECMA(p))
	return err == nil
}

// goEscapes are the letters RE2 accepts after a backslash.
const goEscapes = "dDwWsSbBfnrtvxpPAzQEaC"

func translateECMA(p string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n == 'u' && i+2 < len(p) && p[i+2] == '{':
				b.WriteString(`\x{`)
				i += 2
			case n == 'u' && i+5 < len(p) && isHex(p[i+2:i+6]):
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
			case n == 'c' && i+2 < len(p):
				b.WriteString(`\x00`)
				i += 2
			case n >= '1' && n <= '9': // backreference
				for i+2 < len(p) && p[i+2] >= '0' && p[i+2] <= '9' {
					i++
				}
				if inClass {
					b.WriteString(`\x00`)
				} else {
					b.WriteString(`(?:)`)
				}
				i++
			case n == 'k' && i+2 < len(p) && p[i+2] == '<': // named backreference
				end := strings.IndexByte(p[i:], '>')
				if end < 0 {
					b.WriteString("k")
					i++
					continue
				}
				b.WriteString(`(?:)`)
				i += end
			case n == '0':
				b.WriteString(`\x00`)
				i++
			case (n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z') && !strings.ContainsRune(goEscapes, rune(n)):
				b.WriteByte(n) // ECMA identity escape
				i++
			default:
				b.WriteByte(c)
				b.WriteByte(n)
				i++
			}
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			switch {
			case strings.HasPrefix(p[i:], "[^]"):
				b.WriteString(`[\s\S]`)
				i += 2
			case strings.HasPrefix(p[i:], "[]"):
				b.WriteString(`[^\s\S]`)
				i++
			default:
				inClass = true
				b.WriteByte(c)
				if strings.HasPrefix(p[i+1:], "^") {
					b.WriteByte('^')
					i++
				}
				if strings.HasPrefix(p[i+1:], "]") { // a literal ] first in a class
					b.WriteString(`\]`)
					i++
				}
			}
		case c == '(' && strings.HasPrefix(p[i:], "(?="), c == '(' && strings.HasPrefix(p[i:], "(?!"):
			b.WriteString("(?:")
			i += 2
		case c == '(' && (strings.HasPrefix(p[i:], "(?<=") || strings.HasPrefix(p[i:], "(?<!")):
			b.WriteString("(?:")
			i += 3
		case c == '(' && strings.HasPrefix(p[i:], "(?") && !strings.HasPrefix(p[i:], "(?:") && !strings.HasPrefix(p[i:], "(?<"):
			// RE2-only group syntax ((?P<n>, (?i), (?s) ...) is not ECMA-262.
			return "("
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

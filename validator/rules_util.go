package validator

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Helpers shared by the semantic and breaking-change rules. They read the
// decoded tree (map[string]any, []any, json.Number, string, bool, nil) without
// copying it, and build JSON pointers only when a finding is reported, so the
// common (valid) path does not allocate.

func asObj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func asArr(v any) []any { a, _ := v.([]any); return a }

func asStr(v any) (string, bool) { s, ok := v.(string); return s, ok }

// ptr joins RFC 6901 reference tokens onto base, escaping "~" and "/".
func ptr(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		if strings.ContainsAny(t, "~/") {
			t = strings.ReplaceAll(t, "~", "~0")
			t = strings.ReplaceAll(t, "/", "~1")
		}
		b.WriteString(t)
	}
	return b.String()
}

func idx(i int) string { return strconv.Itoa(i) }

// bundleKinds are the kinds that hold a bundle: the bundle itself, and a claim
// (whose "bundle" field is a full bundle).
var bundleKinds = []Kind{KindBundle, KindClaim}

// eachBundle calls fn with the bundle object of the document and the pointer
// to it: the root of a bundle, "/bundle" in a claim.
func eachBundle(c *docContext, fn func(b map[string]any, base string)) {
	switch c.Kind {
	case KindBundle:
		if b := asObj(c.Root); b != nil {
			fn(b, "")
		}
	case KindClaim:
		if b := asObj(asObj(c.Root)["bundle"]); b != nil {
			fn(b, "/bundle")
		}
	}
}

// eachEntry calls fn for every object-valued entry of the map at b[key].
// Order does not matter: the pipeline sorts findings by position. The
// members are listed once per document and section (see members): a dozen
// rules walk the same sections, and walking a slice costs far less than
// iterating a map.
func (c *docContext) eachEntry(b map[string]any, key string, fn func(name string, e map[string]any)) {
	for _, e := range c.members(b, key) {
		if e.obj != nil {
			fn(e.name, e.obj)
		}
	}
}

// entry is one member of a section of a bundle; obj is its value when that
// is an object.
type entry struct {
	name string
	val  any
	obj  map[string]any
}

// section is a listed section of bundle b: its members are ents[from:to]
// of the memo.
type section struct {
	b        map[string]any
	from, to int
}

// members lists the members of the object at b[key] (none when it is not
// an object), in the document's memo the first time a rule asks for them,
// so that listing allocates nothing. Each section name the rules use has
// its own slot in the memo; other names, a second bundle, or a memo that
// is full (very large sections) get a list allocated instead.
func (c *docContext) members(b map[string]any, key string) []entry {
	m := &c.memo
	slot := sectionSlot(key)
	if slot >= 0 {
		if s := &m.secs[slot]; s.b != nil {
			if sameMap(s.b, b) {
				return m.ents[s.from:s.to]
			}
			slot = -1 // another bundle: not memoised
		}
	}
	sec := asObj(b[key])
	if slot < 0 || m.nents+len(sec) > len(m.ents) {
		list := make([]entry, 0, len(sec))
		for k, v := range sec {
			list = append(list, entry{k, v, asObj(v)})
		}
		return list
	}
	from := m.nents
	for k, v := range sec {
		m.ents[m.nents] = entry{k, v, asObj(v)}
		m.nents++
	}
	m.secs[slot] = section{b: b, from: from, to: m.nents}
	return m.ents[from:m.nents]
}

// sectionSlot is the memo slot of a bundle section, or -1.
func sectionSlot(key string) int {
	switch key {
	case "images":
		return 0
	case "parameters":
		return 1
	case "credentials":
		return 2
	case "outputs":
		return 3
	case "definitions":
		return 4
	case "actions":
		return 5
	case "custom":
		return 6
	}
	return -1
}

// sameMap reports whether a and b are the same map (maps have no ==).
func sameMap(a, b map[string]any) bool {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a)) == *(*unsafe.Pointer)(unsafe.Pointer(&b))
}

// loc names an entry of a bundle section (an image, a parameter, a
// definition) without building its pointer: the pointer is only needed when
// a finding is reported, and loc is passed by value, so the common path does
// not allocate.
type loc struct{ base, section, key string }

func (l loc) String() string { return ptr(l.base, l.section, l.key) }

// eachImage calls fn for every invocation image and every image of bundle b.
func (c *docContext) eachImage(b map[string]any, base string, fn func(img map[string]any, p loc)) {
	for i, v := range asArr(b["invocationImages"]) {
		if img := asObj(v); img != nil {
			fn(img, loc{base, "invocationImages", idx(i)})
		}
	}
	c.eachEntry(b, "images", func(name string, img map[string]any) {
		fn(img, loc{base, "images", name})
	})
}

// builtinActions are the actions every tool supports (B-101-38).
func isBuiltinAction(s string) bool {
	return s == "install" || s == "upgrade" || s == "uninstall"
}

// isSemVer reports whether s is a SemVer 2.0.0 version (no "v" prefix).
func isSemVer(s string) bool {
	core, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !semverIdents(build, false) {
		return false
	}
	core, pre, hasPre := strings.Cut(core, "-")
	if hasPre && !semverIdents(pre, true) {
		return false
	}
	for i := 0; i < 3; i++ {
		var part string
		if i < 2 {
			var ok bool
			part, core, ok = strings.Cut(core, ".")
			if !ok {
				return false
			}
		} else {
			part = core
		}
		if !numericIdent(part) {
			return false
		}
	}
	return true
}

// numericIdent: digits only, no leading zero.
func numericIdent(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// semverIdents checks dot-separated identifiers of [0-9A-Za-z-]; numeric
// pre-release identifiers may not have leading zeros.
func semverIdents(s string, pre bool) bool {
	for {
		id, rest, more := strings.Cut(s, ".")
		if id == "" {
			return false
		}
		allDigits := true
		for i := 0; i < len(id); i++ {
			ch := id[i]
			switch {
			case ch >= '0' && ch <= '9':
			case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch == '-':
				allDigits = false
			default:
				return false
			}
		}
		if pre && allDigits && len(id) > 1 && id[0] == '0' {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// isULID reports whether s is a ULID: 26 Crockford base32 characters
// (case-insensitive), the first at most '7' so the timestamp fits 48 bits.
func isULID(s string) bool {
	if len(s) != 26 || s[0] < '0' || s[0] > '7' {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		switch {
		case ch >= '0' && ch <= '9':
		case ch >= 'A' && ch <= 'Z' && ch != 'I' && ch != 'L' && ch != 'O' && ch != 'U':
		default:
			return false
		}
	}
	return true
}

// isRFC3339 reports whether s is an RFC 3339 date-time (the ECMAScript
// date-time string format is a subset).
func isRFC3339(s string) bool {
	if len(s) < 20 || s[10] != 'T' {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// isGraphic reports whether s is valid UTF-8 made only of Unicode graphic
// characters (letters, marks, numbers, punctuation, symbols, spaces).
func isGraphic(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		if r < utf8.RuneSelf {
			if r < 0x20 || r == 0x7f {
				return false
			}
		} else if !unicode.IsGraphic(r) {
			return false
		}
		i += n
	}
	return true
}

// isDottedName reports whether s is a dotted name as spec 101 defines it: at
// least one dot, every component non-empty and made of Unicode letters and
// "-" only.
func isDottedName(s string) bool {
	if s == "" {
		return false
	}
	dots, compLen := 0, 0
	for _, r := range s {
		switch {
		case r == '.':
			if compLen == 0 {
				return false
			}
			dots++
			compLen = 0
		case r == '-' || unicode.IsLetter(r):
			compLen++
		default:
			return false
		}
	}
	return dots > 0 && compLen > 0
}

// isPOSIXName reports whether s looks like a POSIX environment variable
// name: letters, digits and underscores (spec 101 allows a leading digit).
func isPOSIXName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch == '_' || ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z') {
			return false
		}
	}
	return true
}

// digestProblem returns what is wrong with an OCI digest string, or "".
// lowerHex marks 0-9 and a-f: one load per character of a digest.
var lowerHex = func() (t [256]bool) {
	for _, c := range "0123456789abcdef" {
		t[c] = true
	}
	return t
}()

func digestProblem(s string) string {
	alg, enc, ok := strings.Cut(s, ":")
	if !ok {
		return "is not of the form algorithm:encoded"
	}
	if alg == "" || enc == "" {
		return "has an empty algorithm or encoded part"
	}
	want := 0
	switch alg {
	case "sha256":
		want = 64
	case "sha512":
		want = 128
	}
	if want > 0 {
		if len(enc) != want {
			return "is a " + alg + " digest of " + strconv.Itoa(len(enc)) + " characters; want " + strconv.Itoa(want) + " lowercase hex digits"
		}
		for i := 0; i < len(enc); i++ {
			if !lowerHex[enc[i]] {
				return "is a " + alg + " digest with characters outside lowercase hex"
			}
		}
		return ""
	}
	// algorithm: components of [a-z0-9] separated by one of + . _ -
	prevSep := true
	for i := 0; i < len(alg); i++ {
		ch := alg[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9':
			prevSep = false
		case ch == '+' || ch == '.' || ch == '_' || ch == '-':
			if prevSep {
				return "has a malformed algorithm " + strconv.Quote(alg)
			}
			prevSep = true
		default:
			return "has a malformed algorithm " + strconv.Quote(alg)
		}
	}
	if prevSep {
		return "has a malformed algorithm " + strconv.Quote(alg)
	}
	for i := 0; i < len(enc); i++ {
		ch := enc[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '=' || ch == '_' || ch == '-') {
			return "has characters outside [a-zA-Z0-9=_-] in its encoded part"
		}
	}
	return ""
}

// jsonNumberIsInteger reports whether n is written as an integer (no
// fraction or exponent), the form canonical JSON <= 1.1 allows.
func jsonNumberIsInteger(n json.Number) bool {
	return !strings.ContainsAny(string(n), ".eE")
}

// quote is strconv.Quote, named for the messages.
func quote(s string) string { return strconv.Quote(s) }

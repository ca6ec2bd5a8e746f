package fastschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"
)

// Verdict is the answer of Check.
type Verdict int

// Verdicts. Unsure means "ask gojsonschema".
const (
	Valid Verdict = iota
	Invalid
	Unsure
)

type typeSet uint8

const (
	tNull typeSet = 1 << iota
	tBool
	tInt
	tNum
	tStr
	tArr
	tObj
)

var typeNames = map[string]typeSet{"null": tNull, "boolean": tBool, "integer": tInt, "number": tNum, "string": tStr, "array": tArr, "object": tObj}

type node struct {
	pass, fail bool  // boolean schemas
	ref        *node // $ref: siblings are ignored, as in gojsonschema
	refURL     string
	types      typeSet // 0 = untyped

	props     map[string]*node
	propList  []propNode // props again, for objects checked from the schema side
	patProps  []patNode
	addlFalse bool
	addl      *node
	required  []string
	minProps  int
	maxProps  int
	propNames *node
	items     *node
	minItems  int
	maxItems  int
	unique    bool
	minLen    int
	maxLen    int
	pattern   *regexp.Regexp
	format    string
	enum      []string
	hasEnum   bool
	minimum   *big.Rat
	maximum   *big.Rat
	exclMin   *big.Rat
	exclMax   *big.Rat
	anyOf     []*node
	allOf     []*node
	oneOf     []*node
	not       *node
}

type propNode struct {
	name string
	n    *node
}

type patNode struct {
	re *regexp.Regexp
	n  *node
}

// Schema is a compiled schema. It is immutable and safe for concurrent use.
type Schema struct{ root *node }

// Docs resolves absolute document URLs (without fragment) to decoded schema
// documents (decoded with json.Number numbers).
type Docs map[string]any

// Compile compiles the document at url (which must be in docs).
func Compile(docs Docs, rootURL string) (s *Schema, err error) {
	c := compiler{docs: docs, done: map[string]*node{}}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("fastschema: %v", r)
		}
	}()
	base := strings.TrimSuffix(rootURL, "#")
	doc, ok := docs[base]
	if !ok {
		return nil, fmt.Errorf("fastschema: %s not loaded", rootURL)
	}
	root := c.compile(doc, base, base+"#")
	// Resolving a ref may compile more nodes and queue more refs.
	for i := 0; i < len(c.pending); i++ {
		n := c.pending[i]
		target := c.done[n.refURL]
		if target == nil {
			t, err := c.resolve(n.refURL)
			if err != nil {
				return nil, err
			}
			target = t
		}
		n.ref = target
	}
	// Point every child straight at the end of its $ref chain: a check then
	// costs no call per reference. Cycles of pure references (which mean
	// nothing) are left alone.
	seen := map[*node]bool{}
	var flatten func(n *node) *node
	resolve := func(n *node) *node {
		for i := 0; n != nil && n.ref != nil && i < 64; i++ {
			n = n.ref
		}
		return n
	}
	flatten = func(n *node) *node {
		n = resolve(n)
		if n == nil || seen[n] {
			return n
		}
		seen[n] = true
		for k, p := range n.props {
			n.props[k] = flatten(p)
		}
		for i := range n.propList {
			n.propList[i].n = flatten(n.propList[i].n)
		}
		for i := range n.patProps {
			n.patProps[i].n = flatten(n.patProps[i].n)
		}
		for _, list := range [][]*node{n.anyOf, n.allOf, n.oneOf} {
			for i := range list {
				list[i] = flatten(list[i])
			}
		}
		n.addl = flatten(n.addl)
		n.propNames = flatten(n.propNames)
		n.items = flatten(n.items)
		n.not = flatten(n.not)
		return n
	}
	root = flatten(root)
	return &Schema{root: root}, nil
}

type compiler struct {
	docs    Docs
	done    map[string]*node // by canonical location url#pointer
	pending []*node
}

func (c *compiler) resolve(ref string) (*node, error) {
	docURL, frag, _ := strings.Cut(ref, "#")
	doc, ok := c.docs[docURL]
	if !ok {
		return nil, fmt.Errorf("fastschema: unresolved $ref %s", ref)
	}
	v := doc
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("fastschema: unresolved $ref %s", ref)
			}
			if v, ok = m[tok]; !ok {
				return nil, fmt.Errorf("fastschema: unresolved $ref %s", ref)
			}
		}
	}
	loc := docURL + "#" + frag
	if n := c.done[loc]; n != nil {
		return n, nil
	}
	return c.compile(v, docURL, loc), nil
}

var ignored = map[string]bool{
	"$id": true, "$schema": true, "$comment": true, "title": true, "description": true, "default": true,
	"examples": true, "readOnly": true, "writeOnly": true, "definitions": true, "$defs": true,
	"contentMediaType": true, "contentEncoding": true,
}

func (c *compiler) compile(v any, base, loc string) *node {
	if b, ok := v.(bool); ok {
		n := &node{pass: b, fail: !b}
		c.done[loc] = n
		return n
	}
	m, ok := v.(map[string]any)
	if !ok {
		panic(fmt.Sprintf("schema at %s is not an object", loc))
	}
	n := &node{minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLen: -1, maxLen: -1}
	c.done[loc] = n
	if id, ok := m["$id"].(string); ok && loc != base+"#" {
		// Nested $id changes the base; our schemas do not do this.
		panic("nested $id " + id)
	}
	if r, ok := m["$ref"].(string); ok {
		u, err := url.Parse(base)
		if err != nil {
			panic(err)
		}
		rr, err := url.Parse(r)
		if err != nil {
			panic(err)
		}
		abs := u.ResolveReference(rr).String()
		if !strings.Contains(abs, "#") {
			abs += "#"
		}
		n.refURL = abs
		c.pending = append(c.pending, n)
		return n
	}
	for k, kv := range m {
		sub := func(name string, x any) *node { return c.compile(x, base, loc+"/"+name) }
		switch k {
		case "type":
			switch t := kv.(type) {
			case string:
				n.types |= mustType(t)
			case []any:
				for _, e := range t {
					s, _ := e.(string)
					n.types |= mustType(s)
				}
			default:
				panic("bad type")
			}
		case "properties":
			n.props = map[string]*node{}
			for pk, pv := range kv.(map[string]any) {
				n.props[pk] = sub("properties/"+escape(pk), pv)
				n.propList = append(n.propList, propNode{pk, n.props[pk]})
			}
		case "patternProperties":
			for pk, pv := range kv.(map[string]any) {
				n.patProps = append(n.patProps, patNode{re: regexp.MustCompile(pk), n: sub("patternProperties/"+escape(pk), pv)})
			}
		case "additionalProperties":
			if b, ok := kv.(bool); ok {
				n.addlFalse = !b
			} else {
				n.addl = sub(k, kv)
			}
		case "required":
			for _, e := range kv.([]any) {
				n.required = append(n.required, e.(string))
			}
		case "minProperties":
			n.minProps = mustInt(kv)
		case "maxProperties":
			n.maxProps = mustInt(kv)
		case "propertyNames":
			n.propNames = sub(k, kv)
		case "items":
			if _, isArr := kv.([]any); isArr {
				panic("tuple items unsupported")
			}
			n.items = sub(k, kv)
		case "minItems":
			n.minItems = mustInt(kv)
		case "maxItems":
			n.maxItems = mustInt(kv)
		case "uniqueItems":
			n.unique = kv.(bool)
		case "minLength":
			n.minLen = mustInt(kv)
		case "maxLength":
			n.maxLen = mustInt(kv)
		case "pattern":
			n.pattern = regexp.MustCompile(kv.(string))
		case "format":
			n.format = kv.(string)
		case "enum":
			n.hasEnum = true
			for _, e := range kv.([]any) {
				s, ok := e.(string)
				if !ok {
					panic("non-string enum unsupported")
				}
				n.enum = append(n.enum, s)
			}
		case "minimum":
			n.minimum = mustRat(kv)
		case "maximum":
			n.maximum = mustRat(kv)
		case "exclusiveMinimum":
			n.exclMin = mustRat(kv)
		case "exclusiveMaximum":
			n.exclMax = mustRat(kv)
		case "anyOf", "allOf", "oneOf":
			var list []*node
			for i, e := range kv.([]any) {
				list = append(list, sub(fmt.Sprintf("%s/%d", k, i), e))
			}
			switch k {
			case "anyOf":
				n.anyOf = list
			case "allOf":
				n.allOf = list
			default:
				n.oneOf = list
			}
		case "not":
			n.not = sub(k, kv)
		default:
			if !ignored[k] {
				panic("unsupported keyword " + k)
			}
		}
	}
	return n
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func mustType(s string) typeSet {
	t, ok := typeNames[s]
	if !ok {
		panic("unknown type " + s)
	}
	return t
}

func mustInt(v any) int {
	n, ok := v.(json.Number)
	if !ok {
		panic("not a number")
	}
	i, err := n.Int64()
	if err != nil || i < 0 {
		panic("not a non-negative integer")
	}
	return int(i)
}

func mustRat(v any) *big.Rat {
	n, ok := v.(json.Number)
	if !ok {
		panic("not a number")
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		panic("bad number")
	}
	return r
}

// Check answers whether doc is valid. doc must use the shapes jsontree
// produces (map[string]any, []any, json.Number, string, bool, nil).
func (s *Schema) Check(doc any) Verdict { return check(s.root, doc) }

func combine(a, b Verdict) Verdict {
	if a == Invalid || b == Invalid {
		return Invalid
	}
	if a == Unsure || b == Unsure {
		return Unsure
	}
	return Valid
}

func check(n *node, v any) Verdict {
	if n.ref != nil {
		return check(n.ref, v)
	}
	if n.pass {
		return Valid
	}
	if n.fail {
		return Invalid
	}
	out := Valid
	switch x := v.(type) {
	case nil:
		if n.types != 0 && n.types&tNull == 0 {
			return Invalid
		}
	case bool:
		if n.types != 0 && n.types&tBool == 0 {
			return Invalid
		}
	case string:
		if n.types != 0 && n.types&tStr == 0 {
			return Invalid
		}
		if out = checkString(n, x, v); out == Invalid {
			return out
		}
	case json.Number:
		if n.types != 0 {
			ok := n.types&tNum != 0
			if !ok && n.types&tInt != 0 {
				isInt, sure := isInteger(x)
				if !sure {
					return Unsure
				}
				ok = isInt
			}
			if !ok {
				return Invalid
			}
		}
		if n.minimum != nil || n.maximum != nil || n.exclMin != nil || n.exclMax != nil || n.format != "" {
			out = checkNumber(n, x)
			if out == Invalid {
				return out
			}
		}
	case []any:
		if n.types != 0 && n.types&tArr == 0 {
			return Invalid
		}
		if out = checkArray(n, x); out == Invalid {
			return out
		}
	case map[string]any:
		if n.types != 0 && n.types&tObj == 0 {
			return Invalid
		}
		if out = checkObject(n, x); out == Invalid {
			return out
		}
	default:
		return Unsure
	}
	if n.hasEnum {
		s, ok := v.(string)
		if !ok {
			switch v.(type) {
			case bool, nil:
				return Invalid // never equal to a string entry
			}
			return combine(out, Unsure)
		}
		found := false
		for _, e := range n.enum {
			if e == s {
				found = true
				break
			}
		}
		if !found {
			return Invalid
		}
	}
	for _, sub := range n.allOf {
		if out = combine(out, check(sub, v)); out == Invalid {
			return out
		}
	}
	if len(n.anyOf) > 0 {
		any := Invalid
		for _, sub := range n.anyOf {
			r := check(sub, v)
			if r == Valid {
				any = Valid
				break
			}
			if r == Unsure {
				any = Unsure
			}
		}
		if out = combine(out, any); out == Invalid {
			return out
		}
	}
	if len(n.oneOf) > 0 {
		valid, unsure := 0, 0
		for _, sub := range n.oneOf {
			switch check(sub, v) {
			case Valid:
				valid++
			case Unsure:
				unsure++
			}
		}
		switch {
		case unsure > 0:
			out = combine(out, Unsure)
		case valid != 1:
			return Invalid
		}
	}
	if n.not != nil {
		switch check(n.not, v) {
		case Valid:
			return Invalid
		case Unsure:
			out = combine(out, Unsure)
		}
	}
	return out
}

// isInteger mirrors gojsonschema: a number is an integer when its exact
// value is integral (so 1.0 and 1e2 are integers).
func isInteger(n json.Number) (isInt, sure bool) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return true, true
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return false, false
	}
	return r.IsInt(), true
}

func checkNumber(n *node, x json.Number) Verdict {
	if n.format != "" {
		return Unsure
	}
	r, ok := new(big.Rat).SetString(string(x))
	if !ok {
		return Unsure
	}
	if n.minimum != nil && r.Cmp(n.minimum) < 0 {
		return Invalid
	}
	if n.maximum != nil && r.Cmp(n.maximum) > 0 {
		return Invalid
	}
	if n.exclMin != nil && r.Cmp(n.exclMin) <= 0 {
		return Invalid
	}
	if n.exclMax != nil && r.Cmp(n.exclMax) >= 0 {
		return Invalid
	}
	return Valid
}

// checkString checks s, which is also given boxed as v: format checkers
// take an interface value, and passing the one the tree already holds saves
// boxing s again.
func checkString(n *node, s string, v any) Verdict {
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := utf8.RuneCountInString(s)
		if n.minLen >= 0 && l < n.minLen || n.maxLen >= 0 && l > n.maxLen {
			return Invalid
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return Invalid
	}
	if n.format != "" && !gojsonschema.FormatCheckers.IsFormat(n.format, v) {
		return Invalid
	}
	return Valid
}

func checkArray(n *node, a []any) Verdict {
	if n.minItems >= 0 && len(a) < n.minItems || n.maxItems >= 0 && len(a) > n.maxItems {
		return Invalid
	}
	out := Valid
	if n.unique && len(a) > 1 && len(a) <= 16 {
		// Short arrays (keyword lists): compare pairwise, no allocation.
		for i, e := range a {
			switch e.(type) {
			case string, bool, nil:
			default:
				out = Unsure // numbers and containers: left to gojsonschema
				continue
			}
			for _, f := range a[:i] {
				if f == e { // same dynamic type and value
					return Invalid
				}
			}
		}
	} else if n.unique && len(a) > 1 {
		seen := make(map[string]struct{}, len(a))
		for _, e := range a {
			var key string
			switch x := e.(type) {
			case string:
				key = "s" + x
			case bool:
				key = fmt.Sprint("b", x)
			case nil:
				key = "n"
			default:
				// numbers and containers: gojsonschema compares re-marshalled
				// float forms; leave it to gojsonschema.
				out = Unsure
				continue
			}
			if _, dup := seen[key]; dup {
				return Invalid
			}
			seen[key] = struct{}{}
		}
	}
	if n.items != nil {
		for _, e := range a {
			if out = combine(out, check(n.items, e)); out == Invalid {
				return out
			}
		}
	}
	return out
}

func checkObject(n *node, m map[string]any) Verdict {
	if n.minProps >= 0 && len(m) < n.minProps || n.maxProps >= 0 && len(m) > n.maxProps {
		return Invalid
	}
	for _, r := range n.required {
		if _, ok := m[r]; !ok {
			return Invalid
		}
	}
	out := Valid
	// An open object (only "properties") can be checked from the schema's
	// side: a few lookups cost less than iterating the document's map, when
	// the schema names few properties.
	if !n.addlFalse && n.addl == nil && len(n.patProps) == 0 && n.propNames == nil && len(n.propList) <= 2*len(m) {
		for _, p := range n.propList {
			if v, ok := m[p.name]; ok {
				if out = combine(out, check(p.n, v)); out == Invalid {
					return out
				}
			}
		}
		return out
	}
	// A closed object (properties and additionalProperties false) likewise:
	// every member is valid when each property the schema names is checked
	// and they account for all the members. The verdict is the same as the
	// loop's below: an unknown member makes the object Invalid either way.
	if n.addlFalse && len(n.patProps) == 0 && n.propNames == nil && len(n.propList) <= 2*len(m) {
		found := 0
		for _, p := range n.propList {
			if v, ok := m[p.name]; ok {
				found++
				if out = combine(out, check(p.n, v)); out == Invalid {
					return out
				}
			}
		}
		if found != len(m) {
			return Invalid
		}
		return out
	}
	for k, v := range m {
		matched := false
		if p, ok := n.props[k]; ok {
			matched = true
			if out = combine(out, check(p, v)); out == Invalid {
				return out
			}
		}
		for _, pp := range n.patProps {
			if pp.re.MatchString(k) {
				matched = true
				if out = combine(out, check(pp.n, v)); out == Invalid {
					return out
				}
			}
		}
		if !matched {
			if n.addlFalse {
				return Invalid
			}
			if n.addl != nil {
				if out = combine(out, check(n.addl, v)); out == Invalid {
					return out
				}
			}
		}
		if n.propNames != nil {
			if out = combine(out, check(n.propNames, k)); out == Invalid {
				return out
			}
		}
	}
	return out
}

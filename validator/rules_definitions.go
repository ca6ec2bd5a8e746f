package validator

import (
	"encoding/json"
	"hash/maphash"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"
)

// Semantic rules on definitions: references to them and their defaults
// (spec 101).

func init() {
	addRule(docRule{ID: "B-101-20", Kinds: bundleKinds, Check: checkDefaults})
	addRule(docRule{ID: "B-101-24", Kinds: bundleKinds, Check: checkDefinitionRefs})
}

// checkDefinitionRefs: parameters and outputs name an existing definition
// (B-101-24). A dangling name passes the schema.
func checkDefinitionRefs(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		defs := asObj(b["definitions"])
		for _, section := range [...]string{"parameters", "outputs"} {
			c.eachEntry(b, section, func(name string, e map[string]any) {
				d, ok := asStr(e["definition"])
				if !ok || hasKey(defs, d) {
					return
				}
				c.Report(ptr(base, section, name, "definition"), "B-101-24",
					section[:len(section)-1]+" "+quote(name)+" names definition "+quote(d)+", which is not in definitions",
					"add "+quote(d)+" to definitions, or name one of the existing definitions")
			})
		}
	})
}

// checkDefaults: a definition's default validates against the definition
// itself (B-101-20). Simple definitions (type, bounds, lengths, scalar enums,
// annotations) are checked by hand; anything else is compiled once per
// distinct definition with gojsonschema and cached.
func checkDefaults(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "definitions", func(name string, def map[string]any) {
			dflt, ok := def["default"]
			if !ok {
				return
			}
			problem, handled := quickDefaultProblem(def, dflt)
			if !handled {
				problem = schemaDefaultProblem(def, dflt)
			}
			if problem == "" {
				return
			}
			c.Report(ptr(base, "definitions", name, "default"), "B-101-20",
				"the default of definition "+quote(name)+" does not validate against the definition: "+problem,
				"change the default so that it satisfies the definition, or remove it")
		})
	})
}

// isQuickKey: the keywords quickDefaultProblem understands; a definition
// with any other keyword goes to gojsonschema.
func isQuickKey(k string) bool {
	switch k {
	case "type", "default", "enum", "const",
		"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
		"minLength", "maxLength",
		"title", "description", "$comment", "readOnly", "writeOnly",
		"contentEncoding", "contentMediaType", "examples":
		return true
	}
	return false
}

// quickDefaultProblem validates v against a simple definition by hand, with
// draft-07 semantics. handled is false when the definition is not simple.
func quickDefaultProblem(def map[string]any, v any) (problem string, handled bool) {
	// The walk over the keys also notes the bounds present, so that the
	// (usually absent) bound keywords below are not looked up one by one.
	hasBounds, hasLengths := false, false
	for k := range def {
		if !isQuickKey(k) {
			return "", false
		}
		switch k {
		case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
			hasBounds = true
		case "minLength", "maxLength":
			hasLengths = true
		}
	}
	if t, ok := def["type"]; ok {
		switch t := t.(type) {
		case string:
			if !jsonTypeIs(v, t) {
				return "it is " + jsonTypeName(v) + ", not " + t, true
			}
		case []any:
			match := false
			for _, x := range t {
				s, ok := x.(string)
				if !ok {
					return "", false
				}
				if jsonTypeIs(v, s) {
					match = true
				}
			}
			if !match {
				return "its type " + jsonTypeName(v) + " is not one of the allowed types", true
			}
		default:
			return "", false
		}
	}
	if e, ok := def["enum"]; ok {
		list, ok := e.([]any)
		if !ok {
			return "", false
		}
		found := false
		for _, x := range list {
			eq, ok := scalarEqual(x, v)
			if !ok {
				return "", false
			}
			if eq {
				found = true
				break
			}
		}
		if !found {
			return "it is not one of the enum values", true
		}
	}
	if cv, ok := def["const"]; ok {
		eq, ok := scalarEqual(cv, v)
		if !ok {
			return "", false
		}
		if !eq {
			return "it is not the const value", true
		}
	}
	if n, ok := v.(json.Number); ok {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return "", false
		}
		for _, kw := range [...]string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} {
			if !hasBounds {
				break
			}
			raw, ok := def[kw]
			if !ok {
				continue
			}
			bn, ok := raw.(json.Number)
			if !ok {
				return "", false
			}
			bound, err := strconv.ParseFloat(string(bn), 64)
			if err != nil {
				return "", false
			}
			var bad bool
			switch kw {
			case "minimum":
				bad = f < bound
			case "maximum":
				bad = f > bound
			case "exclusiveMinimum":
				bad = f <= bound
			case "exclusiveMaximum":
				bad = f >= bound
			}
			if bad {
				return "it is " + string(n) + ", outside " + kw + " " + string(bn), true
			}
		}
	}
	if s, ok := v.(string); ok && hasLengths {
		for _, kw := range [...]string{"minLength", "maxLength"} {
			raw, ok := def[kw]
			if !ok {
				continue
			}
			bn, ok := raw.(json.Number)
			if !ok {
				return "", false
			}
			limit, err := strconv.Atoi(string(bn))
			if err != nil {
				return "", false
			}
			l := utf8.RuneCountInString(s)
			if kw == "minLength" && l < limit || kw == "maxLength" && l > limit {
				return "its length " + strconv.Itoa(l) + " breaks " + kw + " " + string(bn), true
			}
		}
	}
	return "", true
}

func jsonTypeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if numberIsIntegral(v) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "unknown"
}

func jsonTypeIs(v any, t string) bool {
	got := jsonTypeName(v)
	return got == t || (t == "number" && got == "integer")
}

// numberIsIntegral: draft-06+ counts 1.0 as an integer.
func numberIsIntegral(n json.Number) bool {
	if jsonNumberIsInteger(n) {
		return true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return err == nil && !math.IsInf(f, 0) && f == math.Trunc(f)
}

// scalarEqual compares two JSON scalars; ok is false for objects and arrays.
func scalarEqual(a, b any) (eq, ok bool) {
	switch a := a.(type) {
	case nil:
		return b == nil, true
	case bool:
		if _, isMap := b.(map[string]any); isMap {
			return false, true
		}
		bb, isBool := b.(bool)
		return isBool && a == bb, true
	case string:
		bs, isStr := b.(string)
		return isStr && a == bs, true
	case json.Number:
		bn, isNum := b.(json.Number)
		if !isNum {
			return false, true
		}
		if a == bn {
			return true, true
		}
		ra, ok1 := new(big.Rat).SetString(string(a))
		rb, ok2 := new(big.Rat).SetString(string(bn))
		if !ok1 || !ok2 {
			return false, false
		}
		return ra.Cmp(rb) == 0, true
	}
	return false, false
}

// Verdicts of the gojsonschema path, keyed by a 128-bit hash of the
// definition (which holds the default). Hashing the decoded tree costs no
// allocation, so a bundle seen before (or a definition shared by many
// bundles) is answered without marshalling or validating anything. The cache
// is bounded so a stream of distinct definitions cannot grow memory without
// limit; past the bound, verdicts are computed and dropped.
var (
	// A sync.Map: reads (almost every lookup) take no lock, so two workers
	// checking definitions do not bounce a mutex between their cores.
	defVerdicts     sync.Map // [2]uint64 -> string
	defVerdictCount atomic.Int64
	hashSeeds       = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
)

const defVerdictCacheMax = 4096

// schemaDefaultProblem validates v against def with gojsonschema. A
// definition that does not compile, or that uses $ref (which would point
// outside the definition, or at the network), is the schema layer's business
// and gives no finding here.
func schemaDefaultProblem(def map[string]any, v any) string {
	// def normally holds v as its default already; hashing v as well keeps
	// the cache right for any caller.
	ka, kb := treeHash(def, 0)
	va, vb := treeHash(v, 0)
	key := [2]uint64{ka ^ mix64(va+0x7), kb ^ mix64(vb+0x7)}
	if verdict, ok := defVerdicts.Load(key); ok {
		return verdict.(string)
	}
	verdict := computeDefaultProblem(def, v)
	if defVerdictCount.Add(1) <= defVerdictCacheMax {
		defVerdicts.Store(key, verdict)
	}
	return verdict
}

func computeDefaultProblem(def map[string]any, v any) (problem string) {
	if hasRef(def, 0) {
		return ""
	}
	// gojsonschema panics on some malformed schemas (a "type" array holding
	// a number, for one). A malformed definition is the schema layer's
	// finding (B-101-19), not this rule's.
	defer func() {
		if recover() != nil {
			problem = ""
		}
	}()
	raw, err := json.Marshal(def)
	if err != nil {
		return ""
	}
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	schema, err := sl.Compile(gojsonschema.NewBytesLoader(raw))
	if err != nil {
		return ""
	}
	res, err := schema.Validate(gojsonschema.NewGoLoader(v))
	if err != nil || res.Valid() {
		return ""
	}
	errs := res.Errors()
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Description())
	}
	return strings.Join(msgs, "; ")
}

// treeHash hashes a decoded JSON tree twice (two seeds) in one walk.
// Object members are combined with a commutative sum, so key order does not
// matter and nothing is sorted.
func treeHash(v any, depth int) (uint64, uint64) {
	if depth > 64 {
		return 0x5bd1e995, 0x5bd1e995
	}
	switch v := v.(type) {
	case nil:
		return 0x9e3779b97f4a7c15, 0x9e3779b97f4a7c15
	case bool:
		if v {
			return 0xbf58476d1ce4e5b9, 0xbf58476d1ce4e5b9
		}
		return 0x94d049bb133111eb, 0x94d049bb133111eb
	case string:
		return mix64(maphash.String(hashSeeds[0], v) ^ 0x1), mix64(maphash.String(hashSeeds[1], v) ^ 0x1)
	case json.Number:
		return mix64(maphash.String(hashSeeds[0], string(v)) ^ 0x2), mix64(maphash.String(hashSeeds[1], string(v)) ^ 0x2)
	case []any:
		a := uint64(0x3) + uint64(len(v))
		b := a
		for _, x := range v {
			xa, xb := treeHash(x, depth+1)
			a, b = mix64(a^xa), mix64(b^xb)
		}
		return a, b
	case map[string]any:
		var a, b uint64
		for k, x := range v {
			xa, xb := treeHash(x, depth+1)
			a += mix64(maphash.String(hashSeeds[0], k) ^ mix64(xa+0x4))
			b += mix64(maphash.String(hashSeeds[1], k) ^ mix64(xb+0x4))
		}
		n := uint64(len(v))<<8 ^ 0x5
		return mix64(a ^ n), mix64(b ^ n)
	}
	return 0x6, 0x6
}

// mix64 is the splitmix64 finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// hasRef reports whether a schema fragment uses $ref anywhere (bounded depth).
func hasRef(v any, depth int) bool {
	if depth > 64 {
		return true
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == "$ref" || hasRef(x, depth+1) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasRef(x, depth+1) {
				return true
			}
		}
	}
	return false
}

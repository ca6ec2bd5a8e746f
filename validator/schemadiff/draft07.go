package schemadiff

import (
	"encoding/json"
	"net/url"
	"sync"
)

// The JSON Schema draft-07 meta-schema, which CNAB 1.2+ bundle schemas $ref
// for their "definitions" (spec PR #414) and which gojsonschema serves
// without the network. It is built here from the keyword list of the
// draft-07 specification (validation vocabulary and the types of each
// keyword's value), in the shape the validator's schema engine uses, so that
// diffs against the integer-only definitions.schema.json of spec 1.0-1.1 show
// exactly what changed.
var (
	draft07Once sync.Once
	draft07     *file
)

func draft07File() *file {
	draft07Once.Do(func() {
		u, _ := url.Parse("http://json-schema.org/draft-07/schema#")
		draft07 = &file{name: "http://json-schema.org/draft-07/schema", base: u, root: buildDraft07()}
	})
	return draft07
}

func buildDraft07() any {
	type m = map[string]any
	num := func(n int) json.Number { return json.Number(map[int]string{0: "0", 1: "1"}[n]) }
	self := m{"$ref": "#"}
	ref := func(name string) m { return m{"$ref": "#/definitions/" + name} }
	typ := func(t string) m { return m{"type": t} }
	objOf := func() m { return m{"type": "object", "additionalProperties": self, "default": m{}} }

	props := m{
		"$id":                  m{"type": "string", "format": "uri-reference"},
		"$schema":              m{"type": "string", "format": "uri"},
		"$ref":                 m{"type": "string", "format": "uri-reference"},
		"$comment":             typ("string"),
		"title":                typ("string"),
		"description":          typ("string"),
		"default":              true,
		"readOnly":             m{"type": "boolean", "default": false},
		"examples":             m{"type": "array", "items": true},
		"multipleOf":           m{"type": "number", "exclusiveMinimum": num(0)},
		"maximum":              typ("number"),
		"exclusiveMaximum":     typ("number"),
		"minimum":              typ("number"),
		"exclusiveMinimum":     typ("number"),
		"maxLength":            ref("nonNegativeInteger"),
		"minLength":            ref("nonNegativeIntegerDefault0"),
		"pattern":              m{"type": "string", "format": "regex"},
		"additionalItems":      self,
		"items":                m{"anyOf": []any{self, ref("schemaArray")}, "default": true},
		"maxItems":             ref("nonNegativeInteger"),
		"minItems":             ref("nonNegativeIntegerDefault0"),
		"uniqueItems":          m{"type": "boolean", "default": false},
		"contains":             self,
		"maxProperties":        ref("nonNegativeInteger"),
		"minProperties":        ref("nonNegativeIntegerDefault0"),
		"required":             ref("stringArray"),
		"additionalProperties": self,
		"definitions":          objOf(),
		"properties":           objOf(),
		"patternProperties":    m{"type": "object", "additionalProperties": self, "propertyNames": m{"format": "regex"}, "default": m{}},
		"dependencies":         m{"type": "object", "additionalProperties": m{"anyOf": []any{self, ref("stringArray")}}},
		"propertyNames":        self,
		"const":                true,
		"enum":                 m{"type": "array", "items": true, "minItems": num(1), "uniqueItems": true},
		"type": m{"anyOf": []any{
			ref("simpleTypes"),
			m{"type": "array", "items": ref("simpleTypes"), "minItems": num(1), "uniqueItems": true},
		}},
		"format":           typ("string"),
		"contentMediaType": typ("string"),
		"contentEncoding":  typ("string"),
		"if":               self,
		"then":             self,
		"else":             self,
		"allOf":            ref("schemaArray"),
		"anyOf":            ref("schemaArray"),
		"oneOf":            ref("schemaArray"),
		"not":              self,
	}
	defs := m{
		"schemaArray":                m{"type": "array", "minItems": num(1), "items": self},
		"nonNegativeInteger":         m{"type": "integer", "minimum": num(0)},
		"nonNegativeIntegerDefault0": m{"allOf": []any{ref("nonNegativeInteger"), m{"default": num(0)}}},
		"simpleTypes":                m{"enum": []any{"array", "boolean", "integer", "null", "number", "object", "string"}},
		"stringArray":                m{"type": "array", "items": typ("string"), "uniqueItems": true, "default": []any{}},
	}
	return m{
		"$schema":     "http://json-schema.org/draft-07/schema#",
		"$id":         "http://json-schema.org/draft-07/schema#",
		"title":       "Core schema meta-schema",
		"definitions": defs,
		"type":        []any{"object", "boolean"},
		"properties":  props,
		"default":     true,
	}
}

package schemadiff

import (
	"testing"
	"testing/fstest"
)

// FuzzCompare: any pair of schema files, however malformed or recursive,
// loads or fails cleanly and compares without panicking or looping.
func FuzzCompare(f *testing.F) {
	f.Add(`{"properties":{"a":{"$ref":"#"}},"required":["a"]}`, `{"properties":{"a":{"$ref":"#/definitions/x"}},"definitions":{"x":{"$ref":"#/definitions/x"}}}`)
	f.Add(`{"allOf":[{"$ref":"#/definitions/a"},{"type":"string"}],"definitions":{"a":{"allOf":[{"$ref":"#/definitions/a"}]}}}`, `true`)
	f.Add(`{"$ref":"http://json-schema.org/draft-07/schema#"}`, `{"items":[{"enum":[1,"a",null]}],"not":{"required":["x"]}}`)
	f.Fuzz(func(t *testing.T, a, b string) {
		load := func(body string) *Set {
			s, err := LoadFS(fstest.MapFS{"bundle.schema.json": {Data: []byte(body)}, "defs.json": {Data: []byte(`{"$id":"https://x.test/defs.json","definitions":{"d":{"type":"string"}}}`)}}, "fuzz")
			if err != nil {
				return nil
			}
			return s
		}
		old, new := load(a), load(b)
		if old == nil || new == nil {
			return
		}
		for _, c := range Compare(old, new) {
			if _, err := ParseClass(string(c.Class)); err != nil || c.Pointer == "" || c.Change == "" {
				t.Fatalf("malformed change %+v", c)
			}
		}
	})
}

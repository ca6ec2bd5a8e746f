package schemadiff

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func mustSet(t *testing.T, name string, files map[string]string) *Set {
	t.Helper()
	s := &Set{Name: name, files: map[string]*file{}, byID: map[string]*file{}}
	for n, body := range files {
		if err := s.add(n, []byte(body)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	return s
}

func bundle(body string) map[string]string {
	return map[string]string{"bundle.schema.json": body}
}

func TestCompareRules(t *testing.T) {
	tests := []struct {
		name     string
		old, new map[string]string
		pointer  string
		change   string
		class    Class
	}{
		{"required added", bundle(`{"type":"object"}`), bundle(`{"type":"object","required":["a"]}`), "bundle.schema.json#/required", "required property added", Breaking},
		{"required removed", bundle(`{"required":["a"]}`), bundle(`{}`), "bundle.schema.json#/required", "required property removed", Relaxing},
		{"type narrowed", bundle(`{"properties":{"a":{"type":["string","integer"]}}}`), bundle(`{"properties":{"a":{"type":"string"}}}`), "bundle.schema.json#/properties/a/type", "type narrowed", Breaking},
		{"type narrowed number to integer", bundle(`{"type":"number"}`), bundle(`{"type":"integer"}`), "bundle.schema.json#/type", "type narrowed", Breaking},
		{"type widened", bundle(`{"type":"integer"}`), bundle(`{"type":"number"}`), "bundle.schema.json#/type", "type widened", Relaxing},
		{"type added", bundle(`{}`), bundle(`{"type":"string"}`), "bundle.schema.json#/type", "type added", Breaking},
		{"type removed", bundle(`{"type":"string"}`), bundle(`{}`), "bundle.schema.json#/type", "type removed", Relaxing},
		{"enum value removed", bundle(`{"enum":["a","b"]}`), bundle(`{"enum":["a"]}`), "bundle.schema.json#/enum", "enum value removed", Breaking},
		{"enum value added", bundle(`{"enum":["a"]}`), bundle(`{"enum":["a","b"]}`), "bundle.schema.json#/enum", "enum value added", Relaxing},
		{"enum added", bundle(`{}`), bundle(`{"enum":[1]}`), "bundle.schema.json#/enum", "enum added", Breaking},
		{"const changed", bundle(`{"const":1}`), bundle(`{"const":2}`), "bundle.schema.json#/const", "const value removed", Breaking},
		{"pattern added", bundle(`{}`), bundle(`{"pattern":"^a"}`), "bundle.schema.json#/pattern", "pattern added", Breaking},
		{"pattern changed", bundle(`{"pattern":"^a"}`), bundle(`{"pattern":"^b"}`), "bundle.schema.json#/pattern", "pattern changed", Breaking},
		{"pattern removed", bundle(`{"pattern":"^a"}`), bundle(`{}`), "bundle.schema.json#/pattern", "pattern removed", Relaxing},
		{"pattern alternation widened", bundle(`{"pattern":"^(a|b)$"}`), bundle(`{"pattern":"^(a|b|c)$"}`), "bundle.schema.json#/pattern", "pattern widened", Relaxing},
		{"pattern alternation narrowed", bundle(`{"pattern":"^(a|b)$"}`), bundle(`{"pattern":"^(a|c)$"}`), "bundle.schema.json#/pattern", "pattern narrowed", Breaking},
		{"format added", bundle(`{}`), bundle(`{"format":"date-time"}`), "bundle.schema.json#/format", "format added", Breaking},
		{"minimum tightened", bundle(`{"minimum":1}`), bundle(`{"minimum":2}`), "bundle.schema.json#/minimum", "bound tightened", Breaking},
		{"minimum loosened", bundle(`{"minimum":2}`), bundle(`{"minimum":1.5}`), "bundle.schema.json#/minimum", "bound loosened", Relaxing},
		{"maxLength tightened", bundle(`{"maxLength":10}`), bundle(`{"maxLength":5}`), "bundle.schema.json#/maxLength", "bound tightened", Breaking},
		{"minItems added", bundle(`{}`), bundle(`{"minItems":1}`), "bundle.schema.json#/minItems", "bound added", Breaking},
		{"maxItems removed", bundle(`{"maxItems":3}`), bundle(`{}`), "bundle.schema.json#/maxItems", "bound removed", Relaxing},
		{"multipleOf finer", bundle(`{"multipleOf":4}`), bundle(`{"multipleOf":2}`), "bundle.schema.json#/multipleOf", "bound loosened", Relaxing},
		{"multipleOf coarser", bundle(`{"multipleOf":2}`), bundle(`{"multipleOf":3}`), "bundle.schema.json#/multipleOf", "bound tightened", Breaking},
		{"uniqueItems added", bundle(`{}`), bundle(`{"uniqueItems":true}`), "bundle.schema.json#/uniqueItems", "uniqueItems added", Breaking},
		{"object closed", bundle(`{"properties":{"a":{}}}`), bundle(`{"properties":{"a":{}},"additionalProperties":false}`), "bundle.schema.json#/additionalProperties", "object closed", Breaking},
		{"object opened", bundle(`{"additionalProperties":false}`), bundle(`{}`), "bundle.schema.json#/additionalProperties", "object opened", Relaxing},
		{"property removed from closed object", bundle(`{"properties":{"a":{},"b":{}},"additionalProperties":false}`), bundle(`{"properties":{"a":{}},"additionalProperties":false}`), "bundle.schema.json#/properties/b", "property removed from a closed object", Breaking},
		{"property removed from open object", bundle(`{"properties":{"a":{},"refs":{"type":"array"}}}`), bundle(`{"properties":{"a":{}}}`), "bundle.schema.json#/properties/refs", "property removed from an open object", SilentRemoval},
		{"property added", bundle(`{"properties":{}}`), bundle(`{"properties":{"x":{"type":"string"}}}`), "bundle.schema.json#/properties/x", "property added", Additive},
		{"nested through items", bundle(`{"properties":{"l":{"items":{"type":"string"}}}}`), bundle(`{"properties":{"l":{"items":{"type":"integer"}}}}`), "bundle.schema.json#/properties/l/items/type", "type narrowed", Breaking},
		{"anyOf branch removed", bundle(`{"anyOf":[{"type":"string"},{"type":"integer"}]}`), bundle(`{"anyOf":[{"type":"string"}]}`), "bundle.schema.json#/anyOf/1", "anyOf branch removed", Breaking},
		{"anyOf branch added", bundle(`{"anyOf":[{"type":"string"}]}`), bundle(`{"anyOf":[{"type":"string"},{"type":"null"}]}`), "bundle.schema.json#/anyOf/1", "anyOf branch added", Relaxing},
		{"allOf branch added", bundle(`{"type":"string","allOf":[{"type":"string"}]}`), bundle(`{"type":"string","allOf":[{"type":"string"},{"type":"string","minLength":1}]}`), "bundle.schema.json#/allOf/1", "allOf branch added", Breaking},
		{"allOf branch merged into parent", bundle(`{"allOf":[{}]}`), bundle(`{"allOf":[{},{"required":["a"]}]}`), "bundle.schema.json#/required", "required property added", Breaking},
		{"property forbidden", bundle(`{"properties":{}}`), bundle(`{"properties":{"x":false}}`), "bundle.schema.json#/properties/x", "property forbidden", Breaking},
		{"schema file added", bundle(`{}`), map[string]string{"bundle.schema.json": `{}`, "claim.schema.json": `{}`}, "claim.schema.json#", "schema file added", Additive},
		{"kind file removed", map[string]string{"bundle.schema.json": `{}`, "claim.schema.json": `{}`}, bundle(`{}`), "claim.schema.json#", "schema file removed", Breaking},
		{
			"change behind a local $ref",
			bundle(`{"properties":{"i":{"$ref":"#/definitions/img"}},"definitions":{"img":{"properties":{"d":{"type":"string"}}}}}`),
			bundle(`{"properties":{"i":{"$ref":"#/definitions/img"}},"definitions":{"img":{"properties":{"d":{"type":"string"}},"required":["d"]}}}`),
			"bundle.schema.json#/definitions/img/required", "required property added", Breaking,
		},
		{
			"change behind a cross-file $ref by $id",
			map[string]string{"bundle.schema.json": `{"$id":"https://x.test/bundle.schema.json","properties":{"d":{"$ref":"https://x.test/defs.json#/definitions/a"}}}`, "defs.json": `{"$id":"https://x.test/defs.json","definitions":{"a":{"enum":[1,2]}}}`},
			map[string]string{"bundle.schema.json": `{"$id":"https://x.test/bundle.schema.json","properties":{"d":{"$ref":"http://x.test/defs.json#/definitions/a"}}}`, "defs.json": `{"$id":"https://x.test/defs.json","definitions":{"a":{"enum":[1]}}}`},
			"defs.json#/definitions/a/enum", "enum value removed", Breaking,
		},
		{
			"$ref retargeted narrowing",
			bundle(`{"properties":{"p":{"$ref":"#/definitions/wide"}},"definitions":{"wide":{"type":"number"},"narrow":{"type":"integer"}}}`),
			bundle(`{"properties":{"p":{"$ref":"#/definitions/narrow"}},"definitions":{"wide":{"type":"number"},"narrow":{"type":"integer"}}}`),
			"bundle.schema.json#/properties/p/$ref", "$ref target changed", Breaking,
		},
		{
			"$ref retargeted relaxing",
			bundle(`{"properties":{"p":{"$ref":"#/definitions/narrow"}},"definitions":{"wide":{"type":"number"},"narrow":{"type":"integer"}}}`),
			bundle(`{"properties":{"p":{"$ref":"#/definitions/wide"}},"definitions":{"wide":{"type":"number"},"narrow":{"type":"integer"}}}`),
			"bundle.schema.json#/properties/p/$ref", "$ref target changed", Relaxing,
		},
		{
			"unresolvable $ref changed",
			bundle(`{"properties":{"p":{"$ref":"https://elsewhere.test/a.json"}}}`),
			bundle(`{"properties":{"p":{"$ref":"https://elsewhere.test/b.json"}}}`),
			"bundle.schema.json#/properties/p/$ref", "$ref target changed", Breaking,
		},
		{"schema became false", bundle(`{"properties":{"a":true}}`), bundle(`{"properties":{"a":false}}`), "bundle.schema.json#/properties/a", "schema became false", Breaking},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes := Compare(mustSet(t, "old", tc.old), mustSet(t, "new", tc.new))
			for _, c := range changes {
				if c.Pointer == tc.pointer && c.Change == tc.change {
					if c.Class != tc.class {
						t.Fatalf("class = %s, want %s (%s)", c.Class, tc.class, c.Detail)
					}
					return
				}
			}
			t.Fatalf("no %q at %s; got %+v", tc.change, tc.pointer, changes)
		})
	}
}

func TestCompareIgnoresAnnotationsAndEquivalents(t *testing.T) {
	old := bundle(`{"title":"a","description":"x","properties":{"p":{"$ref":"#/definitions/a","description":"old"}},"definitions":{"a":{"type":"string","default":"x","examples":["q"]}}}`)
	new := bundle(`{"title":"b","description":"y","$comment":"new","properties":{"p":{"$ref":"#/definitions/b"}},"definitions":{"b":{"type":"string","default":"y"}}}`)
	if changes := Compare(mustSet(t, "old", old), mustSet(t, "new", new)); len(changes) != 0 {
		t.Fatalf("want no changes, got %+v", changes)
	}
}

func TestNormalisedFormsCompareEqual(t *testing.T) {
	tests := []struct{ name, old, new string }{
		{"allOf of a local $ref", `{"properties":{"n":{"allOf":[{"$ref":"#/definitions/nn"},{"default":0}]}},"definitions":{"nn":{"type":"integer","minimum":0}}}`, `{"properties":{"n":{"type":"integer","minimum":0}}}`},
		{"catch-all patternProperties", `{"patternProperties":{".*":{"type":"string"}}}`, `{"additionalProperties":{"type":"string"}}`},
		{"trivial items", `{"type":"array","items":true}`, `{"type":"array"}`},
		{"object keyword on an array", `{"type":"array","additionalProperties":{"type":"string"}}`, `{"type":"array"}`},
		{"not required one property", `{"not":{"required":["x"]}}`, `{"properties":{"x":false}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if c := Compare(mustSet(t, "old", bundle(tc.old)), mustSet(t, "new", bundle(tc.new))); len(c) != 0 {
				t.Fatalf("want no changes, got %+v", c)
			}
		})
	}
}

func TestCompareRecursiveSchemasTerminate(t *testing.T) {
	s := bundle(`{"properties":{"c":{"$ref":"#"}},"additionalProperties":{"$ref":"#/definitions/x"},"definitions":{"x":{"$ref":"#/definitions/y"},"y":{"$ref":"#/definitions/x"}}}`)
	_ = Compare(mustSet(t, "old", s), mustSet(t, "new", s)) // must return
}

func TestLoadErrors(t *testing.T) {
	if _, err := LoadDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no *.json") {
		t.Errorf("empty folder: err = %v", err)
	}
	if _, err := LoadDir("does-not-exist"); err == nil {
		t.Error("missing folder: want an error")
	}
	s := &Set{files: map[string]*file{}, byID: map[string]*file{}}
	if err := s.add("x.json", []byte(`[1]`)); err == nil {
		t.Error("array schema: want an error")
	}
	if err := s.add("x.json", []byte(`{`)); err == nil {
		t.Error("broken JSON: want an error")
	}
}

func TestReportFormats(t *testing.T) {
	r := &Report{Old: "a", New: "b",
		Changes: []Change{{Pointer: "bundle.schema.json#/required", Change: "required property added", Class: Breaking, Detail: `"x" | y`}},
		Flips:   []Flip{{File: "valid/b.json", Before: Valid, After: Invalid, Rule: "V-10", Message: "/x: required"}},
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, "json"); err != nil {
		t.Fatal(err)
	}
	var got map[string][]map[string]string
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if c := got["changes"][0]; len(c) != 4 || c["class"] != "breaking" || c["pointer"] == "" {
		t.Errorf("json change = %v", c)
	}
	if f := got["flips"][0]; len(f) != 4 || f["rule"] != "V-10" || f["before"] != "valid" {
		t.Errorf("json flip = %v", f)
	}
	buf.Reset()
	if err := r.Write(&buf, "markdown"); err != nil {
		t.Fatal(err)
	}
	if md := buf.String(); !strings.Contains(md, "breaking-change") || !strings.Contains(md, `\| y`) || !strings.Contains(md, "| `valid/b.json` |") {
		t.Errorf("markdown:\n%s", md)
	}
	buf.Reset()
	if err := r.Write(&buf, "text"); err != nil || !strings.Contains(buf.String(), "1 breaking") {
		t.Errorf("text: %v\n%s", err, buf.String())
	}
	if err := r.Write(&buf, "xml"); err == nil {
		t.Error("unknown format: want an error")
	}
	empty := &Report{}
	buf.Reset()
	_ = empty.Write(&buf, "json")
	if !strings.Contains(buf.String(), `"changes": []`) || !strings.Contains(buf.String(), `"flips": []`) {
		t.Errorf("empty json must have empty arrays: %s", buf.String())
	}
	if empty.Breaking() {
		t.Error("empty report is not breaking")
	}
}

func TestCorpusFlips(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a/ok.json", `{"status":"canceled"}`)
	writeFile(t, dir, "old.json", `{"status":"cancelled"}`)
	writeFile(t, dir, "same.json", `{"status":"bogus"}`)
	writeFile(t, dir, "notes.txt", `ignored`)
	check := func(file string, data []byte, side string) ([]Finding, error) {
		allowed := map[string]string{"old": "cancelled", "new": "canceled"}[side]
		var v map[string]string
		_ = json.Unmarshal(data, &v)
		if v["status"] != allowed {
			return []Finding{{Rule: "V-10", Pointer: "/status", Message: "not in enum", Error: true}}, nil
		}
		return []Finding{{Rule: "BC-43", Message: "info only"}}, nil
	}
	flips, err := Corpus(dir, "old", "new", check)
	if err != nil {
		t.Fatal(err)
	}
	if len(flips) != 2 {
		t.Fatalf("flips = %+v", flips)
	}
	if f := flips[0]; f.File != "a/ok.json" || f.Before != Invalid || f.After != Valid || f.Rule != "V-10" {
		t.Errorf("flip 0 = %+v", f)
	}
	if f := flips[1]; f.File != "old.json" || f.Before != Valid || f.After != Invalid || f.Message != "/status: not in enum" {
		t.Errorf("flip 1 = %+v", f)
	}
	r := &Report{Flips: flips}
	if !r.Breaking() {
		t.Error("a valid -> invalid flip is breaking")
	}
}

func TestFlipSetsCommonErrorsAside(t *testing.T) {
	common := Finding{Rule: "B-101-14", Pointer: "/invocationImages/0", Message: "no digest", Error: true}
	typeErr := Finding{Rule: "V-10", Pointer: "/parameters/cert/type", Message: "bytes not allowed", Error: true}
	f, ok := flip("b.json", []Finding{common, typeErr}, []Finding{common})
	if !ok || f.Before != Invalid || f.After != Valid || f.Rule != "V-10" {
		t.Fatalf("flip = %+v, %v", f, ok)
	}
	// The same rule at the same pointer on both sides, worded differently
	// (an enum listing its values), is not a flip.
	a := Finding{Rule: "C-400-08", Pointer: "/status", Message: "one of cancelled, ...", Error: true}
	b := Finding{Rule: "C-400-08", Pointer: "/status", Message: "one of canceled, ...", Error: true}
	if f, ok := flip("c.json", []Finding{a}, []Finding{b}); ok {
		t.Fatalf("unexpected flip %+v", f)
	}
	// Warnings never flip a verdict.
	if f, ok := flip("d.json", nil, []Finding{{Rule: "BC-12", Pointer: "/images/web/refs"}}); ok {
		t.Fatalf("unexpected flip %+v", f)
	}
}

func TestAtLeastAndParseClass(t *testing.T) {
	r := &Report{Changes: []Change{{Class: SilentRemoval}, {Class: Additive}}}
	for c, want := range map[Class]bool{Breaking: false, SilentRemoval: true, Relaxing: true, Additive: true} {
		if r.AtLeast(c) != want {
			t.Errorf("AtLeast(%s) = %v", c, !want)
		}
	}
	if c, err := ParseClass("silent-removal"); err != nil || c != SilentRemoval {
		t.Errorf("ParseClass = %v, %v", c, err)
	}
	if _, err := ParseClass("minor"); err == nil {
		t.Error("ParseClass(minor): want an error")
	}
	var buf bytes.Buffer
	_ = r.Write(&buf, "markdown")
	if !strings.Contains(buf.String(), "1 silent removal(s)") {
		t.Errorf("markdown does not warn about silent removals:\n%s", buf.String())
	}
}

package fastschema

import (
	"bytes"
	"encoding/json"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func compile(t *testing.T, schema string) *Schema {
	t.Helper()
	s, err := Compile(Docs{"https://x/s.json": decode(t, schema)}, "https://x/s.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCheck(t *testing.T) {
	tests := []struct {
		schema, doc string
		want        Verdict
	}{
		{`{"type":"object","required":["a"]}`, `{"a":1}`, Valid},
		{`{"type":"object","required":["a"]}`, `{"b":1}`, Invalid},
		{`{"type":"object"}`, `[]`, Invalid},
		{`{"type":"integer"}`, `1.0`, Valid}, // gojsonschema: integral value
		{`{"type":"integer"}`, `1.5`, Invalid},
		{`{"type":["string","null"]}`, `null`, Valid},
		{`{"properties":{"a":{"type":"string"}},"additionalProperties":false}`, `{"a":"x"}`, Valid},
		{`{"properties":{"a":{"type":"string"}},"additionalProperties":false}`, `{"a":"x","b":1}`, Invalid},
		{`{"additionalProperties":{"type":"string"}}`, `{"a":1}`, Invalid},
		{`{"patternProperties":{"^x":{"type":"string"}},"additionalProperties":false}`, `{"xa":"1"}`, Valid},
		{`{"patternProperties":{"^x":{"type":"string"}},"additionalProperties":false}`, `{"ya":"1"}`, Invalid},
		{`{"items":{"type":"string"},"minItems":1}`, `[]`, Invalid},
		{`{"items":{"type":"string"},"uniqueItems":true}`, `["a","a"]`, Invalid},
		{`{"uniqueItems":true}`, `[1,1.0]`, Unsure}, // numbers: left to gojsonschema
		{`{"minLength":2}`, `"é"`, Invalid},         // counted in characters
		{`{"pattern":"^a"}`, `"ab"`, Valid},
		{`{"enum":["a","b"]}`, `"c"`, Invalid},
		{`{"enum":["a","b"]}`, `1`, Unsure},
		{`{"minimum":0}`, `-1`, Invalid},
		{`{"exclusiveMinimum":0}`, `0`, Invalid},
		{`{"anyOf":[{"type":"string"},{"type":"integer"}]}`, `true`, Invalid},
		{`{"oneOf":[{"type":"string"},{"minLength":1}]}`, `"a"`, Invalid},
		{`{"not":{"required":["x"]}}`, `{"x":1}`, Invalid},
		{`{"propertyNames":{"pattern":"^[a-z]+$"}}`, `{"A":1}`, Invalid},
		{`{"minProperties":1}`, `{}`, Invalid},
		{`{"definitions":{"d":{"type":"string"}},"$ref":"#/definitions/d","type":"integer"}`, `"x"`, Valid}, // $ref siblings ignored
		{`{"format":"regex"}`, `"(["`, Invalid},
		{`false`, `1`, Invalid},
		{`true`, `1`, Valid},
	}
	for _, tt := range tests {
		if got := compile(t, tt.schema).Check(decode(t, tt.doc)); got != tt.want {
			t.Errorf("%s on %s: %v, want %v", tt.schema, tt.doc, got, tt.want)
		}
	}
}

func TestCompileRefusesWhatItCannotDecide(t *testing.T) {
	for _, s := range []string{`{"if":{}}`, `{"items":[{}]}`, `{"enum":[1]}`, `{"$ref":"https://other/x.json"}`, `{"multipleOf":2}`} {
		if _, err := Compile(Docs{"https://x/s.json": decode(t, s)}, "https://x/s.json"); err == nil {
			t.Errorf("%s compiled", s)
		}
	}
}

func TestCrossDocumentRefsAndRecursion(t *testing.T) {
	docs := Docs{
		"https://x/a.json": decode(t, `{"properties":{"b":{"$ref":"https://x/b.json"}}}`),
		"https://x/b.json": decode(t, `{"type":"object","additionalProperties":{"$ref":"#"}}`),
	}
	s, err := Compile(docs, "https://x/a.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Check(decode(t, `{"b":{"c":{"d":{}}}}`)) != Valid || s.Check(decode(t, `{"b":{"c":{"d":1}}}`)) != Invalid {
		t.Error("recursive ref verdicts wrong")
	}
}

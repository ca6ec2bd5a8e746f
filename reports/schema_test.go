package reports

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// fill sets every field of v (a pointer) to a non-zero value, recursively,
// so that a field added to Results or Evidence without a schema change is
// caught: the schema closes every object (additionalProperties: false).
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), depth)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(t0))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeOf(json.RawMessage{}) {
			v.SetBytes([]byte(`{"k":"v"}`))
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	}
}

func TestSchemaCoversEveryField(t *testing.T) {
	var r Results
	fill(reflect.ValueOf(&r), 0)
	// Values with a vocabulary.
	r.SchemaVersion = SchemaVersion
	r.Suite.ConformanceVersion = "0.1"
	r.Profiles = []string{"registry"}
	r.Verdicts[0].Profile = "registry"
	r.Docker.PrivilegedMode = "record"
	r.Checks[0].Status, r.Checks[0].Level, r.Checks[0].Rules = StatusPass, "MUST", []string{"RG-01"}
	data, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateJSON(data); err != nil {
		t.Fatalf("a results document with every field set breaks the schema (a field was added without updating results.schema.json?): %v", err)
	}
	// And nothing in the document is unknown to the schema: every key that
	// Marshal wrote is one the schema names.
	var schema map[string]any
	if err := json.Unmarshal(ResultsSchema, &schema); err != nil {
		t.Fatal(err)
	}
	var doc any
	_ = json.Unmarshal(data, &doc)
	props := map[string]bool{}
	collectProps(schema, props)
	var walk func(any)
	walk = func(x any) {
		switch v := x.(type) {
		case map[string]any:
			for k, e := range v {
				if k != "k" && !props[k] {
					t.Errorf("field %q is not described by the schema", k)
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
}

func collectProps(x any, out map[string]bool) {
	switch v := x.(type) {
	case map[string]any:
		if p, ok := v["properties"].(map[string]any); ok {
			for k := range p {
				out[k] = true
			}
		}
		for _, e := range v {
			collectProps(e, out)
		}
	case []any:
		for _, e := range v {
			collectProps(e, out)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	good, err := Marshal(syntheticResults())
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateJSON(good); err != nil {
		t.Fatalf("generated results are invalid: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(m map[string]any)
		field string // expected in the error
	}{
		{"no tool", func(m map[string]any) { delete(m, "tool") }, "tool"},
		{"unknown status", func(m map[string]any) { check(m, 0)["status"] = "Passed" }, "status"},
		{"skip without reason", func(m map[string]any) {
			c := check(m, 3)
			if c["status"] != "Skip" {
				panic("fixture order changed")
			}
			delete(c, "reason")
		}, "reason"},
		{"not applicable without reason", func(m map[string]any) {
			for _, c := range m["checks"].([]any) {
				if c := c.(map[string]any); c["status"] == "NotApplicable" {
					delete(c, "reason")
					return
				}
			}
			panic("fixture has no NotApplicable check")
		}, "reason"},
		{"negative not-applicable count", func(m map[string]any) { m["totals"].(map[string]any)["notApplicable"] = -1 }, "notApplicable"},
		{"schema version 2", func(m map[string]any) { m["schemaVersion"] = "2.0.0" }, "schemaVersion"},
		{"unknown top-level field", func(m map[string]any) { m["certified"] = true }, "certified"},
		{"negative duration", func(m map[string]any) { check(m, 0)["duration"] = -1 }, "duration"},
		{"bad rule ID", func(m map[string]any) { check(m, 0)["rules"] = []any{"rule one"} }, "rules"},
		{"bad time", func(m map[string]any) { m["startTime"] = "yesterday" }, "startTime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(good, &m); err != nil {
				t.Fatal(err)
			}
			tt.edit(m)
			data, _ := json.Marshal(m)
			err := ValidateJSON(data)
			if err == nil {
				t.Fatal("accepted")
			}
			if !IsSchemaError(err) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %v does not name %q", err, tt.field)
			}
		})
	}
	if err := ValidateJSON([]byte("{")); err == nil || IsSchemaError(err) {
		t.Errorf("broken JSON: %v", err)
	}
}

func check(m map[string]any, i int) map[string]any {
	return m["checks"].([]any)[i].(map[string]any)
}

// A results.json of schema 1.0.0 (no NotApplicable status, no notApplicable
// count) is still valid: 1.1.0 only added optional things.
func TestSchemaAcceptsVersion1_0(t *testing.T) {
	r := passingResults()
	r.Checks = slices.DeleteFunc(slices.Clone(r.Checks), func(c Check) bool { return c.Status == StatusNotApplicable })
	r.Finish()
	data, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["schemaVersion"] = "1.0.0"
	delete(m["totals"].(map[string]any), "notApplicable")
	for _, v := range m["verdicts"].([]any) {
		delete(v.(map[string]any)["counts"].(map[string]any), "notApplicable")
	}
	old, _ := json.Marshal(m)
	got, err := Parse(old)
	if err != nil {
		t.Fatalf("a 1.0.0 document is rejected: %v", err)
	}
	if !got.Certified() || got.Totals.NotApplicable != 0 {
		t.Errorf("1.0.0 document read back as certified=%v, totals %+v", got.Certified(), got.Totals)
	}
}

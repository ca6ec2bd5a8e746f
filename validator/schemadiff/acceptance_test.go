package schemadiff

import (
	"os"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/internal/testutil"
)

// specDir is an official schema folder, or the test is skipped.
func specDir(t *testing.T, version string) string {
	return testutil.OfficialSpec(t, version, "schema")
}

func loadSpec(t *testing.T, version string) *Set {
	t.Helper()
	s, err := LoadDir(specDir(t, version))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAcceptanceOfficialSchemas(t *testing.T) {
	tests := []struct {
		old, new string
		want     []Change // each must appear (pointer, change, class)
		breaking bool
	}{
		{
			old: "2019-03-06-wd", new: "2019-03-12-wd", breaking: false,
			want: []Change{
				{Pointer: "bundle.schema.json#/definitions/image/properties/refs", Change: "property removed from an open object", Class: SilentRemoval},
			},
		},
		{
			old: "cnab-core-1.1.0", new: "cnab-core-1.2.0", breaking: false,
			want: []Change{
				{Pointer: "bundle.schema.json#/properties/definitions/additionalProperties/$ref", Change: "$ref target changed", Class: Relaxing},
				{Pointer: "definitions.schema.json#/properties/maximum/type", Change: "type widened", Class: Relaxing},
				{Pointer: "definitions.schema.json#/definitions/simpleTypes/enum", Change: "enum value added", Class: Relaxing},
				{Pointer: "bundle.schema.json#/definitions/credential/properties/applyTo", Change: "property added", Class: Additive},
			},
		},
		{
			old: "cnab-claims-1.0.0", new: "main", breaking: true,
			want: []Change{
				{Pointer: "claim-result.schema.json#/properties/status/enum", Change: "enum value removed", Class: Breaking},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			r := &Report{Old: tc.old, New: tc.new, Changes: Compare(loadSpec(t, tc.old), loadSpec(t, tc.new))}
			for _, w := range tc.want {
				found := false
				for _, c := range r.Changes {
					if c.Pointer == w.Pointer && c.Change == w.Change && c.Class == w.Class {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %s %s: %s", w.Class, w.Pointer, w.Change)
				}
			}
			if r.Breaking() != tc.breaking {
				t.Errorf("Breaking() = %v, want %v", r.Breaking(), tc.breaking)
			}
			if t.Failed() || testing.Verbose() {
				r.Write(os.Stderr, "text")
			}
		})
	}
}

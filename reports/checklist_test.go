package reports

import (
	"slices"
	"strings"
	"testing"
)

func TestEmbeddedCheckList(t *testing.T) {
	l := EmbeddedCheckList()
	if l.ConformanceVersion == "" || !slices.Contains(l.Supported, l.ConformanceVersion) {
		t.Errorf("embedded list: version %q, supported %v", l.ConformanceVersion, l.Supported)
	}
	// The file is in canonical form, so regenerating it changes nothing but checks.
	b, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(embeddedCheckList) {
		t.Errorf("%s is not in canonical form; regenerate it with go test ./suites -run TestCheckListGolden -update-checklist", CheckListFile)
	}
	for _, c := range l.Checks {
		if !slices.Contains(Profiles, c.Profile) {
			t.Errorf("check %q has unknown profile %q", c.Name, c.Profile)
		}
	}
}

func TestParseCheckListErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"no version", "supported: []\nchecks: []\n", "conformanceVersion is missing"},
		{"version not supported", "conformanceVersion: \"1.0\"\nsupported: [\"0.9\"]\n", "supported must include"},
		{"duplicate", "conformanceVersion: \"1\"\nsupported: [\"1\"]\nchecks:\n- {name: a, profile: smoke, level: MUST, rules: [RG-01]}\n- {name: a, profile: smoke, level: MUST, rules: [RG-01]}\n", "duplicate check name"},
		{"incomplete entry", "conformanceVersion: \"1\"\nsupported: [\"1\"]\nchecks:\n- {name: a, profile: smoke}\n", "needs name, profile and rules"},
		{"unknown key", "conformanceVersion: \"1\"\nsupported: [\"1\"]\nchekcs: []\n", "chekcs"},
	}
	for _, tt := range tests {
		if _, err := ParseCheckList([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestCheckListDiffAndRoundTrip(t *testing.T) {
	golden := CheckList{ConformanceVersion: "1", Supported: []string{"1"}, Checks: []CheckDecl{
		{Name: "registry b", Profile: "registry", Level: "MUST", Rules: []string{"RG-01"}},
		{Name: "smoke a", Profile: "smoke", Level: "MUST", Rules: []string{"G-201-01"}},
		{Name: "registry gone", Profile: "registry", Level: "SHOULD", Rules: []string{"RG-02"}},
	}}
	got := []CheckDecl{
		{Name: "smoke a", Profile: "smoke", Level: "MUST", Rules: []string{"G-201-01"}},
		{Name: "registry b", Profile: "registry", Level: "MUST", Rules: []string{"RG-01", "G-201-06"}},
		{Name: "registry new", Profile: "registry", Level: "MUST", Rules: []string{"RG-04"}},
	}
	diff := golden.Diff(got)
	want := []string{`added:   "registry new"`, `changed: "registry b"`, `removed: "registry gone"`}
	if len(diff) != len(want) {
		t.Fatalf("diff %q", diff)
	}
	for i, w := range want {
		if !strings.HasPrefix(diff[i], w) {
			t.Errorf("diff[%d] = %q, want prefix %q", i, diff[i], w)
		}
	}
	if d := golden.Diff(golden.Checks); len(d) != 0 {
		t.Errorf("a list differs from itself: %q", d)
	}

	b, err := golden.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCheckList(b)
	if err != nil {
		t.Fatal(err)
	}
	if names := []string{back.Checks[0].Name, back.Checks[1].Name, back.Checks[2].Name}; !slices.Equal(names, []string{"smoke a", "registry b", "registry gone"}) {
		t.Errorf("canonical order %v: profile order, then name", names)
	}
	if must := back.Must("registry"); len(must) != 1 || must[0].Name != "registry b" {
		t.Errorf("Must(registry) = %+v", must)
	}
}

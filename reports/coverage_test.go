package reports

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

func coverageInput() CoverageInput {
	return CoverageInput{
		Rules: []catalog.Rule{
			{ID: "B-101-02", Level: catalog.Must, Section: "101", Title: "schemaVersion is present", Schema: true, Link: "https://example.com/101"},
			{ID: "B-101-09", Level: catalog.Must, Section: "101", Title: "at least one | invocation image"},
			{ID: "B-101-07", Level: catalog.Should, Section: "101", Title: "license is SPDX"},
			{ID: "RG-01", Level: catalog.Must, Section: "201", Title: "index pushed last"},
			{ID: "G-201-08", Level: catalog.Informative, Section: "201", Title: "example annotations"},
			{ID: "S-303-01", Level: catalog.Must, Section: "303", Title: "TUF metadata"},
			{ID: "V-01", Level: catalog.Must, Section: "validator", Title: "input is JSON"},
			{ID: "BC-01", Level: catalog.MustNot, Section: "history", Title: "old field"},
		},
		ValidatorRules: []string{"B-101-09", "B-101-07", "V-01"},
		Checks: []CheckDecl{
			{Name: "registry push pushes the index last", Profile: "registry", Level: "MUST", Rules: []string{"RG-01", "G-201-08"}},
			{Name: "smoke push works", Profile: "smoke", Level: "MUST", Rules: []string{"RG-01", "X-999"}},
		},
	}
}

func TestComputeCoverage(t *testing.T) {
	cov := ComputeCoverage(coverageInput())
	by := map[string]RuleCoverage{}
	for _, r := range cov.Rules {
		by[r.ID] = r
	}
	tests := []struct {
		id       string
		enforced []string
		checks   int
	}{
		{"B-101-02", []string{BySchema}, 0},
		{"B-101-09", []string{ByValidator}, 0},
		{"B-101-07", []string{ByValidator}, 0},
		{"RG-01", []string{BySuite}, 2},
		{"G-201-08", []string{BySuite}, 1},
		{"S-303-01", []string{NotCovered}, 0},
		{"V-01", []string{ByValidator}, 0},
		{"BC-01", []string{NotCovered}, 0},
	}
	for _, tt := range tests {
		r := by[tt.id]
		if !slices.Equal(r.EnforcedBy, tt.enforced) || len(r.Checks) != tt.checks {
			t.Errorf("%s: enforced by %v with %d checks, want %v with %d", tt.id, r.EnforcedBy, len(r.Checks), tt.enforced, tt.checks)
		}
	}
	if got := by["RG-01"].Profiles; !slices.Equal(got, []string{"smoke", "registry"}) {
		t.Errorf("RG-01 profiles %v", got)
	}
	var order []string
	for _, s := range cov.Sections {
		order = append(order, s.Section)
	}
	if !slices.Equal(order, []string{"101", "201", "303", "history", "validator"}) {
		t.Errorf("section order %v", order)
	}
	s101 := cov.Sections[0]
	if s101.Rules != 3 || s101.Must != 2 || s101.MustCovered != 2 || s101.MustSchema != 1 || s101.MustValid != 1 || s101.MustSuite != 0 {
		t.Errorf("section 101: %+v", s101)
	}
	if cov.Total.Must != 6 || cov.Total.MustCovered != 4 {
		t.Errorf("total %+v", cov.Total)
	}
	if !slices.Equal(cov.UnknownRules, []string{"X-999"}) {
		t.Errorf("unknown rules %v", cov.UnknownRules)
	}

	// Without the validator's list nothing is guessed.
	in := coverageInput()
	in.ValidatorRules = nil
	pending := ComputeCoverage(in)
	for _, r := range pending.Rules {
		if r.Validator != ValidatorPend || slices.Contains(r.EnforcedBy, ByValidator) {
			t.Errorf("%s: validator %q, enforced by %v with the list unknown", r.ID, r.Validator, r.EnforcedBy)
		}
	}
}

func TestCoverageMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCoverageMarkdown(&buf, ComputeCoverage(coverageInput()), "make coverage"); err != nil {
		t.Fatal(err)
	}
	golden(t, "coverage.md", buf.Bytes())
	md := buf.String()
	for _, want := range []string{"| **total** | **8** | **6** | **4 (67%)**", "at least one \\| invocation image", "**not covered**", "X-999"} {
		if !strings.Contains(md, want) {
			t.Errorf("coverage.md lacks %q", want)
		}
	}

	in := coverageInput()
	in.ValidatorRules = nil
	buf.Reset()
	if err := WriteCoverageMarkdown(&buf, ComputeCoverage(in), "make coverage"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "validator column is **pending**") {
		t.Error("a pending validator column is not explained")
	}
}

func TestCoverageJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCoverageJSON(&buf, ComputeCoverage(coverageInput())); err != nil {
		t.Fatal(err)
	}
	var back Coverage
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back.Rules) != 8 || back.Total.Must != 6 {
		t.Errorf("json: %v %+v", err, back.Total)
	}
}

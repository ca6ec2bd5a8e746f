package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// CheckListFile is the golden list of the suite's checks, like Kubernetes'
// conformance.yaml: every check with its profile, level and rule IDs. A test
// in the suites package fails when a check is added, removed or changed
// without updating it, so changes to what certification means are reviewed.
// Verification uses it to tell a complete run from a partial one.
const CheckListFile = "conformance.yaml"

//go:embed conformance.yaml
var embeddedCheckList []byte

// CheckDecl is one declared check.
type CheckDecl struct {
	Name    string   `yaml:"name" json:"name"`
	Profile string   `yaml:"profile" json:"profile"`
	Level   string   `yaml:"level" json:"level"`
	Rules   []string `yaml:"rules,flow" json:"rules"`
	File    string   `yaml:"file,omitempty" json:"file,omitempty"` // declaring file, relative to the repository root
}

// Mandatory reports whether the check is a certification requirement.
func (d CheckDecl) Mandatory() bool { return catalog.Level(d.Level).Mandatory() }

// CheckList is the content of conformance.yaml.
type CheckList struct {
	// ConformanceVersion names this list. Bump it when a release changes
	// which checks certification requires.
	ConformanceVersion string `yaml:"conformanceVersion" json:"conformanceVersion"`
	// Supported lists the conformance versions whose results are still
	// accepted for certification (this one and earlier compatible ones).
	Supported []string    `yaml:"supported" json:"supported"`
	Checks    []CheckDecl `yaml:"checks" json:"checks"`
}

// EmbeddedCheckList returns the check list this binary was built with.
func EmbeddedCheckList() CheckList {
	l, err := ParseCheckList(embeddedCheckList)
	if err != nil {
		// The file is embedded and checked by tests; a broken one is a build defect.
		panic("reports: embedded " + CheckListFile + ": " + err.Error())
	}
	return l
}

// ConformanceVersion is the version of the embedded check list.
func ConformanceVersion() string { return EmbeddedCheckList().ConformanceVersion }

// ParseCheckList decodes a check list and checks it is well formed.
func ParseCheckList(data []byte) (CheckList, error) {
	var l CheckList
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&l); err != nil {
		return CheckList{}, fmt.Errorf("decode check list: %w", err)
	}
	if l.ConformanceVersion == "" {
		return CheckList{}, fmt.Errorf("check list: conformanceVersion is missing")
	}
	if !slices.Contains(l.Supported, l.ConformanceVersion) {
		return CheckList{}, fmt.Errorf("check list: supported must include conformanceVersion %s", l.ConformanceVersion)
	}
	seen := map[string]bool{}
	for i, c := range l.Checks {
		if c.Name == "" || c.Profile == "" || len(c.Rules) == 0 {
			return CheckList{}, fmt.Errorf("check list: entry %d needs name, profile and rules", i+1)
		}
		if seen[c.Name] {
			return CheckList{}, fmt.Errorf("check list: duplicate check name %q", c.Name)
		}
		seen[c.Name] = true
	}
	return l, nil
}

// Sort orders the checks by profile, then name.
func (l *CheckList) Sort() {
	sort.SliceStable(l.Checks, func(i, j int) bool {
		a, b := l.Checks[i], l.Checks[j]
		if c := compareProfiles(a.Profile, b.Profile); c != 0 {
			return c < 0
		}
		return a.Name < b.Name
	})
}

// Marshal writes the list in its canonical form (sorted, with a header).
func (l CheckList) Marshal() ([]byte, error) {
	l.Checks = slices.Clone(l.Checks)
	l.Sort()
	var buf bytes.Buffer
	buf.WriteString(`# The conformance suite's checks (the golden list). Each entry is one check:
# its stable name, profile, RFC 2119 level and rule IDs. A test fails when the
# suite declares a check that is not here, or this lists one the suite no
# longer declares. Regenerate after a deliberate change with
#   go test ./suites -run TestCheckListGolden -update-checklist
# and bump conformanceVersion when a release changes what certification needs.
`)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(l); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Must returns the mandatory checks of the given profiles.
func (l CheckList) Must(profiles ...string) []CheckDecl {
	var out []CheckDecl
	for _, c := range l.Checks {
		if slices.Contains(profiles, c.Profile) && c.Mandatory() {
			out = append(out, c)
		}
	}
	return out
}

// Diff describes how got differs from l (the golden list), one line per
// difference, empty when they match.
func (l CheckList) Diff(got []CheckDecl) []string {
	want := map[string]CheckDecl{}
	for _, c := range l.Checks {
		want[c.Name] = c
	}
	var out []string
	seen := map[string]bool{}
	for _, g := range got {
		seen[g.Name] = true
		w, ok := want[g.Name]
		if !ok {
			out = append(out, fmt.Sprintf("added:   %q (%s, %s %s)", g.Name, g.Profile, g.Level, strings.Join(g.Rules, ",")))
			continue
		}
		if w.Profile != g.Profile || w.Level != g.Level || !slices.Equal(w.Rules, g.Rules) || (w.File != "" && g.File != "" && w.File != g.File) {
			out = append(out, fmt.Sprintf("changed: %q: golden %s %s %s %s, suite %s %s %s %s", g.Name,
				w.Profile, w.Level, strings.Join(w.Rules, ","), w.File, g.Profile, g.Level, strings.Join(g.Rules, ","), g.File))
		}
	}
	for _, c := range l.Checks {
		if !seen[c.Name] {
			out = append(out, fmt.Sprintf("removed: %q (%s, %s %s)", c.Name, c.Profile, c.Level, strings.Join(c.Rules, ",")))
		}
	}
	sort.Strings(out)
	return out
}

// DeclsFromResults lists the checks of a run (any status) as declarations.
func DeclsFromResults(r Results) []CheckDecl {
	out := make([]CheckDecl, 0, len(r.Checks))
	for _, c := range r.Checks {
		file, _ := splitLocation(c.Location)
		out = append(out, CheckDecl{Name: c.Name, Profile: c.Profile, Level: c.Level, Rules: slices.Clone(c.Rules), File: file})
	}
	return out
}

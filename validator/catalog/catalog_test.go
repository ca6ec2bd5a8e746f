package catalog

import (
	"regexp"
	"strings"
	"testing"
)

// knownPrefixes are the rule families. A new family needs a line here and a
// word in the package documentation.
var knownPrefixes = map[string]bool{
	"B": true, "I": true, "R": true, "F": true, "G": true, "S": true, "C": true, "D": true, "X": true, // spec sections
	"BC": true, // breaking-change history
	"CP": true, // community practice
	"RG": true, // registry practice
	"V":  true, // validator input rules
}

var validLevels = map[Level]bool{Must: true, MustNot: true, Required: true, Should: true, ShouldNot: true,
	Recommended: true, May: true, Informative: true}

var idShape = regexp.MustCompile(`^[A-Z]+(-[A-Z]+)?-[0-9]{2,3}(-[0-9]{2}|-xx)?$`)

func TestEveryRuleIsWellFormed(t *testing.T) {
	all := All()
	if len(all) < 100 {
		t.Fatalf("catalogue has only %d rules", len(all))
	}
	for _, r := range all {
		if !knownPrefixes[Prefix(r.ID)] {
			t.Errorf("%s: unknown prefix %q", r.ID, Prefix(r.ID))
		}
		if !idShape.MatchString(r.ID) {
			t.Errorf("%s: ID does not look like FAMILY-NN, FAMILY-SUB-NN or FAMILY-SSS-NN", r.ID)
		}
		if !validLevels[r.Level] {
			t.Errorf("%s: invalid level %q", r.ID, r.Level)
		}
		if strings.TrimSpace(r.Title) == "" || strings.TrimSpace(r.Text) == "" {
			t.Errorf("%s: title and text are required", r.ID)
		}
		if r.Link != "" && !strings.HasPrefix(r.Link, "https://github.com/cnabio/cnab-spec/") {
			t.Errorf("%s: link %q is not a cnab-spec link", r.ID, r.Link)
		}
		if r.Link == strings.TrimSuffix(specRepo, "/") || strings.HasSuffix(r.Link, "/blob/main/") {
			t.Errorf("%s: link names no spec file (section %q)", r.ID, r.Section)
		}
	}
}

// TestSpecRulesCoverTheResearchTable: every ID family of spec-rules.md
// section 2 is present, in full for the sections the validator checks.
func TestSpecRulesCoverTheResearchTable(t *testing.T) {
	want := map[string]int{"B-101-": 49, "I-102-": 7, "R-103-": 25, "F-104-": 7, "G-201-": 9, "C-400-": 13, "D-500-": 4}
	for prefix, n := range want {
		for i := 1; i <= n; i++ {
			id := prefix + twoDigits(i)
			if _, ok := Lookup(id); !ok {
				t.Errorf("missing %s", id)
			}
		}
	}
	for _, id := range []string{"S-303-01", "S-303-05", "X-810-01", "X-804-01", "X-802-01"} {
		if _, ok := Lookup(id); !ok {
			t.Errorf("missing %s", id)
		}
	}
}

// TestDocumentRulesExplainThemselves: a rule a document can break comes with
// an example and a fix, for `cnab-validate explain`.
func TestDocumentRulesExplainThemselves(t *testing.T) {
	for _, r := range All() {
		doc := false
		for _, tg := range r.Targets {
			if tg == TDoc || tg == TOtherDoc {
				doc = true
			}
		}
		if !doc || r.Level == Informative || r.Level == May || Prefix(r.ID) == "BC" || Prefix(r.ID) == "CP" {
			continue
		}
		if r.Fix == "" {
			t.Errorf("%s: a document rule needs a fix hint", r.ID)
		}
		if r.Example == "" && Prefix(r.ID) != "V" && r.ID != "B-101-41" && r.ID != "F-104-03" {
			t.Errorf("%s: a document rule needs a breaking example", r.ID)
		}
	}
}

func TestSectionLink(t *testing.T) {
	tests := []struct{ section, tag, want string }{
		{"101", "cnab-core-1.0", "https://github.com/cnabio/cnab-spec/blob/cnab-core-1.0/101-bundle-json.md"},
		{"400", "", "https://github.com/cnabio/cnab-spec/blob/main/400-claims.md"},
		{"999", "main", ""},
	}
	for _, tt := range tests {
		if got := SectionLink(tt.section, tt.tag); got != tt.want {
			t.Errorf("SectionLink(%q, %q) = %q, want %q", tt.section, tt.tag, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	if _, ok := Lookup("B-101-09"); !ok {
		t.Error("B-101-09 not found")
	}
	if _, ok := Lookup("B-101-99"); ok {
		t.Error("B-101-99 found")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustLookup of an unknown ID did not panic")
		}
	}()
	MustLookup("NOPE-1")
}

func twoDigits(i int) string {
	if i < 10 {
		return "0" + string(rune('0'+i))
	}
	return string(rune('0'+i/10)) + string(rune('0'+i%10))
}

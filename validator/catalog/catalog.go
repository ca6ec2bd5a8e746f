// Package catalog is the one list of every rule the project knows: spec rules
// (IDs from the CNAB specification's sections, such as B-101-09 or G-201-06),
// breaking-change rules (BC-NN, one per entry of the spec history), community
// practice rules (CP-NN, not in the spec; each says where it comes from) and
// validator input rules (V-NN: what a document must be before any spec rule can
// be checked). Validator findings, suite checks and reports all name a rule by
// its ID, and tests fail when something names an ID that is not here.
package catalog

import (
	"fmt"
	"sort"
	"strings"
)

// Level is the RFC 2119 strength of a rule, as the spec words it.
type Level string

// Levels used by the catalogue. A rule worded "MUST / SHOULD" takes the
// strongest level it states.
const (
	Must        Level = "MUST"
	MustNot     Level = "MUST NOT"
	Required    Level = "REQUIRED"
	Should      Level = "SHOULD"
	ShouldNot   Level = "SHOULD NOT"
	Recommended Level = "RECOMMENDED"
	May         Level = "MAY"
	Informative Level = "INFORMATIVE"
)

// Mandatory reports whether the level makes a rule a certification requirement.
func (l Level) Mandatory() bool {
	return l == Must || l == MustNot || l == Required
}

// Target says what a rule is about, as in the spec research notes:
// D bundle document, C other CNAB JSON document, I invocation image content,
// T tool or runtime behaviour, R registry artifact, A thick bundle archive.
type Target string

// Rule is one catalogue entry.
type Rule struct {
	ID       string // permanent, never reused
	Level    Level
	Section  string // spec document number, e.g. "101"; "history" for BC rules; "community" for CP rules
	Title    string // one line
	Text     string // the rule in full, for `explain`
	Versions string // spec versions it holds in, e.g. "1.0+", "1.0-1.1", "<=2019-03-06"
	Targets  []Target
	Schema   bool   // the published JSON schema enforces it (fully)
	Link     string // spec link (for BC rules: the spec pull request)
	Source   string // for rules that are not spec text: where they come from
	Example  string // a short document fragment that breaks the rule
	Fix      string // how to fix a violation
}

var byID = map[string]*Rule{}

// register adds rules; a duplicate ID is a programming error caught at init.
func register(rules ...Rule) {
	for i := range rules {
		r := rules[i]
		if _, dup := byID[r.ID]; dup {
			panic(fmt.Sprintf("catalog: duplicate rule ID %s", r.ID))
		}
		byID[r.ID] = &r
	}
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (Rule, bool) {
	r, ok := byID[id]
	if !ok {
		return Rule{}, false
	}
	return *r, true
}

// MustLookup is Lookup for IDs written in code: an unknown ID panics, so a
// typo fails the first test that touches it.
func MustLookup(id string) Rule {
	r, ok := Lookup(id)
	if !ok {
		panic(fmt.Sprintf("catalog: unknown rule ID %q", id))
	}
	return r
}

// All returns every rule, sorted by ID.
func All() []Rule {
	out := make([]Rule, 0, len(byID))
	for _, r := range byID {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Prefix returns the family of an ID: "B", "BC", "CP", "G", ...
func Prefix(id string) string {
	p, _, _ := strings.Cut(id, "-")
	return p
}

package validator

// Kind is the kind of CNAB document being checked.
type Kind string

// Document kinds. Detected from content or forced with --kind.
const (
	KindBundle            Kind = "bundle"
	KindClaim             Kind = "claim"
	KindClaimResult       Kind = "claim-result"
	KindDependencies      Kind = "dependencies"       // the io.cnab.dependencies extension
	KindParameterSources  Kind = "parameter-sources"  // the io.cnab.parameter-sources extension
	KindRelocationMapping Kind = "relocation-mapping" // /cnab/app/relocation-mapping.json
	KindStatus            Kind = "status"             // output of io.cnab.status
)

// Kinds lists every kind.
var Kinds = []Kind{KindBundle, KindClaim, KindClaimResult, KindDependencies, KindParameterSources, KindRelocationMapping, KindStatus}

// Spec is a released CNAB spec version the validator knows, oldest first in
// Specs. The names are the spec repository's tag names.
type Spec string

// Known spec versions. Claims 1.0.0 is the claims spec release; it shares the
// core schemas of its day (between core 1.1.0 and 1.2.0).
const (
	SpecCore10    Spec = "cnab-core-1.0"
	SpecCore11    Spec = "cnab-core-1.1.0"
	SpecClaims100 Spec = "cnab-claims-1.0.0"
	SpecCore12    Spec = "cnab-core-1.2.0"
	SpecMain      Spec = "main"
)

// Specs lists the known versions in release order.
var Specs = []Spec{SpecCore10, SpecCore11, SpecClaims100, SpecCore12, SpecMain}

// index is the release position of s, or -1 when unknown.
func (s Spec) index() int {
	for i, v := range Specs {
		if v == s {
			return i
		}
	}
	return -1
}

// AtLeast reports whether s is o or a later release.
func (s Spec) AtLeast(o Spec) bool { return s.index() >= o.index() && o.index() >= 0 }

// Known reports whether s is one of Specs.
func (s Spec) Known() bool { return s.index() >= 0 }

// docRule is a semantic or breaking-change check on one decoded document.
// Rules are registered at init (register them with addRule) and run after
// the schema layer, whatever its verdict, on every document of their kinds.
type docRule struct {
	ID    string // catalogue ID; every finding the rule reports carries it
	Kinds []Kind
	Check func(c *docContext)
}

var docRules []docRule

func addRule(r docRule) { docRules = append(docRules, r) }

// docContext is what a rule sees. Root is the decoded document: objects are
// map[string]any, arrays []any, numbers json.Number, then string, bool, nil.
// The tree is recycled after the document is done: a rule must not keep a
// reference to it (or to any map or slice in it) once Check returns.
// Report takes an RFC 6901 pointer into the document; the pipeline turns it
// into line and column, and fills in severity (from the rule's level) and
// the spec link.
type docContext struct {
	Spec    Spec
	Kind    Kind
	Root    any
	Options *Options
	Raw     []byte   // the document's bytes as read (for canonical-form checks); do not modify
	memo    ruleMemo // per-document scratch shared by the rules (rules_memo.go); zero for a new document
	report  func(pointer, rule, message, hint string)
}

// Report records a finding for rule at pointer.
func (c *docContext) Report(pointer, rule, message, hint string) {
	c.report(pointer, rule, message, hint)
}

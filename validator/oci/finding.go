package oci

import "fmt"

// Severity of a finding. Error findings fail a suite check; Warning and
// Note findings are reported as notes (tolerated deviations, fallbacks).
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Note    Severity = "info"
)

// Finding is one problem (or tolerated deviation) with a bundle in a registry.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Object   string   `json:"object"`            // "index", "config manifest", "config blob", a digest, a request
	Pointer  string   `json:"pointer,omitempty"` // RFC 6901 pointer into Object's JSON
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	loc := f.Object
	if f.Pointer != "" {
		loc += "#" + f.Pointer
	}
	return fmt.Sprintf("%s %s %s: %s", loc, f.Severity, f.Rule, f.Message)
}

// Findings is a list of findings with filters.
type Findings []Finding

func (fs *Findings) add(rule string, sev Severity, obj, ptr, format string, args ...any) {
	*fs = append(*fs, Finding{Rule: rule, Severity: sev, Object: obj, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// Errors returns the Error findings.
func (fs Findings) Errors() Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == Error {
			out = append(out, f)
		}
	}
	return out
}

// ForRules returns the findings about any of ids.
func (fs Findings) ForRules(ids ...string) Findings {
	var out Findings
	for _, f := range fs {
		for _, id := range ids {
			if f.Rule == id {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// Rules returns the distinct rule IDs of the findings, in first-seen order.
func (fs Findings) Rules() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	return out
}

package validator

// Options configure validation. The zero value means: spec version from the
// document's schemaVersion, kind detected from content, canonical form not
// required, the default size cap, the embedded schemas.
type Options struct {
	Spec             Spec   // force a spec version
	Kind             Kind   // force a document kind
	RequireCanonical bool   // release checks: report non-canonical bundle.json, and a missing contentDigest (B-101-14) as an error, not a warning
	MaxSize          int64  // input size cap in bytes; 0 means DefaultMaxSize
	SchemaDir        string // validate against this schema folder instead of the embedded schemas
}

// DefaultMaxSize is the input cap when Options.MaxSize is 0.
const DefaultMaxSize = 10 << 20

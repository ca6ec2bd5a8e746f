package validator

import (
	"slices"
	"testing"
)

func TestValidECMARegex(t *testing.T) {
	tests := []struct {
		p    string
		want bool
	}{
		{`^(?!/cnab/app/outputs)/.+$`, true}, // negative lookahead
		{`^(?=a)a$`, true},                   // lookahead
		{`(?<=x)y`, true},                    // lookbehind
		{`(?<!x)y`, true},
		{`(a)\1`, true},           // backreference
		{`(?<n>a)\k<n>`, true},    // named group and named backreference
		{`\u00e9\u{1F600}`, true}, // unicode escapes
		{`[^]`, true},             // ECMA: any character
		{`[]`, true},              // ECMA: matches nothing
		{`\cJ`, true},             // control escape
		{`\e\y`, true},            // identity escapes outside the unicode flag
		{`^[a-z0-9.-]+$`, true},   // ordinary
		{`(`, false},              // unbalanced
		{`a**`, false},            // nothing to repeat
		{`\Z`, false},             // ajv rejects it explicitly
		{`[z-a]`, false},          // bad range
		{`(?P<n>a)`, false},       // RE2 group syntax, not ECMA
		{`(?i)abc`, false},        // inline flags are not ECMA
	}
	for _, tt := range tests {
		if got := ValidECMARegex(tt.p); got != tt.want {
			t.Errorf("ValidECMARegex(%q) = %v, want %v (translated %q)", tt.p, got, tt.want, translateECMA(tt.p))
		}
	}
}

// TestAuthorLookaheadIsNotRejected: a bundle definition with an ECMA-only
// pattern passes the schema layer of every version (gojsonschema's own
// regex check would reject it), while a broken pattern is still caught.
func TestAuthorLookaheadIsNotRejected(t *testing.T) {
	for _, spec := range Specs {
		for _, tc := range []struct {
			pattern string
			ok      bool
		}{{`^(?!admin$).+$`, true}, {`(unclosed`, false}} {
			doc := `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[],"definitions":{"user":{"type":"string","pattern":` +
				jsonString(tc.pattern) + `}}}`
			r, _ := Validate("d.json", []byte(doc), Options{Spec: spec})
			got := !slices.Contains(rulesOf(r), "B-101-19")
			if got != tc.ok {
				t.Errorf("%s: pattern %q accepted=%v, want %v: %+v", spec, tc.pattern, got, tc.ok, r.Findings)
			}
		}
	}
}

func jsonString(s string) string {
	b := []byte{'"'}
	for _, c := range []byte(s) {
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return string(append(b, '"'))
}

// TestOwnCore10SchemaHasNoLookahead: our 1.0 schema leaves the path rule to
// B-101-26 in code instead of an RE2-incompatible pattern.
func TestOwnCore10SchemaHasNoLookahead(t *testing.T) {
	s := embeddedSet(SpecCore10)
	ks := s.kind(KindBundle)
	if ks.err != nil {
		t.Fatalf("1.0 bundle schema: %v", ks.err)
	}
	if _, err := ks.gs(); err != nil {
		t.Fatalf("1.0 bundle schema: %v", err)
	}
	if len(s.Dropped) != 0 {
		t.Errorf("our own 1.0 schemas needed patterns dropped: %v", s.Dropped)
	}
}

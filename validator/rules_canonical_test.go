package validator

import (
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
)

func TestCanonicalRule(t *testing.T) {
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	bundle := func(sv string) string {
		return `{"invocationImages":[{"contentDigest":"` + digest + `","image":"example.com/x@` + digest + `","imageType":"oci"}],"name":"x","schemaVersion":"` + sv + `","version":"1.0.0"}`
	}
	jcs, err := canonical.Canonicalize([]byte(bundle("v1.2.0")), canonical.JCS)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		doc     string
		require bool
		want    string // message part; "" means no B-101-01
	}{
		{"canonical 1.2", string(jcs), true, ""},
		{"canonical 1.1 (OLPC)", bundle("v1.1.0"), true, ""},
		{"pretty-printed", strings.Replace(string(jcs), `{"invocationImages"`, "{\n  \"invocationImages\"", 1), true, "line 1, column 2 (insignificant whitespace)"},
		{"keys out of order", strings.Replace(bundle("v1.2.0"), `"name":"x",`, ``, 1)[:len(bundle("v1.2.0"))-len(`"name":"x",`)-1] + `,"name":"x"}`, true, "RFC 8785 (JCS) canonical JSON: first difference"},
		{"trailing newline", string(jcs) + "\n", true, "trailing bytes"},
		{"fraction under 1.1", strings.Replace(bundle("v1.1.0"), `"name":"x",`, `"custom":{"com.x.y":{"r":1.5}},"name":"x",`, 1), true, "no OLPC canonical form"},
		{"not asked for", "{\n" + string(jcs)[1:], false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Validate("b.json", []byte(tc.doc), Options{RequireCanonical: tc.require})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range res.Findings {
				if f.Rule == "B-101-01" {
					got = append(got, f)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("unexpected %+v", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0].Message, tc.want) || got[0].Severity != Error {
				t.Fatalf("want one B-101-01 with %q, got %+v (all: %+v)", tc.want, got, res.Findings)
			}
		})
	}
}

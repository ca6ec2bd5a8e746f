package canonical

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzCanonicalize checks, for both modes, that canonicalisation never
// panics and that its output is a fixed point; and that JCS output is JSON
// holding the value encoding/json reads from the input.
func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[true,null,"x"]}`, `1.5e300`, `"\ud83d\ude00"`, `{"a":1,"a":2}`,
		`[1,]`, "\xef\xbb\xbf{}", `-0`, `1e2`, `{"\ufb33":1,"\ud83d\ude00":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []Mode{OLPC, JCS} {
			out, err := Canonicalize(data, mode)
			if err != nil {
				continue
			}
			again, err := Canonicalize(out, mode)
			if err != nil {
				t.Fatalf("%s: canonical output does not read back: %v\n%q", mode, err, out)
			}
			if string(again) != string(out) {
				t.Fatalf("%s: not a fixed point:\n%q\n%q", mode, out, again)
			}
			if mode == JCS {
				// Same value as encoding/json reads from the input.
				var in, got any
				if err := json.Unmarshal(data, &in); err != nil {
					t.Fatalf("input accepted here but not by encoding/json: %v", err)
				}
				if err := json.Unmarshal(out, &got); err != nil {
					t.Fatalf("JCS output is not JSON: %v\n%q", err, out)
				}
				if !reflect.DeepEqual(in, got) {
					t.Fatalf("JCS changed the value:\n%q\n%q", data, out)
				}
			}
		}
	})
}

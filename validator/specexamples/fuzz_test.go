package specexamples

import (
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// FuzzExtract checks that extraction and checking never panic and keep
// positions inside the file.
func FuzzExtract(f *testing.F) {
	f.Add("# T\n```json\n{\"a\":1,}\n```\n")
	f.Add("<!-- cnab-validate: kind=bundle fragment -->\n~~~json\n{\"parameters\":{\"p\":{}}}\n~~~")
	f.Add("   ```json\n   [\n```\n````json\n")
	f.Fuzz(func(t *testing.T, md string) {
		lines := strings.Count(md, "\n") + 1
		for _, b := range Extract("f.md", []byte(md)) {
			if b.Line < 1 || b.Line > lines {
				t.Fatalf("block line %d outside 1..%d", b.Line, lines)
			}
			r, err := CheckBlock(b, Options{Validate: validator.Validate})
			if err != nil {
				t.Fatalf("CheckBlock: %v", err)
			}
			for _, f := range r.Findings {
				if f.Line < b.Line {
					t.Fatalf("finding at line %d before its block (line %d)", f.Line, b.Line)
				}
			}
		}
	})
}

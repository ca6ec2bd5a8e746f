package specexamples

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

func checkFixture(t *testing.T, name string) []Result {
	t.Helper()
	md, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := CheckMarkdown(name, md, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestBrokenExamples(t *testing.T) {
	rs := checkFixture(t, "101-broken.md")
	type want struct {
		line    int
		mode    Mode
		rule    string
		message string
	}
	wants := []want{
		{14, NotJSON, "V-01", "trailing comma"},
		{26, Document, "V-10", `"images" must be an object, not null`},
		{41, Document, "B-101-23", "destination"},
		{52, Fragment, "B-101-23", "destination"},
		{60, NotJSON, "V-01", "looks like YAML"},
		{70, NotJSON, "V-01", "placeholder"},
		{77, NotJSON, "V-04", "duplicate"},
	}
	if len(rs) != len(wants) {
		t.Fatalf("got %d blocks, want %d", len(rs), len(wants))
	}
	for i, w := range wants {
		r := rs[i]
		if r.Mode != w.mode {
			t.Errorf("block %d (line %d): mode %s, want %s", i, r.Block.Line, r.Mode, w.mode)
		}
		found := false
		for _, f := range r.Findings {
			if f.Line == w.line && (w.rule == "" || f.Rule == w.rule) && strings.Contains(f.Message, w.message) && f.Severity == validator.Error {
				found = true
			}
		}
		if !found {
			t.Errorf("block %d: want %s at line %d with %q, got %+v", i, w.rule, w.line, w.message, r.Findings)
		}
	}
}

func TestValidExamplesReportNothing(t *testing.T) {
	rs := checkFixture(t, "400-valid.md")
	modes := []Mode{Document, SyntaxOnly, Skipped, SyntaxOnly, Fragment, Document, Document}
	if len(rs) != len(modes) {
		t.Fatalf("got %d blocks, want %d: %+v", len(rs), len(modes), rs)
	}
	for i, r := range rs {
		if len(r.Findings) != 0 {
			t.Errorf("block at line %d: unexpected findings %+v", r.Block.Line, r.Findings)
		}
		if r.Mode != modes[i] {
			t.Errorf("block at line %d: mode %s, want %s", r.Block.Line, r.Mode, modes[i])
		}
	}
	if rs[0].Kind != validator.KindClaim || rs[6].Kind != validator.KindRelocationMapping {
		t.Errorf("kinds: %s, %s", rs[0].Kind, rs[6].Kind)
	}
}

func TestExtract(t *testing.T) {
	md := "# H1\n<!-- cnab-validate: kind=claim spec=main bogus -->\n```json\n{}\n```\n## H2\n````JSON extra\n[1]\n```\n````\n```go\nx\n```\n```json\nunterminated"
	bs := Extract("f.md", []byte(md))
	if len(bs) != 3 {
		t.Fatalf("got %d blocks: %+v", len(bs), bs)
	}
	if b := bs[0]; b.Line != 3 || b.Heading != "H1" || b.Hint.Kind != "claim" || b.Hint.Spec != "main" || len(b.Hint.Unknown) != 1 || string(b.Text) != "{}" {
		t.Errorf("block 0 = %+v", b)
	}
	if b := bs[1]; b.Line != 7 || b.Heading != "H2" || b.Hint.Present || string(b.Text) != "[1]\n```" {
		t.Errorf("block 1 = %+v (a shorter fence does not close a longer one)", b)
	}
	if b := bs[2]; string(b.Text) != "unterminated" {
		t.Errorf("block 2 = %+v", b)
	}
}

func TestHints(t *testing.T) {
	tests := []struct {
		line string
		want Hint
		ok   bool
	}{
		{"<!-- cnab-validate: skip -->", Hint{Present: true, Skip: true}, true},
		{"  <!--cnab-validate: kind=bundle fragment-->", Hint{Present: true, Kind: "bundle", Fragment: true}, true},
		{"<!-- a comment -->", Hint{}, false},
		{"text", Hint{}, false},
	}
	for _, tc := range tests {
		h, ok := parseHint(tc.line)
		if ok != tc.ok || h.Skip != tc.want.Skip || h.Kind != tc.want.Kind || h.Fragment != tc.want.Fragment {
			t.Errorf("parseHint(%q) = %+v, %v", tc.line, h, ok)
		}
	}
}

func TestUnknownHintWordIsReported(t *testing.T) {
	b := Block{File: "x.md", Line: 5, Text: []byte(`[1]`), Hint: Hint{Present: true, Unknown: []string{"kinds=claim"}}}
	r, err := CheckBlock(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Severity != validator.Warning || !strings.Contains(r.Findings[0].Message, "kinds=claim") {
		t.Fatalf("findings = %+v", r.Findings)
	}
}

func TestCheckDir(t *testing.T) {
	rs, err := CheckDir("testdata", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 14 {
		t.Fatalf("got %d blocks from testdata, want 14", len(rs))
	}
	if !strings.HasSuffix(rs[0].Block.File, "testdata/101-broken.md") {
		t.Errorf("first file %s", rs[0].Block.File)
	}
}

func TestBadHintValues(t *testing.T) {
	for _, h := range []Hint{{Present: true, Kind: "0"}, {Present: true, Spec: "v9"}} {
		r, err := CheckBlock(Block{File: "x.md", Line: 1, Text: []byte(`{}`), Hint: h}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Mode != SyntaxOnly || len(r.Findings) != 1 || r.Findings[0].Rule != "V-08" {
			t.Errorf("hint %+v: %+v", h, r)
		}
	}
}

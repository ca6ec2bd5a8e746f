package jsontree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/benchdata"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func stdDecode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json rejects %q: %v", s, err)
	}
	return v
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `0`, `-0.5e+10`, `"x"`, `true`, `false`, `null`,
		` {"a": [1, 2.5, -3e2, {"b": null}], "c": "\u00e9\ud83d\ude00 \n\t\" \\ \/", "d": {"e": {}}} `,
		`{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[{"image":"a"}]}`,
		`"lone surrogate \ud800 stays replaced"`,
		`["é", "日本", "a\u0000b"]`,
	}
	for _, d := range docs {
		got, probs := Decode([]byte(d), Limits{})
		if len(probs) > 0 {
			t.Errorf("%s: unexpected problems %v", d, probs)
			continue
		}
		if want := stdDecode(t, d); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", d, got, want)
		}
	}
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		kind    ProblemKind
		offset  int
		pointer string
		usable  bool
	}{
		{"empty", []byte(""), Empty, 0, "", false},
		{"blank", []byte(" \n\t "), Empty, 4, "", false},
		{"trailing comma", []byte(`{"a":1,}`), Syntax, 7, "", false},
		{"single quotes", []byte(`{'a':1}`), Syntax, 1, "", false},
		{"garbage after", []byte(`{} x`), Syntax, 3, "", false},
		{"unterminated", []byte(`"abc`), Syntax, 0, "", false},
		{"control char", []byte("\"a\tb\""), Syntax, 2, "", false},
		{"bad escape", []byte(`"\q"`), Syntax, 1, "", false},
		{"leading zero", []byte(`01`), Syntax, 1, "", false},
		{"bare minus", []byte(`-`), Syntax, 1, "", false},
		{"bad utf8", []byte("{\"a\":\"\xe9\"}"), BadUTF8, 6, "", false},
		{"bom", []byte("\xef\xbb\xbf{}"), BOM, 0, "", true},
		{"duplicate", []byte(`{"a":{"b/c":1,"b/c":2}}`), Duplicate, 14, "/a/b~1c", true},
		{"duplicate in array", []byte(`[0,{"x":1,"x":1}]`), Duplicate, 10, "/1/x", true},
		{"deep", bytes.Repeat([]byte("["), 100000), TooDeep, 10000, "", false},
		{"big exponent", []byte(`[1e999999999]`), BigNumber, 1, "", false},
		{"long number", []byte("[" + strings.Repeat("9", 1000) + "]"), BigNumber, 1, "", false},
		{"exponent over limit", []byte(`1e401`), BigNumber, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, probs := Decode(tt.in, Limits{})
			if len(probs) == 0 {
				t.Fatalf("no problem reported")
			}
			p := probs[len(probs)-1]
			if tt.usable {
				p = probs[0]
			}
			if p.Kind != tt.kind || p.Offset != tt.offset || p.Pointer != tt.pointer {
				t.Errorf("got %+v, want kind %d offset %d pointer %q", p, tt.kind, tt.offset, tt.pointer)
			}
			if p.Message == "" {
				t.Error("problem without message")
			}
			if usable := root != nil; usable != tt.usable {
				t.Errorf("usable tree = %v, want %v", usable, tt.usable)
			}
			if p.Fatal() == tt.usable {
				t.Errorf("Fatal() = %v for a usable=%v problem", p.Fatal(), tt.usable)
			}
		})
	}
}

func TestDecodeHugeStringBoundedWork(t *testing.T) {
	s := `{"a":"` + strings.Repeat("x", 10_000_000) + `"}`
	root, probs := Decode([]byte(s), Limits{})
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	if got := len(root.(map[string]any)["a"].(string)); got != 10_000_000 {
		t.Fatalf("string length %d", got)
	}
}

func TestDuplicatesAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 500 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k":1`)
	}
	b.WriteString("}")
	_, probs := Decode([]byte(b.String()), Limits{MaxDuplicates: 10})
	if len(probs) != 10 {
		t.Fatalf("got %d problems, want 10", len(probs))
	}
}

func TestLocate(t *testing.T) {
	doc := []byte("{\n  \"a\": [10, {\"b/c\": \"x\", \"d\": [true]}],\n  \"e~f\": {\"g\": 1},\n  \"h\": 1,\n  \"h\": 2\n}")
	tests := []struct {
		ptr       string
		line, col int
		exact     bool
	}{
		{"", 1, 1, true},
		{"/a", 2, 8, true},
		{"/a/0", 2, 9, true},
		{"/a/1/b~1c", 2, 21, true},
		{"/a/1/d/0", 2, 32, true},
		{"/e~0f/g", 3, 16, true},
		{"/h", 5, 8, true}, // the last duplicate wins, as in Decode
		{"/a/1/missing", 2, 13, false},
		{"/a/7", 2, 8, false},
		{"/a/x", 2, 8, false},
		{"/nope/deeper", 1, 1, false},
	}
	for _, tt := range tests {
		off, exact := Locate(doc, tt.ptr)
		line, col := LineCol(doc, off)
		if line != tt.line || col != tt.col || exact != tt.exact {
			t.Errorf("Locate(%q) = %d:%d exact=%v, want %d:%d exact=%v", tt.ptr, line, col, exact, tt.line, tt.col, tt.exact)
		}
	}
}

func TestLocateEscapedKeyAndBOM(t *testing.T) {
	doc := []byte("\xef\xbb\xbf{\"a\\u0062\": 1, \"s\": \"q\\\"{\"}")
	off, exact := Locate(doc, "/ab")
	if !exact || doc[off] != '1' {
		t.Errorf("escaped key: offset %d exact %v", off, exact)
	}
	off, exact = Locate(doc, "/s")
	if !exact || doc[off] != '"' {
		t.Errorf("after a string holding an escaped quote: offset %d exact %v", off, exact)
	}
}

func TestLineColCountsCharacters(t *testing.T) {
	doc := []byte("{\"é\": \"日本\", \"x\": 1}")
	off, _ := Locate(doc, "/x")
	if _, col := LineCol(doc, off); col != 18 {
		t.Errorf("column %d, want 18 (characters, not bytes)", col)
	}
}

func TestPointerTokens(t *testing.T) {
	for _, s := range []string{"a", "a/b", "~", "~1", "a.b", ""} {
		if got := UnescapeToken(EscapeToken(s)); got != s {
			t.Errorf("round trip of %q gives %q", s, got)
		}
	}
	if got := SplitPointer("/a~1b/~0/0"); !reflect.DeepEqual(got, []string{"a/b", "~", "0"}) {
		t.Errorf("SplitPointer: %q", got)
	}
	if SplitPointer("") != nil {
		t.Error("the root pointer has no tokens")
	}
}

// FuzzDecode: never panics; agrees with encoding/json on every input both
// accept; rejects what encoding/json rejects (except a BOM, which we skip
// with a finding); Locate finds every duplicate's pointer.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `"\ud83d\ude00"`, `{"a":1,"a":2}`, "\xef\xbb\xbf[]", `[1e5, -0.0, 1E-2]`, `{"a/b~c":{"d.e":true}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, probs := Decode(data, Limits{MaxDepth: 200})
		for _, p := range probs {
			if p.Kind == Duplicate {
				if _, exact := Locate(data, p.Pointer); !exact {
					t.Errorf("duplicate at %q cannot be located", p.Pointer)
				}
			}
		}
		fatal := len(probs) > 0 && probs[len(probs)-1].Fatal()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		stdErr := dec.Decode(&want)
		if stdErr == nil {
			if _, err := dec.Token(); err != io.EOF {
				stdErr = errTrailing
			}
		}
		bom := bytes.HasPrefix(data, []byte("\xef\xbb\xbf"))
		switch {
		case stdErr != nil && !fatal && !bom:
			t.Fatalf("accepted input encoding/json rejects (%v): %q", stdErr, data)
		case stdErr == nil && fatal:
			switch probs[len(probs)-1].Kind {
			case BadUTF8, TooDeep, BigNumber:
				// encoding/json replaces bad UTF-8 and accepts any number and depth up to 10,000
			default:
				t.Fatalf("rejected input encoding/json accepts (%v): %q", probs, data)
			}
		case stdErr == nil && !fatal && !reflect.DeepEqual(root, want):
			t.Fatalf("decoded %#v, encoding/json %#v", root, want)
		}
	})
}

var errTrailing = &json.SyntaxError{}

// TestLocateAllMatchesLocate: the one-pass locator gives the same answers
// as Locate, including missing members, duplicates, escapes and a BOM.
func TestLocateAllMatchesLocate(t *testing.T) {
	docs := []string{
		"{\n  \"a\": [10, {\"b/c\": \"x\", \"d\": [true, [], {}]}],\n  \"e~f\": {\"g\": 1},\n  \"h\": 1,\n  \"h\": 2\n}",
		"\xef\xbb\xbf{\"a\\u0062\": 1, \"s\": \"q\\\"{\", \"t\": {\"u\": []}}",
		`[[[1,2],[3,{"x":"é","y":[null]}]],"z"]`,
		`"scalar"`,
	}
	ptrs := []string{"", "/a", "/a/0", "/a/1/b~1c", "/a/1/d/0", "/a/1/d/1", "/a/1/d/2", "/e~0f/g", "/h", "/a/1/missing", "/a/7", "/nope/deeper",
		"/ab", "/s", "/t/u", "/t/u/0", "/0/1/1/y/0", "/0/1/1/x", "/1", "/0/0/1", "/2"}
	for _, d := range docs {
		got := LocateAll([]byte(d), ptrs)
		gotPos := LineCols([]byte(d), got)
		for i, p := range ptrs {
			want, _ := Locate([]byte(d), p)
			if got[i] != want {
				t.Errorf("%q %q: LocateAll %d, Locate %d", d, p, got[i], want)
			}
			l, c := LineCol([]byte(d), want)
			if gotPos[i] != (Position{l, c}) {
				t.Errorf("%q %q: LineCols %v, LineCol %d:%d", d, p, gotPos[i], l, c)
			}
		}
	}
}

func TestLocateAllIsLinear(t *testing.T) {
	// 20,000 members on one line, every one located: must be quick.
	var b strings.Builder
	b.WriteString("{")
	ptrs := make([]string, 0, 20000)
	for i := range 20000 {
		if i > 0 {
			b.WriteString(",")
		}
		k := "k" + strconv.Itoa(i)
		b.WriteString(`"` + k + `":"` + strings.Repeat("é", 50) + `"`)
		ptrs = append(ptrs, "/"+k+"/missing")
	}
	b.WriteString("}")
	data := []byte(b.String())
	offs := LocateAll(data, ptrs)
	pos := LineCols(data, offs)
	if pos[19999].Line != 1 || pos[19999].Column < 20000*50 {
		t.Fatalf("last position %v", pos[19999])
	}
}

// TestArenaReuse: trees decoded through an arena equal the plain ones, also
// after containers were recycled, and recycled containers start empty.
func TestArenaReuse(t *testing.T) {
	docs := []string{`{"a":[1,{"b":"c"}],"d":{"e":null}}`, `[{"x":1},{"y":[2,3,4,5,6]}]`, `{"a":{}}`, `{"q":`}
	var a Arena
	for round := range 3 {
		for _, d := range docs {
			got, gp := DecodeArena([]byte(d), Limits{}, &a)
			want, wp := Decode([]byte(d), Limits{})
			if !reflect.DeepEqual(got, want) || len(gp) != len(wp) {
				t.Fatalf("round %d %s: %#v vs %#v", round, d, got, want)
			}
			a.Release()
		}
	}
	if len(a.freeMaps) == 0 || len(a.freeArrs) == 0 {
		t.Fatal("nothing recycled")
	}
	for _, m := range a.freeMaps {
		if len(m) != 0 {
			t.Fatal("recycled map not empty")
		}
	}
}

func BenchmarkDecodeBundleArena(b *testing.B) {
	doc := benchdata.Bundle(1)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	var a Arena
	for b.Loop() {
		DecodeArena(doc, Limits{}, &a)
		a.Release()
	}
}

// TestPlainRun: the word-at-a-time skip stops exactly at the first byte that
// is not plain, or within the last word of the input.
func TestPlainRun(t *testing.T) {
	specials := []byte{'"', '\\', 0x00, 0x1f, 0x80, 0xff, 0xc3}
	for n := 0; n < 40; n++ {
		for pos := -1; pos < n; pos++ {
			for _, sp := range specials {
				data := make([]byte, n)
				for i := range data {
					data[i] = byte(0x20 + (i*7)%0x60) // plain, 0x7f included
					if !plain[data[i]] {
						data[i] = 'a'
					}
				}
				if pos >= 0 {
					data[pos] = sp
				}
				first := n
				if pos >= 0 {
					first = pos
				}
				got := plainRun(data, 0)
				if got > first || (got != first && got+8 <= n) {
					t.Fatalf("n=%d special 0x%02x at %d: plainRun = %d", n, sp, pos, got)
				}
			}
		}
	}
}

// TestBoxedValues: strings and numbers boxed from the decoder's blocks are
// ordinary values of their types, each its own, however many there are.
func TestBoxedValues(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	const n = 100 // more than one block of headers
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"s%d",%d`, i, 1000+i)
	}
	b.WriteString("]")
	for _, arena := range []*Arena{nil, new(Arena)} {
		root, problems := decode([]byte(b.String()), Limits{}, arena)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		list := root.([]any)
		for i := range n {
			if s, ok := list[2*i].(string); !ok || s != fmt.Sprintf("s%d", i) {
				t.Fatalf("item %d = %#v", 2*i, list[2*i])
			}
			if num, ok := list[2*i+1].(json.Number); !ok || string(num) != strconv.Itoa(1000+i) {
				t.Fatalf("item %d = %#v", 2*i+1, list[2*i+1])
			}
			if list[2*i] != any(fmt.Sprintf("s%d", i)) || list[2*i+1] != any(json.Number(strconv.Itoa(1000+i))) {
				t.Fatalf("items %d, %d do not compare equal to their plain forms", 2*i, 2*i+1)
			}
		}
		if arena != nil {
			arena.Release()
		}
	}
}

package canonical

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct {
		name      string
		mode      Mode
		in, want  string
		wantErr   error
		errSubstr string
	}{
		// Whitespace and key order, both modes.
		{name: "olpc strips whitespace and sorts", mode: OLPC, in: " { \"b\" : 1 ,\n\t\"a\" : [ true , false , null ] } ", want: `{"a":[true,false,null],"b":1}`},
		{name: "jcs strips whitespace and sorts", mode: JCS, in: " { \"b\" : 1 ,\n\t\"a\" : [ true , false , null ] } ", want: `{"a":[true,false,null],"b":1}`},
		{name: "nested objects sorted", mode: OLPC, in: `{"z":{"y":1,"x":2},"a":{}}`, want: `{"a":{},"z":{"x":2,"y":1}}`},
		{name: "scalar document", mode: JCS, in: ` "x" `, want: `"x"`},
		{name: "empty containers", mode: OLPC, in: `[ [ ] , { } ]`, want: `[[],{}]`},

		// OLPC numbers: integers only.
		{name: "olpc integer kept", mode: OLPC, in: `[0,-7,123456789012345678901234567890]`, want: `[0,-7,123456789012345678901234567890]`},
		{name: "olpc minus zero", mode: OLPC, in: `-0`, want: `0`},
		{name: "olpc integral fraction", mode: OLPC, in: `[1.0,1e2,-2.50e1,0.0e5,12E-1]`, wantErr: ErrNumber, errSubstr: "12E-1 is not an integer"},
		{name: "olpc integral forms rewritten", mode: OLPC, in: `[1.0,1e2,-2.50e1,0.0e5,1200e-2]`, want: `[1,100,-25,0,12]`},
		{name: "olpc fraction rejected", mode: OLPC, in: `{"maximum":1.5}`, wantErr: ErrNumber, errSubstr: "offset 11"},
		{name: "olpc huge exponent rejected", mode: OLPC, in: `1e999999999999`, wantErr: ErrNumber},
		{name: "olpc zero with huge exponent", mode: OLPC, in: `0e999999999999`, want: `0`},
		{name: "olpc too many digits", mode: OLPC, in: `1e5000`, wantErr: ErrNumber},

		// OLPC strings: escape only quote and backslash.
		{name: "olpc escapes only quote and backslash", mode: OLPC, in: `"a\"b\\c\/d\n\u00e9\u0001"`, want: "\"a\\\"b\\\\c/d\n\u00e9\x01\""},
		{name: "olpc reads its own raw control characters", mode: OLPC, in: "\"a\nb\"", want: "\"a\nb\""},

		// JCS numbers (ECMAScript Number::toString). Vectors worked out by hand.
		{name: "jcs integers", mode: JCS, in: `[0,-0,1,-1,100,1E2,1.0,4.50]`, want: `[0,0,1,-1,100,100,1,4.5]`},
		{name: "jcs fractions", mode: JCS, in: `[0.5,123.456,0.000001,2e-3,0.30000000000000004]`, want: `[0.5,123.456,0.000001,0.002,0.30000000000000004]`},
		{name: "jcs exponent thresholds", mode: JCS, in: `[1e20,1e21,1e-6,1e-7,1.5e300,-1.5e-300]`, want: `[100000000000000000000,1e+21,0.000001,1e-7,1.5e+300,-1.5e-300]`},
		{name: "jcs double rounding", mode: JCS, in: `[9007199254740993,333333333.33333329,295147905179352830000]`, want: `[9007199254740992,333333333.3333333,295147905179352830000]`},
		{name: "jcs extremes", mode: JCS, in: `[5e-324,1.7976931348623157e308,1e-400]`, want: `[5e-324,1.7976931348623157e+308,0]`},
		{name: "jcs overflow rejected", mode: JCS, in: `{"a":1e400}`, wantErr: ErrNumber, errSubstr: "offset 5"},

		// JCS strings.
		{name: "jcs short escapes", mode: JCS, in: `"\u0008\u0009\u000a\u000c\u000d\"\\"`, want: `"\b\t\n\f\r\"\\"`},
		{name: "jcs other controls lowercase hex", mode: JCS, in: `"\u0001\u001F"`, want: `"\u0001\u001f"`},
		{name: "jcs raw non-ascii", mode: JCS, in: `"\u20ac\/\u007f\u2028\ud83d\ude00"`, want: "\"\u20ac/\u007f\u2028\U0001F600\""},
		{name: "jcs raw control rejected", mode: JCS, in: "\"a\nb\"", wantErr: ErrSyntax},

		// Key order: UTF-16 code units (JCS) versus code points (OLPC).
		{name: "jcs utf16 key order", mode: JCS, in: "{\"\ufb33\":1,\"\U0001F600\":2,\"\u20ac\":3,\"\u00f6\":4,\"1\":5,\"\\r\":6}", want: "{\"\\r\":6,\"1\":5,\"\u00f6\":4,\"\u20ac\":3,\"\U0001F600\":2,\"\ufb33\":1}"},
		{name: "olpc code point key order", mode: OLPC, in: "{\"\ufb33\":1,\"\U0001F600\":2,\"\u20ac\":3,\"\u00f6\":4,\"1\":5,\"\\r\":6}", want: "{\"\r\":6,\"1\":5,\"\u00f6\":4,\"\u20ac\":3,\"\ufb33\":1,\"\U0001F600\":2}"},
		{name: "prefix key sorts first", mode: JCS, in: `{"ab":1,"a":2}`, want: `{"a":2,"ab":1}`},

		// Errors common to both modes.
		{name: "duplicate key", mode: OLPC, in: `{"a":1,"b":2,"a":3}`, wantErr: ErrDuplicateKey, errSubstr: "offset 13"},
		{name: "duplicate key after unescape", mode: JCS, in: `{"a":1,"\u0061":2}`, wantErr: ErrDuplicateKey},
		{name: "nested duplicate", mode: JCS, in: `[{"x":{"k":1,"k":1}}]`, wantErr: ErrDuplicateKey},
		{name: "empty", mode: JCS, in: ``, wantErr: ErrSyntax, errSubstr: "empty input"},
		{name: "trailing comma object", mode: JCS, in: `{"a":1,}`, wantErr: ErrSyntax, errSubstr: "trailing comma"},
		{name: "trailing comma array", mode: OLPC, in: `[1,]`, wantErr: ErrSyntax, errSubstr: "trailing comma"},
		{name: "trailing data", mode: JCS, in: `{} {}`, wantErr: ErrSyntax},
		{name: "leading zero", mode: OLPC, in: `01`, wantErr: ErrSyntax},
		{name: "bad literal", mode: OLPC, in: `nul`, wantErr: ErrSyntax},
		{name: "bom", mode: JCS, in: "\xef\xbb\xbf{}", wantErr: ErrEncoding},
		{name: "invalid utf8", mode: OLPC, in: "\"\xff\"", wantErr: ErrEncoding},
		{name: "lone surrogate", mode: JCS, in: `"\ud800"`, wantErr: ErrEncoding},
		{name: "low surrogate first", mode: OLPC, in: `"\udc00\ud800"`, wantErr: ErrEncoding},
		{name: "bad escape", mode: JCS, in: `"\x"`, wantErr: ErrSyntax},
		{name: "unterminated", mode: JCS, in: `{"a":"b`, wantErr: ErrSyntax},
		{name: "too deep", mode: JCS, in: strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1), wantErr: ErrDepth},
		{name: "deep but allowed", mode: JCS, in: strings.Repeat("[", 100) + strings.Repeat("]", 100), want: strings.Repeat("[", 100) + strings.Repeat("]", 100)},
		{name: "unknown mode", mode: 0, in: `{}`, wantErr: ErrMode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Canonicalize([]byte(tc.in), tc.mode)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				var ce *Error
				if !errors.As(err, &ce) {
					t.Fatalf("err %T is not *Error", err)
				}
				if tc.errSubstr != "" && !strings.Contains(err.Error(), tc.errSubstr) {
					t.Fatalf("err = %q, want it to contain %q", err, tc.errSubstr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if string(got) != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			// The canonical form is a fixed point.
			again, err := Canonicalize(got, tc.mode)
			if err != nil || string(again) != string(got) {
				t.Fatalf("not idempotent: %q -> %q (%v)", got, again, err)
			}
		})
	}
}

func TestIsCanonical(t *testing.T) {
	tests := []struct {
		in   string
		mode Mode
		want bool
	}{
		{`{"a":1,"b":[1,2]}`, OLPC, true},
		{`{"b":1,"a":2}`, OLPC, false},
		{`{"a": 1}`, JCS, false},
		{`{"a":1.5}`, JCS, true},
		{`{"a":1.50}`, JCS, false},
		{`{"a":1e2}`, OLPC, false},
		{`"\u00e9"`, JCS, false},
		{"\"\u00e9\"", JCS, true},
		{`{"a":"\n"}`, JCS, true},
		{`{"a":"\n"}`, OLPC, false},
	}
	for _, tc := range tests {
		got, err := IsCanonical([]byte(tc.in), tc.mode)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.mode, tc.in, err)
		}
		if got != tc.want {
			t.Errorf("IsCanonical(%s, %s) = %v, want %v", tc.in, tc.mode, got, tc.want)
		}
	}
	if _, err := IsCanonical([]byte(`{"a":1,"a":1}`), JCS); !errors.Is(err, ErrDuplicateKey) {
		t.Errorf("duplicate key: err = %v", err)
	}
}

func TestModeForSpec(t *testing.T) {
	tests := []struct {
		v    string
		want Mode
	}{
		{"cnab-core-1.0", OLPC}, {"cnab-core-1.1.0", OLPC}, {"cnab-claims-1.0.0", OLPC},
		{"cnab-core-1.2.0", JCS}, {"main", JCS}, {"2019-03-12-wd", OLPC},
		{"v1", OLPC}, {"v1.0.0-WD", OLPC}, {"v1.0.1", OLPC}, {"v1.1.0", OLPC}, {"v1.2.0", JCS},
	}
	for _, tc := range tests {
		got, err := ModeForSpec(tc.v)
		if err != nil || got != tc.want {
			t.Errorf("ModeForSpec(%q) = %v, %v; want %v", tc.v, got, err, tc.want)
		}
	}
	if _, err := ModeForSpec("v9.9.9"); err == nil {
		t.Error("ModeForSpec(v9.9.9): want an error")
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"olpc": OLPC, "JCS": JCS, "rfc8785": JCS} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseMode("json"); err == nil {
		t.Error("ParseMode(json): want an error")
	}
}

func TestFirstDifference(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"abc", "abc", -1}, {"abc", "abd", 2}, {"ab", "abc", 2}, {"", "x", 0}}
	for _, tc := range tests {
		if got := FirstDifference([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("FirstDifference(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestMarshal(t *testing.T) {
	v := map[string]any{"name": "<b>", "n": 3, "list": []int{2, 1}}
	got, err := Marshal(v, JCS)
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json escapes '<' and '>'; the canonical form writes them raw.
	if want := `{"list":[2,1],"n":3,"name":"<b>"}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if _, err := Marshal(map[string]any{"x": 0.5}, OLPC); !errors.Is(err, ErrNumber) {
		t.Fatalf("OLPC fraction: err = %v", err)
	}
	if _, err := Marshal(func() {}, JCS); err == nil {
		t.Fatal("unencodable value: want an error")
	}
}

// TestJCSAgreesWithEncodingJSON checks that JCS output decodes to the same
// value encoding/json reads from the input.
func TestJCSAgreesWithEncodingJSON(t *testing.T) {
	in := `{"b":[1,2.5,-3e-2,"x\ty"],"a":{"c":null,"d":true},"\u00fc":"\u2028"}`
	got, err := Canonicalize([]byte(in), JCS)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatalf("JCS output is not JSON: %v", err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("values differ:\n%s\n%s", ja, jb)
	}
}

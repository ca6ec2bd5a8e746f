package validator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/benchdata"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
	"github.com/cnab-conformance/cnab-conformance/validator/schemas"
)

// minimal is a valid 1.2 bundle with no findings at any level.
func minimal(t testing.TB) []byte {
	t.Helper()
	b := benchdata.Bundle(7)
	r, err := Validate("minimal.json", b, Options{})
	if err != nil || len(r.Findings) != 0 {
		t.Fatalf("the benchmark bundle is not clean: %v %+v", err, r.Findings)
	}
	return b
}

func rulesOf(r Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// TestRobustness: hostile or broken input gives one clear finding, never a
// panic, with bounded work.
func TestRobustness(t *testing.T) {
	good := minimal(t)
	tests := []struct {
		name string
		in   []byte
		opts Options
		want string // the single finding's rule; "" for none
	}{
		{"empty", nil, Options{}, "V-09"},
		{"whitespace", []byte("  \n"), Options{}, "V-09"},
		{"not JSON", []byte("name: x\nversion: 1\n"), Options{}, "V-01"},
		{"truncated", good[:len(good)/2], Options{}, "V-01"},
		{"not UTF-8", bytes.Replace(good, []byte("Bench Team"), []byte("Bench T\xe9am"), 1), Options{}, "V-02"},
		{"BOM", append([]byte("\xef\xbb\xbf"), good...), Options{}, "V-03"},
		{"100,000 deep", bytes.Repeat([]byte("["), 100000), Options{}, "V-05"},
		{"huge exponent", []byte(`{"schemaVersion":"v1.2.0","n":1e999999999}`), Options{}, "V-07"},
		{"huge mantissa", []byte(`[` + strings.Repeat("7", 100000) + `]`), Options{}, "V-07"},
		{"over max size", good, Options{MaxSize: 100}, "V-06"},
		{"array document", []byte(`[1,2]`), Options{}, "V-08"},
		{"10 MB string", bytes.Replace(good, []byte(`"Benchmark bundle`), []byte(`"`+strings.Repeat("x", 10_000_000)), 1), Options{MaxSize: 20 << 20}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Validate("in.json", tt.in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := rulesOf(r)
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %v", got)
				}
				return
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("want exactly [%s], got %v (%+v)", tt.want, got, r.Findings)
			}
			if f := r.Findings[0]; f.Message == "" || f.Hint == "" || f.Severity != Error {
				t.Errorf("finding lacks message, hint or error severity: %+v", f)
			}
		})
	}
}

func TestInputPositions(t *testing.T) {
	r, _ := Validate("x.json", []byte("{\n  \"a\": 1,\n  \"b\": [1,]\n}"), Options{})
	if len(r.Findings) != 1 || r.Findings[0].Line != 3 || r.Findings[0].Column != 11 {
		t.Fatalf("syntax error position: %+v", r.Findings)
	}
	r, _ = Validate("x.json", []byte("{\"schemaVersion\":\"v1.2.0\",\n\"name\":\"a\",\n\"name\":\"b\"}"), Options{Kind: KindBundle})
	i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.Rule == "V-04" })
	if i < 0 || r.Findings[i].Pointer != "/name" || r.Findings[i].Line != 3 || r.Findings[i].Column != 1 {
		t.Fatalf("duplicate key finding: %+v", r.Findings)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []Options{{Spec: "cnab-core-9"}, {Kind: "widget"}, {MaxSize: -1}, {SchemaDir: filepath.Join(t.TempDir(), "missing")}, {SchemaDir: t.TempDir()}} {
		if _, err := Validate("x", []byte("{}"), o); err == nil {
			t.Errorf("options %+v: no error", o)
		}
	}
}

func TestDetectKind(t *testing.T) {
	tests := []struct {
		doc  string
		want Kind
	}{
		{`{"schemaVersion":"v1.2.0"}`, KindBundle},
		{`{"name":"x","version":"1.0.0"}`, KindBundle},
		{`{"installation":"i","bundle":{}}`, KindClaim},
		{`{"name":"i","revision":"r","bundle":{},"modified":"x"}`, KindClaim},
		{`{"claimId":"c","status":"succeeded"}`, KindClaimResult},
		{`{"requires":{}}`, KindDependencies},
		{`{"sequence":[]}`, KindDependencies},
		{`{"p":{"priority":["output"],"sources":{}}}`, KindParameterSources},
		{`{"docker.io/a:1":"mirror/a:1"}`, KindRelocationMapping},
		{`{"status":"Ready","message":"ok"}`, KindStatus},
		{`{"components":{}}`, KindStatus},
	}
	for _, tt := range tests {
		r, _ := Validate("x", []byte(tt.doc), Options{})
		if r.Kind != tt.want {
			t.Errorf("%s: kind %q, want %q", tt.doc, r.Kind, tt.want)
		}
	}
	for _, doc := range []string{`{}`, `[]`, `"s"`, `{"a":1}`} {
		if k, ok := DetectKind(mustDecode(t, doc)); ok {
			t.Errorf("%s detected as %s", doc, k)
		}
	}
}

func TestDetectSpec(t *testing.T) {
	tests := []struct {
		doc     string
		opts    Options
		want    Spec
		finding bool
	}{
		{`{"schemaVersion":"v1"}`, Options{}, SpecCore10, false},
		{`{"schemaVersion":"v1.0.0-WD"}`, Options{}, SpecCore10, false},
		{`{"schemaVersion":"v1.0.0"}`, Options{}, SpecCore10, false},
		{`{"schemaVersion":"v1.0.1"}`, Options{}, SpecCore10, false},
		{`{"schemaVersion":"v1.1.0"}`, Options{}, SpecCore11, false},
		{`{"schemaVersion":"v1.2.0"}`, Options{}, SpecCore12, false},
		{`{"schemaVersion":"v1.3.0"}`, Options{}, LatestRelease, true},
		{`{"schemaVersion":"1.2.0"}`, Options{}, LatestRelease, true},
		{`{"schemaVersion":"v1.3.0"}`, Options{Spec: SpecMain}, SpecMain, true},
		{`{"schemaVersion":"v1.0.0"}`, Options{Spec: SpecCore12}, SpecCore12, false},
		{`{"installation":"i","id":"x","bundle":{"schemaVersion":"v1.0.0"}}`, Options{}, SpecCore11, false},
		{`{"name":"i","revision":"r","modified":"m","bundle":{"schemaVersion":"v1.2.0"}}`, Options{}, SpecCore10, false},
		{`{"installation":"i","bundle":{"schemaVersion":"vX"}}`, Options{}, LatestRelease, true},
		{`{"claimId":"c","status":"canceled"}`, Options{}, SpecMain, false},
		{`{"claimId":"c","status":"cancelled"}`, Options{}, LatestRelease, false},
	}
	for _, tt := range tests {
		r, err := Validate("x", []byte(tt.doc), tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Spec != tt.want {
			t.Errorf("%s: spec %s, want %s", tt.doc, r.Spec, tt.want)
		}
		if got := slices.Contains(rulesOf(r), "B-101-03"); got != tt.finding {
			t.Errorf("%s: B-101-03 reported = %v, want %v", tt.doc, got, tt.finding)
		}
	}
}

// TestSchemaFindings: schema errors become findings with the right rule,
// an RFC 6901 pointer (keys with dots and slashes escaped correctly), a
// position and a message that names the problem.
func TestSchemaFindings(t *testing.T) {
	tests := []struct {
		name, doc       string
		opts            Options
		rule, pointer   string
		line, col       int
		messageContains string
	}{
		{"missing schemaVersion", `{"name":"x","version":"1.0.0","invocationImages":[{"image":"a"}]}`, Options{Kind: KindBundle},
			"B-101-02", "/schemaVersion", 1, 1, `missing the required property "schemaVersion"`},
		{"unknown root member", `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[],
 "x/y.z":1}`, Options{}, "B-101-44", "/x~1y.z", 2, 10, `property "x/y.z" is not allowed`},
		{"parameter without destination", `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[],
"definitions":{"s":{"type":"string"}},
"parameters":{"a.b/c":{"definition":"s"}}}`, Options{}, "B-101-23", "/parameters/a.b~1c/destination", 3, 23, `missing the required property "destination"`},
		{"wrong type", `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[{"image":"a","size":"12"}]}`, Options{},
			"V-10", "/invocationImages/0/size", 1, 96, `"size" must be an integer, not a string`},
		{"definition type int", `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[],"definitions":{"p":{"type":"int"}}}`, Options{},
			"B-101-19", "/definitions/p/type", 1, 105, `must be one of "array", "boolean", "integer", "null", "number", "object", "string", not "int"`},
		{"number in 1.1 definitions", `{"schemaVersion":"v1.1.0","name":"x","version":"1.0.0","invocationImages":[],"definitions":{"p":{"maximum":1.5}}}`, Options{},
			"B-101-19", "/definitions/p/maximum", 1, 108, "must be an integer, not a number"},
		{"output outside outputs", `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[],"definitions":{"s":{}},"outputs":{"o":{"definition":"s","path":"/srv/o"}}}`, Options{},
			"B-101-47", "/outputs/o/path", 1, 141, "does not match the pattern"},
		{"claim result status", `{"claimId":"c","id":"i","created":"t","status":"success"}`, Options{},
			"C-400-08", "/status", 1, 48, `must be one of`},
		{"dependencies sequence", `{"sequence":["a"],"requires":{"a":{"bundle":"r/a"}}}`, Options{},
			"D-500-02", "/sequence", 1, 13, `property "sequence" is not allowed`},
		{"bad relocation mapping", `{"a":"b","c":1}`, Options{Kind: KindRelocationMapping},
			"V-10", "/c", 1, 14, "must be a string"},
		{"claim bundle", `{"id":"i","installation":"n","revision":"r","action":"install","created":"t","bundle":{"name":"x","version":"1.0.0","invocationImages":[]}}`, Options{},
			"B-101-02", "/bundle/schemaVersion", 1, 87, "schemaVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Validate("doc.json", []byte(tt.doc), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range r.Findings {
				if f.Rule == tt.rule && f.Pointer == tt.pointer {
					if f.Line != tt.line || f.Column != tt.col {
						t.Errorf("position %d:%d, want %d:%d", f.Line, f.Column, tt.line, tt.col)
					}
					if !strings.Contains(f.Message, tt.messageContains) {
						t.Errorf("message %q does not contain %q", f.Message, tt.messageContains)
					}
					if f.Hint == "" {
						t.Error("no hint")
					}
					return
				}
			}
			t.Fatalf("no %s finding at %s; got %+v", tt.rule, tt.pointer, r.Findings)
		})
	}
}

// TestValidDocumentsHaveNoSchemaFindings: the other direction of every test
// above: valid documents of every kind give no schema finding.
func TestValidDocumentsHaveNoSchemaFindings(t *testing.T) {
	docs := map[Kind]string{
		KindBundle:            string(minimal(t)),
		KindClaimResult:       `{"claimId":"01ARZ3NDEKTSV4RRFFQ69G5FAV","id":"01ARZ3NDEKTSV4RRFFQ69G5FAW","created":"2020-04-21T15:04:05Z","status":"succeeded"}`,
		KindDependencies:      `{"requires":{"a":{"bundle":"r/a","version":{"ranges":["1.x"]}}}}`,
		KindParameterSources:  `{"p":{"priority":["output"],"sources":{"output":{"name":"o"}}}}`,
		KindRelocationMapping: `{"a":"b"}`,
		KindStatus:            `{"status":"Ready","components":{"db":{"status":"Ready","components":{}}}}`,
	}
	for k, d := range docs {
		r, _ := Validate("d.json", []byte(d), Options{Kind: k})
		for _, f := range r.Findings {
			if slices.Contains(schemaRuleIDs, f.Rule) {
				t.Errorf("%s: unexpected schema finding %+v", k, f)
			}
		}
	}
}

func TestFindingLinksUseTheSpecTag(t *testing.T) {
	doc := `{"schemaVersion":"v1.1.0","version":"1.0.0","invocationImages":[{"image":"a"}]}`
	r, _ := Validate("d.json", []byte(doc), Options{})
	for _, f := range r.Findings {
		if f.Rule == "B-101-04" {
			if want := "https://github.com/cnabio/cnab-spec/blob/cnab-core-1.1.0/101-bundle-json.md"; f.URL != want {
				t.Errorf("URL %q, want %q", f.URL, want)
			}
			return
		}
	}
	t.Fatalf("no B-101-04: %+v", r.Findings)
}

func TestSeverityOf(t *testing.T) {
	tests := map[catalog.Level]Severity{catalog.Must: Error, catalog.MustNot: Error, catalog.Required: Error,
		catalog.Should: Warning, catalog.ShouldNot: Warning, catalog.Recommended: Warning, catalog.May: Info, catalog.Informative: Info}
	for l, want := range tests {
		if got := SeverityOf(l); got != want {
			t.Errorf("%s: %s, want %s", l, got, want)
		}
	}
}

// TestRuleIDsAreKnown: everything the validator can report is catalogued,
// and the corpus run reported no unknown ID.
func TestRuleIDsAreKnown(t *testing.T) {
	ids := RuleIDs()
	for _, id := range ids {
		if _, ok := catalog.Lookup(id); !ok {
			t.Errorf("RuleIDs lists %s, which is not in the catalogue", id)
		}
	}
	for _, want := range []string{"V-01", "V-10", "B-101-02", "B-101-03"} {
		if !slices.Contains(ids, want) {
			t.Errorf("RuleIDs lacks %s", want)
		}
	}
	for _, d := range agreementCorpus(t, "") {
		Validate(d.name, d.data, Options{})
	}
	unknownRuleIDs.Range(func(k, _ any) bool {
		t.Errorf("a check reported rule %v, which is not in the catalogue", k)
		return true
	})
}

func TestUnknownRuleIDIsFlagged(t *testing.T) {
	v, _ := New()
	fs := v.finish("f", []byte("{}"), SpecMain, []rawFinding{{rule: "ZZ-99", message: "m", offset: -1}})
	if len(fs) != 1 || fs[0].Severity != Error || !strings.Contains(fs[0].Message, "not in the catalogue") {
		t.Fatalf("%+v", fs)
	}
	if _, ok := unknownRuleIDs.LoadAndDelete("ZZ-99"); !ok {
		t.Fatal("unknown ID not recorded")
	}
}

func TestPanickingRuleBecomesFinding(t *testing.T) {
	doc := minimal(t)
	saved := docRules
	defer func() { docRules = saved }()
	docRules = append(slices.Clone(saved), docRule{ID: "B-101-05", Kinds: []Kind{KindBundle}, Check: func(c *docContext) { panic("boom") }})
	r, _ := Validate("p.json", doc, Options{Spec: SpecCore12, MaxSize: 1 << 20})
	if !slices.Contains(rulesOf(r), "V-12") {
		t.Fatalf("no V-12: %+v", r.Findings)
	}

	// Rules after a panicking one still run, and each panic is its own V-12.
	panicky := func(id string) docRule {
		return docRule{ID: id, Kinds: []Kind{KindBundle}, Check: func(c *docContext) { panic("boom " + id) }}
	}
	docRules = append(append([]docRule{panicky("B-101-05")}, saved...), panicky("B-101-06"))
	noDigest := []byte(`{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[{"image":"example.com/x:1"}]}`)
	r, _ = Validate("p.json", noDigest, Options{Spec: SpecCore12, MaxSize: 1 << 20})
	var panics []string
	for _, f := range r.Findings {
		if f.Rule == "V-12" {
			panics = append(panics, f.Message)
		}
	}
	slices.Sort(panics)
	want := []string{"check B-101-05 failed internally: boom B-101-05", "check B-101-06 failed internally: boom B-101-06"}
	if !slices.Equal(panics, want) {
		t.Errorf("V-12 messages %q, want %q", panics, want)
	}
	if !slices.Contains(rulesOf(r), "B-101-14") {
		t.Errorf("the rules after the panicking one did not run: %+v", r.Findings)
	}
}

func TestSchemaDir(t *testing.T) {
	official := officialSpecDir(t)
	doc := []byte(`{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[{"image":"a"}],"extra":1}`)
	r, err := Validate("d.json", doc, Options{SchemaDir: filepath.Join(official, "main", "schema")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rulesOf(r), "B-101-44") {
		t.Errorf("schema dir: %+v", r.Findings)
	}
	// A spec checkout (the folder holding schema/) works too.
	if _, err := Validate("d.json", doc, Options{SchemaDir: filepath.Join(official, "main")}); err != nil {
		t.Error(err)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "claim.schema.json"), []byte(`{"$id":"https://cnab.io/v1/claim.schema.json","properties":{"bundle":{"$ref":"https://example.invalid/bundle.json"}}}`), 0o644)
	r, err = Validate("c.json", []byte(`{"installation":"i","bundle":{}}`), Options{SchemaDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rulesOf(r), "V-11") || !strings.Contains(r.Findings[0].Message, "never fetched") {
		t.Errorf("external $ref: %+v", r.Findings)
	}
	r, _ = Validate("s.json", []byte(`{"status":"Ready"}`), Options{SchemaDir: dir})
	if !slices.Contains(rulesOf(r), "V-11") {
		t.Errorf("missing kind: %+v", r.Findings)
	}
}

// TestSchemaAliases: a $ref may use http or https, /specs/ or not, claim or
// claims; all resolve to the folder's files.
func TestSchemaAliases(t *testing.T) {
	got := schemaAliases("http://cnab.io/v1/claims.schema.json", "claim.schema.json")
	for _, want := range []string{"http://cnab.io/v1/claims.schema.json", "https://cnab.io/v1/claims.schema.json",
		"https://cnab.io/v1/claim.schema.json", "http://cnab.io/specs/v1/claim.schema.json"} {
		if !slices.Contains(got, want) {
			t.Errorf("aliases lack %s: %v", want, got)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	docs := benchCorpus(40)
	docs = append(docs, []byte(`{"schemaVersion":"v1.1.0","name":"x","version":"1","invocationImages":[{}]}`), []byte(`{"claimId":1}`))
	v, _ := New()
	want := make([]Result, len(docs))
	for i, d := range docs {
		want[i] = v.Validate("d", d)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range docs {
				j := (i + g) % len(docs)
				got := v.Validate("d", docs[j])
				if !slices.Equal(got.Findings, want[j].Findings) {
					errs <- "results differ under concurrency"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestValidateReader(t *testing.T) {
	r, err := ValidateReader("-", bytes.NewReader(minimal(t)), Options{})
	if err != nil || len(r.Findings) != 0 || r.Kind != KindBundle {
		t.Fatalf("%v %+v", err, r)
	}
	r, _ = ValidateReader("-", bytes.NewReader(minimal(t)), Options{MaxSize: 50})
	if got := rulesOf(r); !slices.Equal(got, []string{"V-06"}) {
		t.Fatalf("%v", got)
	}
}

func TestValidateFileBuffer(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	small := filepath.Join(dir, "small.json")
	os.WriteFile(big, minimal(t), 0o644)
	os.WriteFile(small, []byte(`{"a":"b"}`), 0o644)
	v, _ := New(WithMaxSize(1 << 20))
	var buf []byte
	for _, p := range []string{big, small, big} {
		r, err := v.ValidateFileBuffer(p, &buf)
		if err != nil || len(r.Findings) != 0 {
			t.Fatalf("%s: %v %+v", p, err, r.Findings)
		}
	}
	if _, err := v.ValidateFileBuffer(filepath.Join(dir, "missing.json"), &buf); err == nil {
		t.Error("missing file: no error")
	}
	v, _ = New(WithMaxSize(10))
	if r, _ := v.ValidateFileBuffer(big, &buf); !slices.Equal(rulesOf(r), []string{"V-06"}) {
		t.Errorf("%+v", r.Findings)
	}
}

func mustDecode(t testing.TB, s string) any {
	t.Helper()
	v, probs := jsontreeDecode([]byte(s))
	if len(probs) > 0 {
		t.Fatalf("%s: %v", s, probs)
	}
	return v
}

func jsontreeDecode(b []byte) (any, []jsontree.Problem) { return jsontree.Decode(b, jsontree.Limits{}) }

// TestManyFindingsStayBounded: a large document with thousands of problems
// gives at most MaxFindings findings plus V-13, quickly and with positions.
func TestManyFindingsStayBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[`)
	for i := range 5000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"size":"big"}`)
	}
	b.WriteString("]}")
	r, err := Validate("many.json", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != MaxFindings+1 || !slices.Contains(rulesOf(r), "V-13") {
		t.Fatalf("%d findings", len(r.Findings))
	}
	for _, f := range r.Findings {
		if f.Rule != "V-13" && f.Line != 1 {
			t.Fatalf("finding without position: %+v", f)
		}
	}
}

// The pipeline's own adjustments to what checks report: B-101-14's severity
// follows the release option, BC-43 replaces the status enum error at its
// pointer, and the schema layer reports a (rule, pointer) once.
func TestPipelineAdjustments(t *testing.T) {
	const noDigest = `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[{"image":"example.com/x:1"}]}`
	const result = `{"claimId":"01EMNRPJKMXQ0VZN8JXSR8BX5V","id":"01EMNRPJKMXQ0VZN8JXSR8BX5W","created":"2020-10-14T12:00:00Z","status":%q}`
	tests := []struct {
		name    string
		doc     string
		opts    Options
		rule    string
		pointer string
		want    []Severity // the severity of each finding of rule at pointer, in order
	}{
		{"missing digest in development", noDigest, Options{}, "B-101-14", "/invocationImages/0", []Severity{Warning}},
		{"missing digest on release", noDigest, Options{RequireCanonical: true}, "B-101-14", "/invocationImages/0", []Severity{Error}},
		{"old spelling on main: BC-43", fmt.Sprintf(result, "cancelled"), Options{Spec: SpecMain}, "BC-43", "/status", []Severity{Warning}},
		{"old spelling on main: no enum error", fmt.Sprintf(result, "cancelled"), Options{Spec: SpecMain}, "C-400-08", "/status", nil},
		{"new spelling on 1.2: no enum error", fmt.Sprintf(result, "canceled"), Options{Spec: SpecCore12}, "C-400-08", "/status", nil},
		{"unknown status keeps the enum error", fmt.Sprintf(result, "stopped"), Options{Spec: SpecMain}, "C-400-08", "/status", []Severity{Error}},
		{"int type reported once", `{"schemaVersion":"v1.1.0","name":"x","version":"1.0.0","invocationImages":[],"definitions":{"p":{"type":"int"}}}`, Options{},
			"B-101-19", "/definitions/p/type", []Severity{Error}},
		{"bytes type reported once", `{"schemaVersion":"v1.1.0","name":"x","version":"1.0.0","invocationImages":[],"definitions":{"p":{"type":"bytes"}}}`, Options{},
			"B-101-19", "/definitions/p/type", []Severity{Error}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Validate("doc.json", []byte(tt.doc), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []Severity
			for _, f := range r.Findings {
				if f.Rule == tt.rule && f.Pointer == tt.pointer {
					got = append(got, f.Severity)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s at %s: severities %v, want %v; all findings %+v", tt.rule, tt.pointer, got, tt.want, r.Findings)
			}
		})
	}
}

// TestLazySchemaCompile: with the fast path, gojsonschema is compiled only
// when first asked for, once, whichever goroutines ask at the same time.
func TestLazySchemaCompile(t *testing.T) {
	dir, err := schemas.Dir(string(SpecCore12))
	if err != nil {
		t.Fatal(err)
	}
	files, err := readSchemaFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newSchemaSet("test", files, true)
	ks := s.kind(KindBundle)
	if ks.err != nil || ks.fast == nil {
		t.Fatalf("kind: err %v, fast path %v", ks.err, ks.fast != nil)
	}
	if ks.gsDone {
		t.Fatal("gojsonschema was compiled before it was needed")
	}
	got := make([]*gojsonschema.Schema, 4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = ks.gs()
		}()
	}
	wg.Wait()
	for i, g := range got {
		if g == nil || g != got[0] {
			t.Fatalf("goroutine %d got schema %p, want the one compiled schema %p", i, g, got[0])
		}
	}
	r, err := got[0].Validate(gojsonschema.NewStringLoader(`{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0"}`))
	if err != nil || r.Valid() {
		t.Fatalf("a bundle without invocationImages: valid=%v err=%v", r != nil && r.Valid(), err)
	}
}

// TestDocContextReset: a pooled context is as good as new after reset, so no
// rule sees the memo of the document before (nor keeps it alive).
func TestDocContextReset(t *testing.T) {
	root, problems := jsontree.Decode(benchdata.Bundle(3), jsontree.Limits{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	c := &docContext{Spec: SpecCore12, Kind: KindBundle, Root: root, Options: &Options{}, Raw: []byte("{}"),
		report: func(pointer, rule, message, hint string) {}}
	for _, r := range rulesFor(KindBundle) {
		r.Check(c)
	}
	if c.memo.nents == 0 || !c.memo.scanned {
		t.Fatal("the rules did not use the memo; this test checks nothing")
	}
	c.reset()
	if !reflect.ValueOf(*c).IsZero() {
		t.Errorf("after reset: %+v", c.memo)
	}
}

package validator

import (
	"encoding/json"
	"path"
	"slices"
	"strings"
	"testing"
)

const (
	hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	// baseBundle is minimal and produces no rule finding.
	baseBundle = `{
  "schemaVersion": "v1.2.0", "name": "base", "version": "1.0.0",
  "invocationImages": [{"image": "example.com/base/installer@sha256:` + hex64 + `", "imageType": "oci", "contentDigest": "sha256:` + hex64 + `"}]
}`
)

// mergePatch applies an RFC 7396 JSON merge patch to doc.
func mergePatch(t testing.TB, doc, patch string) string {
	t.Helper()
	var d, p any
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(patch), &p); err != nil {
		t.Fatalf("patch %s: %v", patch, err)
	}
	b, err := json.Marshal(merge(d, p))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func merge(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = merge(tm[k], v)
	}
	return tm
}

type ruleCase struct {
	name  string
	kind  Kind   // bundle when empty
	spec  Spec   // 1.2.0 when empty
	doc   string // full document; when empty, baseBundle merged with patch
	patch string
	want  []string // "RULE pointer", any order
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kind, spec, doc := tc.kind, tc.spec, tc.doc
			if kind == "" {
				kind = KindBundle
			}
			if spec == "" {
				spec = SpecCore12
			}
			if doc == "" {
				doc = baseBundle
				if tc.patch != "" {
					doc = mergePatch(t, baseBundle, tc.patch)
				}
			}
			got := runRules(t, kind, spec, doc)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings\n got: %s\nwant: %s", strings.Join(got, ", "), strings.Join(want, ", "))
			}
		})
	}
}

const goodDefs = `{"definitions": {"port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 8080}, "s": {"type": "string"}},
 "parameters": {"PORT": {"definition": "port", "destination": {"env": "PORT", "path": "/cnab/app/params/port"}, "applyTo": ["install", "com.example.backup"]}},
 "credentials": {"kubeconfig": {"path": "/root/.kube/config", "env": "KUBECONFIG"}},
 "outputs": {"url": {"definition": "s", "path": "/cnab/app/outputs/url"}, "log": {"definition": "s", "path": "/cnab/app/outputs/log"}},
 "actions": {"com.example.backup": {"modifies": false}, "io.cnab.help": {"stateless": true}},
 "custom": {"com.example.tool": {}}, "requiredExtensions": ["com.example.tool"], "license": "Apache-2.0 OR MIT",
 "images": {"web": {"image": "example.com/web@sha256:` + hex64 + `", "contentDigest": "sha256:` + hex64 + `"}}}`

func TestBundleRules(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "base bundle is clean"},
		{name: "rich bundle is clean", patch: goodDefs},
		{name: "name with newline", patch: `{"name": "a\nb"}`, want: []string{"B-101-05 /name"}},
		{name: "name with unicode and spaces", patch: `{"name": "héllo wörld ✓"}`},
		{name: "version banana1", patch: `{"version": "banana1"}`, want: []string{"B-101-06 /version"}},
		{name: "version leading zero", patch: `{"version": "1.02.3"}`, want: []string{"B-101-06 /version"}},
		{name: "version prerelease and build", patch: `{"version": "1.2.3-rc.1+build.5"}`},
		{name: "license prose", patch: `{"license": "Apache License 2.0"}`, want: []string{"B-101-07 /license"}},
		{name: "license expression", patch: `{"license": "(MIT OR GPL-2.0+) AND Apache-2.0 WITH LLVM-exception"}`},
		{name: "no invocation images", patch: `{"invocationImages": []}`, want: []string{"B-101-09 /invocationImages"}},
		{name: "unknown imageType", patch: `{"invocationImages": [{"image": "x@sha256:` + hex64 + `", "contentDigest": "sha256:` + hex64 + `", "imageType": "vm"}]}`, want: []string{"B-101-10 /invocationImages/0/imageType"}},
		{name: "short digest", patch: `{"invocationImages": [{"image": "x", "contentDigest": "sha256:abc"}]}`, want: []string{"B-101-12 /invocationImages/0/contentDigest"}},
		{name: "digest without algorithm", patch: `{"invocationImages": [{"image": "x", "contentDigest": "abc"}]}`, want: []string{"B-101-12 /invocationImages/0/contentDigest"}},
		{name: "unknown algorithm is fine", patch: `{"invocationImages": [{"image": "x", "contentDigest": "blake3:Abc_="}]}`},
		{name: "missing digest", patch: `{"invocationImages": [{"image": "x"}]}`, want: []string{"B-101-14 /invocationImages/0"}},
		{name: "image by tag", patch: `{"images": {"web": {"image": "example.com/web:1.0", "contentDigest": "sha256:` + hex64 + `"}}}`, want: []string{"B-101-18 /images/web/image"}},
		{name: "custom install action", patch: `{"actions": {"install": {}}}`, want: []string{"B-101-39 /actions/install"}},
		{name: "undotted custom action", patch: `{"actions": {"backup": {}}}`, want: []string{"B-101-40 /actions/backup"}},
		{name: "digits in dotted name", patch: `{"custom": {"com.example.v2": {}}}`, want: []string{"B-101-40 /custom/com.example.v2"}},
		{name: "required extension missing", patch: `{"requiredExtensions": ["com.example.tool"]}`, want: []string{"B-101-45 /requiredExtensions/0"}},
		{name: "required extension twice and not a string", patch: `{"custom": {"com.example.tool": {}}, "requiredExtensions": ["com.example.tool", "com.example.tool", 1]}`,
			want: []string{"B-101-45 /requiredExtensions/1", "B-101-45 /requiredExtensions/2"}},
		{name: "well-known action with wrong flags", patch: `{"actions": {"io.cnab.dry-run": {"modifies": true}}}`, want: []string{"X-804-01 /actions/io.cnab.dry-run"}},
		{name: "rules look inside a claim's bundle", kind: KindClaim, spec: SpecMain,
			doc:  `{"id": "01HB3Q4Z9T6V2M8K5R7N1C0XJD", "revision": "01HB3Q4Z9T6V2M8K5R7N1C0XJF", "created": "2020-10-14T10:00:00Z", "installation": "i", "action": "install", "bundle": {"schemaVersion": "v1.2.0", "name": "b", "version": "1", "invocationImages": []}}`,
			want: []string{"B-101-06 /bundle/version", "B-101-09 /bundle/invocationImages"}},
	})
}

func TestPathAndDefinitionRules(t *testing.T) {
	param := func(dest string) string {
		return `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s", "destination": ` + dest + `}}}`
	}
	runCases(t, []ruleCase{
		{name: "empty destination", patch: param(`{}`), want: []string{"B-101-25 /parameters/P/destination"}},
		{name: "relative parameter path", patch: param(`{"path": "etc/p"}`), want: []string{"B-101-26 /parameters/P/destination/path"}},
		{name: "parameter under outputs", patch: param(`{"path": "/cnab/app/outputs/p"}`), want: []string{"B-101-26 /parameters/P/destination/path"}},
		{name: "parameter sneaking into outputs", patch: param(`{"path": "/cnab/app/x/../outputs/p"}`), want: []string{"B-101-26 /parameters/P/destination/path"}},
		{name: "parameter next to outputs is fine", patch: param(`{"path": "/cnab/app/outputs-not/p"}`)},
		{name: "credential under outputs", patch: `{"credentials": {"c": {"path": "/cnab/app/outputs/c"}}}`, want: []string{"B-101-26 /credentials/c/path"}},
		{name: "parameter name with dash", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"my-param": {"definition": "s", "destination": {"env": "P"}}}}`, want: []string{"B-101-29 /parameters/my-param"}},
		{name: "applyTo unknown action", patch: `{"definitions": {"s": {"type": "string"}}, "outputs": {"o": {"definition": "s", "path": "/cnab/app/outputs/o", "applyTo": ["com.example.nope"]}}}`, want: []string{"B-101-31 /outputs/o/applyTo/0"}},
		{name: "credential without target", patch: `{"credentials": {"c": {"description": "x"}}}`, want: []string{"B-101-32 /credentials/c"}},
		{name: "credential relative path", patch: `{"credentials": {"c": {"path": "kube/config"}}}`, want: []string{"B-101-32 /credentials/c/path"}},
		{name: "env clash", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s", "destination": {"env": "TOKEN"}}}, "credentials": {"c": {"env": "TOKEN"}}}`, want: []string{"B-101-35 /parameters/P/destination/env"}},
		{name: "path clash", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s", "destination": {"path": "/etc/x"}}}, "credentials": {"c": {"path": "/etc//x"}}}`, want: []string{"B-101-35 /parameters/P/destination/path"}},
		{name: "CNAB env on parameter", patch: param(`{"env": "CNAB_ACTION"}`), want: []string{"B-101-37 /parameters/P/destination/env"}},
		{name: "CNAB env on credential", patch: `{"credentials": {"c": {"env": "CNAB_REVISION"}}}`, want: []string{"B-101-37 /credentials/c/env"}},
		{name: "duplicate output paths", patch: `{"definitions": {"s": {"type": "string"}}, "outputs": {"a": {"definition": "s", "path": "/cnab/app/outputs/x"}, "b": {"definition": "s", "path": "/cnab/app/outputs/./x"}}}`, want: []string{"B-101-47 /outputs/b/path"}},
		{name: "output escaping outputs", patch: `{"definitions": {"s": {"type": "string"}}, "outputs": {"a": {"definition": "s", "path": "/cnab/app/outputs/../run"}}}`, want: []string{"B-101-47 /outputs/a/path"}},
		{name: "dangling definition", patch: `{"parameters": {"P": {"definition": "nope", "destination": {"env": "P"}}}}`, want: []string{"B-101-24 /parameters/P/definition"}},
		{name: "default out of range", patch: `{"definitions": {"p": {"type": "integer", "maximum": 10, "default": 11}}}`, want: []string{"B-101-20 /definitions/p/default"}},
		{name: "default of the wrong type", patch: `{"definitions": {"p": {"type": "boolean", "default": "true"}}}`, want: []string{"B-101-20 /definitions/p/default"}},
		{name: "default not in enum", patch: `{"definitions": {"p": {"enum": ["a", "b"], "default": "c"}}}`, want: []string{"B-101-20 /definitions/p/default"}},
		{name: "default breaking a pattern (gojsonschema)", patch: `{"definitions": {"p": {"type": "string", "pattern": "^[a-z]+$", "default": "ABC"}}}`, want: []string{"B-101-20 /definitions/p/default"}},
		{name: "object default (gojsonschema)", patch: `{"definitions": {"p": {"type": "object", "required": ["a"], "default": {}}}}`, want: []string{"B-101-20 /definitions/p/default"}},
		{name: "valid complex default", patch: `{"definitions": {"p": {"type": "object", "properties": {"a": {"type": "integer"}}, "default": {"a": 1}}}}`},
		{name: "1.0 counts as integer", patch: `{"definitions": {"p": {"type": "integer", "default": 1.0}}}`},
		{name: "default with $ref is left to the schema layer", patch: `{"definitions": {"p": {"$ref": "#/definitions/q", "default": 1}, "q": {"type": "string"}}}`},
	})
}

func TestClaimAndExtensionRules(t *testing.T) {
	const claim = `{"id": "01HB3Q4Z9T6V2M8K5R7N1C0XJD", "revision": "01HB3Q4Z9T6V2M8K5R7N1C0XJE", "created": "2018-08-30T20:39:55.549002887-06:00", "installation": "i", "action": "install", "bundle": ` + baseBundle + `}`
	const result = `{"claimId": "01HB3Q4Z9T6V2M8K5R7N1C0XJD", "id": "01HB3Q5M2W8Y4P6R0T1V3X5Z7A", "created": "2020-10-14T10:00:00Z", "status": "succeeded"}`
	withDeps := func(deps string) string { return `{"custom": {"io.cnab.dependencies": ` + deps + `}}` }
	runCases(t, []ruleCase{
		{name: "claim is clean", kind: KindClaim, spec: SpecMain, doc: claim},
		{name: "claim result is clean", kind: KindClaimResult, spec: SpecMain, doc: result},
		{name: "claim with bad ids and date", kind: KindClaim, spec: SpecMain,
			doc:  strings.NewReplacer("01HB3Q4Z9T6V2M8K5R7N1C0XJD", "42", "01HB3Q4Z9T6V2M8K5R7N1C0XJE", "01HB3Q4Z9T6V2M8K5R7N1C0XIL", "2018-08-30T20:39:55.549002887-06:00", "yesterday").Replace(claim),
			want: []string{"C-400-04 /created", "C-400-04 /id", "C-400-04 /revision"}},
		{name: "claim result with bad claimId", kind: KindClaimResult, spec: SpecMain, doc: strings.Replace(result, "01HB3Q4Z9T6V2M8K5R7N1C0XJD", "claim-1", 1), want: []string{"C-400-08 /claimId"}},
		{name: "dependencies are clean", patch: withDeps(`{"requires": {"db": {"bundle": "example.com/db", "version": {"ranges": ["1.x"], "prereleases": false}}}, "sequence": ["db"]}`)},
		{name: "dependencies as an array", patch: withDeps(`[{"sequence": 1}]`), want: []string{"D-500-01 /custom/io.cnab.dependencies"}},
		{name: "dependencies with a string prereleases", patch: withDeps(`{"requires": {"db": {"bundle": "example.com/db", "version": {"prereleases": "true", "range": "1.x"}}}}`),
			want: []string{"D-500-02 /custom/io.cnab.dependencies/requires/db/version/prereleases", "D-500-02 /custom/io.cnab.dependencies/requires/db/version/range"}},
		{name: "dependencies without requires", patch: withDeps(`{}`), want: []string{"D-500-02 /custom/io.cnab.dependencies"}},
		{name: "sequence names an unknown dependency", patch: withDeps(`{"requires": {"db": {"bundle": "example.com/db"}}, "sequence": ["db", "cache"]}`), want: []string{"D-500-03 /custom/io.cnab.dependencies/sequence/1"}},
		{name: "dependency range syntax", patch: withDeps(`{"requires": {"db": {"bundle": "example.com/db", "version": {"ranges": ["5.7 and up", ">=5.7 <6"]}}}}`), want: []string{"D-500-04 /custom/io.cnab.dependencies/requires/db/version/ranges/0"}},
		{name: "dependencies document sequence", kind: KindDependencies, doc: `{"requires": {"db": {"bundle": "example.com/db"}}, "sequence": ["web"]}`, want: []string{"D-500-03 /sequence/0"}},
		{name: "parameter sources are clean", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"tfstate": {"definition": "s", "destination": {"path": "/cnab/app/tfstate"}}}, "outputs": {"tfstate": {"definition": "s", "path": "/cnab/app/outputs/tfstate"}},
			"custom": {"io.cnab.parameter-sources": {"tfstate": {"priority": ["output"], "sources": {"output": {"name": "tfstate"}}}}}}`},
		{name: "parameter sources cross references", patch: `{"custom": {"io.cnab.parameter-sources": {"tfstate": {"priority": ["output", "env"], "sources": {"output": {"name": "nope"}}}}}}`,
			want: []string{"X-810-01 /custom/io.cnab.parameter-sources/tfstate", "X-810-01 /custom/io.cnab.parameter-sources/tfstate/priority/1", "X-810-01 /custom/io.cnab.parameter-sources/tfstate/sources/output/name"}},
		{name: "parameter sources document", kind: KindParameterSources, doc: `{"p": {"priority": ["output"], "sources": {}}}`, want: []string{"X-810-01 /p/priority/0"}},
	})
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct {
		f    func(string) bool
		name string
		good []string
		bad  []string
	}{
		{isVersionRange, "range", []string{"5.7.x", "v1.2.3", "1", "1.x", "*", ">=1.2.0 <2.0.0", ">= 1.2, < 2", "1.2.0 - 1.4.5", "^1.2 || ~2.0.1", "!=1.3.0", "1.0.0-rc.1"},
			[]string{"", "latest", "5.7 and up", "1.2.3.4", ">>1", "1 -", "- 1", "1.2 - ", "||", "1.02", "v", "=>"}},
		{isSemVer, "semver", []string{"0.0.0", "1.2.3", "1.2.3-alpha.1", "1.2.3+b.01", "10.20.30-0a"}, []string{"", "1", "1.2", "v1.2.3", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3.4", "1.2.3-a..b", "banana1"}},
		{isULID, "ulid", []string{"01HB3Q4Z9T6V2M8K5R7N1C0XJD", "7zzzzzzzzzzzzzzzzzzzzzzzzz"}, []string{"", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ", "01HB3Q4Z9T6V2M8K5R7N1C0XJ", "01HB3Q4Z9T6V2M8K5R7N1C0XJU"}},
		{isRFC3339, "rfc3339", []string{"2020-10-14T10:00:00Z", "2018-08-30T20:39:55.549002887-06:00"}, []string{"2020-10-14", "2020-10-14 10:00:00Z", "yesterday", "2020-13-01T00:00:00Z"}},
		{isDottedName, "dotted", []string{"io.cnab.dry-run", "com.exämple.x"}, []string{"", "backup", "com..x", "com.x.", ".com", "com.v2", "com.ex ample"}},
		{isGraphic, "graphic", []string{"hello world", "日本語", "a-b_c!"}, []string{"a\tb", "a\nb", "\x7f", "bad\xffutf8"}},
		{isSPDXExpression, "spdx", []string{"MIT", "GPL-2.0-or-later", "Apache-2.0+", "(MIT OR Apache-2.0)", "LicenseRef-x", "DocumentRef-a:LicenseRef-b"}, []string{"", "MIT OR", "Apache License 2.0", "(MIT", "MIT)", "WITH MIT", "MIT/X11"}},
		{func(s string) bool { return digestProblem(s) == "" }, "digest", []string{"sha256:" + hex64, "sha512:" + hex64 + hex64, "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"}, []string{"sha256", "sha256:" + hex64[:63], "sha256:" + strings.ToUpper(hex64), "SHA256:" + hex64, "sha256:", "sha-:x", "sha256:a b"}},
	} {
		for _, s := range tc.good {
			if !tc.f(s) {
				t.Errorf("%s: %q should be accepted", tc.name, s)
			}
		}
		for _, s := range tc.bad {
			if tc.f(s) {
				t.Errorf("%s: %q should be rejected", tc.name, s)
			}
		}
	}
}

// TestQuickDefaultsAgreeWithGojsonschema: the hand-written fast path gives
// the same verdict as gojsonschema on the definitions it handles.
func TestQuickDefaultsAgreeWithGojsonschema(t *testing.T) {
	for _, tc := range []struct{ def, val string }{
		{`{"type": "integer", "minimum": 1}`, `0`}, {`{"type": "integer", "minimum": 1}`, `1`},
		{`{"type": "integer"}`, `1.5`}, {`{"type": "integer"}`, `2.0`}, {`{"type": "number"}`, `2`},
		{`{"type": ["string", "null"]}`, `null`}, {`{"type": ["string", "null"]}`, `1`},
		{`{"exclusiveMaximum": 3}`, `3`}, {`{"exclusiveMinimum": 3}`, `3.5`},
		{`{"maxLength": 2}`, `"héé"`}, {`{"minLength": 2}`, `"éé"`}, {`{"minLength": 2}`, `5`},
		{`{"enum": [1, "a", null]}`, `1.0`}, {`{"enum": [1, "a", null]}`, `"b"`}, {`{"enum": [true]}`, `true`},
		{`{"const": "x"}`, `"x"`}, {`{"const": "x"}`, `"y"`}, {`{"type": "boolean"}`, `"true"`},
	} {
		var def map[string]any
		var v any
		dec := json.NewDecoder(strings.NewReader(tc.def))
		dec.UseNumber()
		if err := dec.Decode(&def); err != nil {
			t.Fatal(err)
		}
		dec = json.NewDecoder(strings.NewReader(tc.val))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		quick, handled := quickDefaultProblem(def, v)
		if !handled {
			t.Errorf("%s: fast path does not handle it", tc.def)
			continue
		}
		slow := schemaDefaultProblem(def, v)
		if (quick == "") != (slow == "") {
			t.Errorf("%s with %s: fast path says %q, gojsonschema says %q", tc.def, tc.val, quick, slow)
		}
	}
}

// TestCleanPath: the shortcut gives exactly path.Clean's answer.
func TestCleanPath(t *testing.T) {
	for _, p := range []string{"", "/", "//", "/a", "/a/", "/a//b", "/a/./b", "/a/../b", "/a/..", "/a/.", "/.", "/..",
		"/cnab/app/outputs/url", "/cnab/app/x/../outputs/a", "a/b", "./a", "../a", ".a/b", "a/.b", "/a/.b/c", "/a/..b",
		"/a/b..", "a", "a/", "a//", "/a/b/c/"} {
		if got, want := cleanPath(p), path.Clean(p); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", p, got, want)
		}
	}
	// Every string of up to 7 characters over "a", "/" and ".".
	var walk func(p string)
	walk = func(p string) {
		if got, want := cleanPath(p), path.Clean(p); got != want {
			t.Fatalf("cleanPath(%q) = %q, want %q", p, got, want)
		}
		if len(p) < 7 {
			for _, c := range []string{"a", "/", "."} {
				walk(p + c)
			}
		}
	}
	walk("")
}

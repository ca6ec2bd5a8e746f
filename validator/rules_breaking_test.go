package validator

import (
	"fmt"
	"testing"
)

// Breaking-change rules, both ways: the old form is reported, the new form
// (or the old form under a spec version where it was current) is not.
func TestBreakingChangeRules(t *testing.T) {
	const result = `{"claimId": "01HB3Q4Z9T6V2M8K5R7N1C0XJD", "id": "01HB3Q5M2W8Y4P6R0T1V3X5Z7A", "created": "2020-10-14T10:00:00Z", "status": %q}`
	status := func(s string) string { return fmt.Sprintf(result, s) }
	const claim10 = `{"name": "app", "revision": "01HB3Q4Z9T6V2M8K5R7N1C0XJE", "created": "2019-09-10T08:00:00Z", "modified": "2019-09-10T08:05:00Z",
		"bundle": ` + baseBundle + `, "outputs": {"url": "x"}, "result": {"action": "install", "message": "", "status": "success"}}`
	img := func(extra string) string {
		return `{"invocationImages": [{"image": "x@sha256:` + hex64 + `", "contentDigest": "sha256:` + hex64 + `"` + extra + `}]}`
	}
	runCases(t, []ruleCase{
		{name: "BC-01 numeric schemaVersion", patch: `{"schemaVersion": 1}`, want: []string{"BC-01 /schemaVersion"}},
		{name: "BC-02 uri", patch: img(`, "uri": "urn:x"`), want: []string{"BC-02 /invocationImages/0/uri"}},
		{name: "BC-03 images array", patch: `{"images": [{"image": "x"}]}`, want: []string{"BC-03 /images"}},
		{name: "BC-04 no destination", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s"}}}`, want: []string{"BC-04 /parameters/P"}},
		{name: "BC-05 no schemaVersion", patch: `{"schemaVersion": null}`, want: []string{"BC-05 "}},
		{name: "BC-06 old action name", patch: `{"actions": {"dry-run": {}}}`, want: []string{"BC-06 /actions/dry-run"}},
		{name: "BC-06 new action name", patch: `{"actions": {"io.cnab.dry-run": {"stateless": true}}}`},
		{name: "BC-07 CNAB_P_", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s", "destination": {"env": "CNAB_P_P"}}}}`, want: []string{"BC-07 /parameters/P/destination/env"}},
		{name: "BC-08 aliases", patch: `{"definitions": {"s": {"type": "string", "allowedValues": ["a"]}}}`, want: []string{"BC-08 /definitions/s/allowedValues"}},
		{name: "BC-08 new keyword", patch: `{"definitions": {"s": {"type": "string", "enum": ["a"]}}}`},
		{name: "BC-09 extensions", patch: `{"extensions": {}}`, want: []string{"BC-09 /extensions"}},
		{name: "BC-11 bytes", patch: `{"definitions": {"b": {"type": ["bytes", "null"]}}}`, want: []string{"BC-11 /definitions/b/type"}},
		{name: "BC-12 refs", patch: `{"images": {"w": {"image": "x@sha256:` + hex64 + `", "contentDigest": "sha256:` + hex64 + `", "refs": []}}}`, want: []string{"BC-12 /images/w/refs"}},
		{name: "BC-13 numeric type", patch: `{"definitions": {"n": {"type": "numeric"}}}`, want: []string{"BC-13 /definitions/n/type"}},
		{name: "BC-13 metadata without description is not it", patch: `{"definitions": {"n": {"type": "number", "metadata": {}}}}`},
		{name: "BC-14 originalImage", patch: img(`, "originalImage": "y"`), want: []string{"BC-14 /invocationImages/0/originalImage"}},
		{name: "BC-16 apply-to on an output", patch: `{"definitions": {"s": {"type": "string"}}, "outputs": {"o": {"definition": "s", "path": "/cnab/app/outputs/o", "apply-to": []}}}`, want: []string{"BC-16 /outputs/o/apply-to"}},
		{name: "BC-17 a parameter named fields is not the wrapper", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"fields": {"definition": "s", "destination": {"env": "FIELDS"}}}}`},
		{name: "BC-18 digest", patch: img(`, "digest": "sha256:` + hex64 + `"`), want: []string{"BC-18 /invocationImages/0/digest"}},
		{name: "BC-19 output outside", patch: `{"definitions": {"s": {"type": "string"}}, "outputs": {"o": {"definition": "s", "path": "/var/o"}}}`, want: []string{"BC-19 /outputs/o/path"}},
		{name: "BC-21 inline default", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s", "default": "x", "destination": {"env": "P"}}}}`, want: []string{"BC-21 /parameters/P"}},
		{name: "BC-23 immutable", patch: `{"definitions": {"s": {"type": "string"}}, "parameters": {"P": {"definition": "s", "immutable": false, "destination": {"env": "P"}}}}`, want: []string{"BC-23 /parameters/P/immutable"}},
		{name: "BC-25 platform", patch: img(`, "platform": {}`), want: []string{"BC-25 /invocationImages/0/platform"}},
		{name: "BC-27 number type on 1.0", spec: SpecCore10, patch: `{"definitions": {"r": {"type": "object", "properties": {"x": {"type": "number"}}}}}`, want: []string{"BC-27 /definitions/r/properties/x/type"}},
		{name: "BC-27 fraction on 1.1", spec: SpecCore11, patch: `{"definitions": {"r": {"multipleOf": 0.5}}}`, want: []string{"BC-27 /definitions/r/multipleOf"}},
		{name: "BC-27 numbers are fine on 1.2", spec: SpecCore12, patch: `{"definitions": {"r": {"type": "number", "maximum": 1.5}}}`},
		{name: "BC-28 CR marker", patch: `{"schemaVersion": "v1.0.0-CR"}`, want: []string{"BC-28 /schemaVersion"}},
		{name: "BC-29 status+json", patch: `{"actions": {"io.cnab.status+json": {}}}`, want: []string{"BC-29 /actions/io.cnab.status+json"}},
		{name: "BC-40 custom.dependencies", patch: `{"custom": {"dependencies": {}}}`, want: []string{"BC-40 /custom/dependencies"}},
		{name: "BC-41 credential applyTo on 1.1", spec: SpecCore11, patch: `{"credentials": {"c": {"env": "C", "applyTo": ["install"]}}}`, want: []string{"BC-41 /credentials/c/applyTo"}},
		{name: "BC-41 credential applyTo on 1.2", spec: SpecCore12, patch: `{"credentials": {"c": {"env": "C", "applyTo": ["install"]}}}`},
		{name: "BC-32/35/36 a 1.0 claim under 1.0", kind: KindClaim, spec: SpecCore10, doc: claim10},
		{name: "BC-32/35/36 a 1.0 claim under 1.1", kind: KindClaim, spec: SpecCore11, doc: claim10,
			want: []string{"BC-32 /name", "BC-35 /result/status", "BC-36 /modified", "BC-36 /outputs", "BC-36 /result"}},
		{name: "BC-35 failure", kind: KindClaimResult, spec: SpecClaims100, doc: status("failure"), want: []string{"BC-35 /status"}},
		{name: "BC-43 cancelled on main", kind: KindClaimResult, spec: SpecMain, doc: status("cancelled"), want: []string{"BC-43 /status"}},
		{name: "BC-43 canceled on main", kind: KindClaimResult, spec: SpecMain, doc: status("canceled")},
		{name: "BC-43 canceled on claims 1.0.0", kind: KindClaimResult, spec: SpecClaims100, doc: status("canceled"), want: []string{"BC-43 /status"}},
		{name: "BC-43 cancelled on 1.2", kind: KindClaimResult, spec: SpecCore12, doc: status("cancelled")},
	})
}

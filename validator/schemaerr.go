package validator

import (
	"fmt"
	"strings"

	"github.com/xeipuuv/gojsonschema"

	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// rawFinding is a finding before the pipeline adds file, position, severity
// and link.
type rawFinding struct {
	pointer, rule, message, hint string
	offset                       int // byte offset, or -1 to locate the pointer
	whole                        bool
}

// schemaRuleIDs are the IDs schema errors can map to (for RuleIDs).
var schemaRuleIDs = []string{"B-101-02", "B-101-03", "B-101-04", "B-101-06", "B-101-08", "B-101-09", "B-101-11",
	"B-101-19", "B-101-23", "B-101-44", "B-101-47", "C-400-03", "C-400-08", "D-500-02", "V-10"}

// contextPointer turns gojsonschema's context into an RFC 6901 pointer.
// gojsonschema joins keys with "."; asking for a NUL separator instead keeps
// keys that contain dots or slashes intact, and each key is then escaped.
func contextPointer(ctx *gojsonschema.JsonContext) string {
	if ctx == nil {
		return ""
	}
	parts := strings.Split(ctx.String("\x00"), "\x00")
	var b strings.Builder
	for i, p := range parts {
		if i == 0 && p == "(root)" {
			continue
		}
		b.WriteByte('/')
		b.WriteString(jsontree.EscapeToken(p))
	}
	return b.String()
}

// schemaFindings converts gojsonschema errors into findings with a rule ID,
// a message a person can act on, and a hint.
func schemaFindings(kind Kind, errs []gojsonschema.ResultError) []rawFinding {
	out := make([]rawFinding, 0, len(errs))
	// One finding per (rule, pointer): a value can fail several keywords
	// for one mistake (a definition's "type": "int" fails both the enum of
	// simple types and the anyOf around it), and the user needs it once.
	// The specific keyword's message is kept over the anyOf/oneOf summary.
	seen := map[string]int{}
	var summaries []bool // per entry of out: it is an anyOf/oneOf summary
	for _, e := range errs {
		ptr := contextPointer(e.Context())
		prop, _ := e.Details()["property"].(string)
		switch e.Type() {
		case "required", "additional_property_not_allowed", "invalid_property_name":
			if prop != "" {
				ptr += "/" + jsontree.EscapeToken(prop)
			}
		}
		rule, hint := schemaRule(kind, ptr, e.Type(), prop)
		msg := schemaMessage(e, ptr, prop)
		f := rawFinding{pointer: ptr, rule: rule, message: msg, hint: hint, offset: -1}
		key := ptr + "\x00" + rule
		isSummary := e.Type() == "number_any_of" || e.Type() == "number_one_of"
		if i, ok := seen[key]; ok {
			if summaries[i] && !isSummary {
				out[i], summaries[i] = f, false
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, f)
		summaries = append(summaries, isSummary)
	}
	return out
}

func lastToken(ptr string) string {
	i := strings.LastIndexByte(ptr, '/')
	if i < 0 {
		return ""
	}
	return jsontree.UnescapeToken(ptr[i+1:])
}

func schemaMessage(e gojsonschema.ResultError, ptr, prop string) string {
	d := e.Details()
	where := "the document"
	if ptr != "" {
		where = fmt.Sprintf("%q", lastToken(ptr))
	}
	switch e.Type() {
	case "required":
		parent := "the document"
		if p := strings.TrimSuffix(ptr, "/"+jsontree.EscapeToken(prop)); p != "" {
			parent = fmt.Sprintf("%q", lastToken(p))
		}
		return fmt.Sprintf("%s is missing the required property %q", parent, prop)
	case "additional_property_not_allowed":
		return fmt.Sprintf("property %q is not allowed here", prop)
	case "invalid_type":
		return fmt.Sprintf("%s must be %s, not %s", where, article(fmt.Sprint(d["expected"])), article(fmt.Sprint(d["given"])))
	case "enum":
		return fmt.Sprintf("%s must be one of %s, not %s", where, d["allowed"], valueText(e.Value()))
	case "pattern":
		return fmt.Sprintf("%s value %s does not match the pattern %v", where, valueText(e.Value()), d["pattern"])
	case "format":
		return fmt.Sprintf("%s value %s is not a valid %v", where, valueText(e.Value()), d["format"])
	case "array_min_items":
		return fmt.Sprintf("%s needs at least %v item(s)", where, d["min"])
	case "array_max_items":
		return fmt.Sprintf("%s allows at most %v item(s)", where, d["max"])
	case "array_min_properties":
		return fmt.Sprintf("%s needs at least %v member(s)", where, d["min"])
	case "array_max_properties":
		return fmt.Sprintf("%s allows at most %v member(s)", where, d["max"])
	case "string_gte":
		return fmt.Sprintf("%s must be at least %v character(s) long", where, d["min"])
	case "string_lte":
		return fmt.Sprintf("%s must be at most %v character(s) long", where, d["max"])
	case "unique":
		return fmt.Sprintf("%s must not contain the same item twice", where)
	case "number_gte", "number_gt", "number_lte", "number_lt", "multiple_of":
		return fmt.Sprintf("%s is out of range: %s", where, e.Description())
	case "number_any_of", "number_one_of":
		return fmt.Sprintf("%s matches none of the forms the schema allows", where)
	case "number_not":
		if strings.Contains(fmt.Sprint(e.Value()), "additionalProperties") {
			return `a member named "additionalProperties" is not allowed here (the spec's schema forbids exactly that name)`
		}
		return fmt.Sprintf("%s matches a form the schema forbids", where)
	case "false":
		return fmt.Sprintf("%s is not allowed here", where)
	}
	return fmt.Sprintf("%s: %s", where, e.Description())
}

func article(t string) string {
	switch t {
	case "integer", "object", "array":
		if t == "integer" {
			return "an integer"
		}
		return "an " + t
	case "null":
		return "null"
	case "string", "boolean", "number":
		return "a " + t
	}
	return t
}

func valueText(v any) string {
	s := fmt.Sprintf("%q", fmt.Sprint(v))
	if str, ok := v.(string); ok {
		s = fmt.Sprintf("%q", str)
	}
	if len(s) > 80 {
		s = s[:77] + `..."`
	}
	return s
}

// schemaRule names the catalogue rule a schema error breaks, with a hint.
func schemaRule(kind Kind, ptr, typ, prop string) (rule, hint string) {
	generic := func() (string, string) {
		return "V-10", "Change the value to what the schema of this spec version expects; `cnab-validate explain V-10` says more."
	}
	switch kind {
	case KindClaim:
		if ptr == "/bundle" || strings.HasPrefix(ptr, "/bundle/") {
			return schemaRule(KindBundle, strings.TrimPrefix(ptr, "/bundle"), typ, prop)
		}
		return "C-400-03", "A claim needs id, installation, revision, action, created and bundle (1.0 claims: name, revision, created, modified and bundle)."
	case KindClaimResult:
		return "C-400-08", "A claim result needs claimId, id, created and a status the spec version allows."
	case KindDependencies:
		return "D-500-02", `Use {"requires": {"NAME": {"bundle": "REGISTRY/NAME", "version": {"ranges": ["1.x"]}}}}.`
	case KindBundle:
	default:
		return generic()
	}
	segs := jsontree.SplitPointer(ptr)
	switch {
	case len(segs) == 1 && typ == "required":
		switch prop {
		case "schemaVersion":
			return "B-101-02", `Add "schemaVersion": "v1.2.0" (the spec version the bundle follows).`
		case "name", "version":
			return "B-101-04", fmt.Sprintf("Add the bundle's %s.", prop)
		case "invocationImages":
			return "B-101-09", `Add "invocationImages": [{"image": "REGISTRY/REPO@sha256:..."}].`
		}
	case len(segs) == 1 && typ == "additional_property_not_allowed":
		return "B-101-44", fmt.Sprintf("The bundle's top level is closed: move %q under custom with a dotted key (for example custom[\"io.example.%s\"]), or remove it.", prop, prop)
	case len(segs) == 1 && segs[0] == "schemaVersion":
		return "B-101-03", `Use a string such as "v1.2.0".`
	case len(segs) == 1 && segs[0] == "version":
		return "B-101-06", `Use a SemVer 2 version such as "1.0.0".`
	case len(segs) >= 2 && segs[0] == "definitions":
		return "B-101-19", "Definitions are JSON Schema draft-07 (up to 1.1: integers only, no \"number\" type). Fix the keyword named in the message."
	case len(segs) == 3 && segs[0] == "maintainers" && prop == "name":
		return "B-101-08", `Give every maintainer a "name".`
	case len(segs) == 3 && (segs[0] == "invocationImages" || segs[0] == "images") && prop == "image":
		return "B-101-11", `Set "image" to a reference such as "registry.example.com/org/app@sha256:...".`
	case len(segs) == 3 && segs[0] == "parameters" && typ == "required":
		return "B-101-23", fmt.Sprintf(`Add %q to the parameter (definition names an entry of definitions; destination is {"env": "NAME"} or {"path": "/some/file"}).`, prop)
	case len(segs) == 3 && segs[0] == "outputs" && segs[2] == "path":
		return "B-101-47", "Write each output to its own file under /cnab/app/outputs/."
	}
	return generic()
}

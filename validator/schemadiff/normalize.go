package schemadiff

// Normalisation removes differences of form that no document can tell
// apart, so that two schema sets written independently (the project's own
// schemas against the official ones) compare equal where they mean the same.

var annotations = map[string]bool{
	"title": true, "description": true, "$comment": true, "default": true, "examples": true,
	"readOnly": true, "writeOnly": true, "$schema": true, "$id": true,
	"contentMediaType": true, "contentEncoding": true, "definitions": true,
}

// trivial reports whether a schema accepts everything: true, or an object
// with annotations only.
func trivial(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case map[string]any:
		for k := range x {
			if !annotations[k] {
				return false
			}
		}
		return true
	}
	return false
}

// Keywords that only apply to one JSON type; with a type that excludes it
// they are no-ops.
var typeKeywords = map[string][]string{
	"object": {"properties", "additionalProperties", "patternProperties", "required", "propertyNames", "minProperties", "maxProperties", "dependencies"},
	"array":  {"items", "additionalItems", "contains", "minItems", "maxItems", "uniqueItems"},
	"string": {"pattern", "minLength", "maxLength", "format"},
}

// normalize returns the effective keywords of a schema object in file f.
func (s *Set) normalize(f *file, m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	// allOf branches in the same file whose keywords do not clash with the
	// parent's are the same as writing those keywords in the parent.
	if branches, ok := out["allOf"].([]any); ok {
		var keep []any
		for _, b := range branches {
			bm, ok := b.(map[string]any)
			if ok {
				if r, isRef := bm["$ref"].(string); isRef && len(bm) == 1 {
					if t, ok := s.resolve(f, r); ok && t.f == f {
						bm, _ = t.val.(map[string]any)
					} else {
						bm = nil
					}
				}
			}
			if bm == nil || !mergeable(out, bm) {
				keep = append(keep, b)
				continue
			}
			for k, v := range bm {
				if !annotations[k] {
					out[k] = v
				}
			}
		}
		if len(keep) == 0 {
			delete(out, "allOf")
		} else {
			out["allOf"] = keep
		}
	}
	// A catch-all pattern with no named properties is additionalProperties.
	if pp, ok := out["patternProperties"].(map[string]any); ok && len(pp) == 1 {
		if _, hasAP := out["additionalProperties"]; !hasAP {
			for k, v := range pp {
				if k == ".*" || k == "^.*$" || k == "" {
					delete(out, "patternProperties")
					if props, _ := out["properties"].(map[string]any); len(props) == 0 {
						out["additionalProperties"] = v
					} else {
						out["patternProperties"] = pp // with named properties it is not the same
					}
				}
			}
		}
	}
	// not {required: [x]} forbids one property, as properties {x: false} does.
	if not, ok := out["not"].(map[string]any); ok && len(not) == 1 {
		if req, ok := not["required"].([]any); ok && len(req) == 1 {
			if k, ok := req[0].(string); ok {
				props, _ := out["properties"].(map[string]any)
				if _, named := props[k]; !named {
					np := make(map[string]any, len(props)+1)
					for pk, pv := range props {
						np[pk] = pv
					}
					np[k] = false
					out["properties"] = np
					delete(out, "not")
				}
			}
		}
	}
	for _, k := range []string{"items", "additionalItems", "additionalProperties", "propertyNames"} {
		if v, ok := out[k]; ok && trivial(v) {
			delete(out, k)
		}
	}
	if t, ok := out["type"]; ok {
		types := typeSet(t)
		for jt, kws := range typeKeywords {
			if types[jt] {
				continue
			}
			for _, k := range kws {
				delete(out, k)
			}
		}
	}
	return out
}

func mergeable(parent, branch map[string]any) bool {
	for k := range branch {
		if k == "$ref" || k == "allOf" {
			return false
		}
		if annotations[k] {
			continue
		}
		if _, clash := parent[k]; clash {
			return false
		}
	}
	return true
}

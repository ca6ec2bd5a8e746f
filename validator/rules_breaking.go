package validator

import (
	"encoding/json"
	"strings"
)

// Breaking-change rules: one per entry of the spec history (spec-rules.md
// section 3) that leaves a trace in a document. Each finding says what
// changed, in which spec pull request and when, and the exact migration,
// also where the current schema silently accepts the old form (nested
// objects are open, so refs, digest, platform, apply-to and friends pass).
// The catalogue entries are in catalog/breaking.go under the same IDs.

func init() {
	addRule(docRule{ID: "BC-01", Kinds: bundleKinds, Check: bcSchemaVersionNumber})
	addRule(docRule{ID: "BC-02", Kinds: bundleKinds, Check: bcImageNameURI})
	addRule(docRule{ID: "BC-03", Kinds: bundleKinds, Check: bcImagesArray})
	addRule(docRule{ID: "BC-04", Kinds: bundleKinds, Check: bcParameterDestination})
	addRule(docRule{ID: "BC-05", Kinds: bundleKinds, Check: bcSchemaVersionMissing})
	addRule(docRule{ID: "BC-06", Kinds: bundleKinds, Check: bcActionNames})
	addRule(docRule{ID: "BC-07", Kinds: bundleKinds, Check: bcAutoParameterEnv})
	addRule(docRule{ID: "BC-08", Kinds: bundleKinds, Check: bcValidationAliases})
	addRule(docRule{ID: "BC-09", Kinds: bundleKinds, Check: bcExtensions})
	addRule(docRule{ID: "BC-11", Kinds: bundleKinds, Check: bcBytesType})
	addRule(docRule{ID: "BC-12", Kinds: bundleKinds, Check: bcImageRefs})
	addRule(docRule{ID: "BC-13", Kinds: bundleKinds, Check: bcParameterTypes})
	addRule(docRule{ID: "BC-14", Kinds: bundleKinds, Check: bcOriginalImage})
	addRule(docRule{ID: "BC-16", Kinds: bundleKinds, Check: bcApplyToDash})
	addRule(docRule{ID: "BC-17", Kinds: bundleKinds, Check: bcParameterWrappers})
	addRule(docRule{ID: "BC-18", Kinds: bundleKinds, Check: bcDigest})
	addRule(docRule{ID: "BC-19", Kinds: bundleKinds, Check: bcOutputOutsideOutputs})
	addRule(docRule{ID: "BC-21", Kinds: bundleKinds, Check: bcInlineSchemas})
	addRule(docRule{ID: "BC-23", Kinds: bundleKinds, Check: bcImmutable})
	addRule(docRule{ID: "BC-25", Kinds: bundleKinds, Check: bcPlatform})
	addRule(docRule{ID: "BC-27", Kinds: bundleKinds, Check: bcIntegerDefinitions})
	addRule(docRule{ID: "BC-28", Kinds: bundleKinds, Check: bcWorkingDraftVersion})
	addRule(docRule{ID: "BC-29", Kinds: bundleKinds, Check: bcStatusJSONAction})
	addRule(docRule{ID: "BC-32", Kinds: []Kind{KindClaim}, Check: bcClaimName})
	addRule(docRule{ID: "BC-35", Kinds: []Kind{KindClaim, KindClaimResult}, Check: bcClaimStatuses})
	addRule(docRule{ID: "BC-36", Kinds: []Kind{KindClaim, KindClaimResult}, Check: bcClaimSplit})
	addRule(docRule{ID: "BC-40", Kinds: bundleKinds, Check: bcDependenciesKey})
	addRule(docRule{ID: "BC-41", Kinds: bundleKinds, Check: bcCredentialApplyTo})
	addRule(docRule{ID: "BC-43", Kinds: []Kind{KindClaimResult}, Check: bcCanceledSpelling})
}

// BC-01 (#36, 2018-11-26): schemaVersion is a string.
func bcSchemaVersionNumber(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		n, ok := b["schemaVersion"].(json.Number)
		if !ok {
			return
		}
		c.Report(ptr(base, "schemaVersion"), "BC-01",
			"schemaVersion is the number "+string(n)+"; since spec PR #36 (2018-11-26) it is a \"v\"-prefixed string",
			"write \"schemaVersion\": \"v1.2.0\" (the version of the spec the bundle follows)")
	})
}

// BC-02 (#10 2018-11-06, #91 2019-02-06): image entries lost name and uri.
func bcImageNameURI(c *docContext) {
	if !c.odd(oddImages) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			if u, ok := img["uri"]; ok {
				hint := "rename \"uri\" to \"image\""
				if s, ok := u.(string); ok {
					hint = "replace \"uri\" with \"image\": " + quote(s) + " (a pullable reference, by digest where possible)"
				}
				c.Report(p.String()+"/uri", "BC-02",
					"image field \"uri\" was replaced by \"image\" in spec PRs #10 (2018-11-06) and #91 (2019-02-06)", hint)
			}
			if _, ok := img["name"]; ok {
				c.Report(p.String()+"/name", "BC-02",
					"image field \"name\" was dropped in spec PRs #10 (2018-11-06) and #91 (2019-02-06); images are keyed by component name instead",
					"remove \"name\"; in images, use it as the map key: \"images\": {\"NAME\": {...}}")
			}
		})
	})
}

// BC-03 (#62 2019-01-28, #81 2019-02-14): images is a map keyed by component.
func bcImagesArray(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		a, ok := b["images"].([]any)
		if !ok {
			return
		}
		hint := "turn the array into an object keyed by component name: \"images\": {\"web\": {\"image\": \"...\"}}"
		if len(a) > 0 {
			if n, ok := asStr(asObj(a[0])["name"]); ok {
				hint = "turn the array into an object keyed by component name, e.g. \"images\": {" + quote(n) + ": {\"image\": \"...\"}}"
			}
		}
		c.Report(ptr(base, "images"), "BC-03",
			"images is an array; since spec PRs #62 (2019-01-28) and #81 (2019-02-14) it is an object keyed by component name", hint)
	})
}

// BC-04 (#87, 2019-02-07): every parameter has a destination.
func bcParameterDestination(c *docContext) {
	if !c.odd(oddParameters) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "parameters", func(name string, p map[string]any) {
			if hasKey(p, "destination") || isParameterWrapper(name, p) {
				return
			}
			c.Report(ptr(base, "parameters", name), "BC-04",
				"parameter "+quote(name)+" has no destination; spec PR #87 (2019-02-07) made destination required on every parameter",
				"add \"destination\": {\"env\": "+quote(strings.ToUpper(posixSuggestion(name)))+"} and/or {\"path\": \"/cnab/app/params/"+name+"\"}")
		})
	})
}

// BC-05 (#75, 2019-02-12): schemaVersion is required.
func bcSchemaVersionMissing(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		if hasKey(b, "schemaVersion") {
			return
		}
		c.Report(base, "BC-05",
			"the bundle has no schemaVersion; spec PR #75 (2019-02-12) made it required",
			"add \"schemaVersion\": \"v1.2.0\" (the version of the spec the bundle follows)")
	})
}

// BC-06 (#101/#102, 2019-02-14): well-known actions are namespaced.
func bcActionNames(c *docContext) {
	if !c.odd(oddActions) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		for _, e := range c.members(b, "actions") {
			switch name := e.name; name {
			case "status", "dry-run", "help", "log":
				c.Report(ptr(base, "actions", name), "BC-06",
					"action "+quote(name)+" was renamed "+quote("io.cnab."+name)+" when spec PRs #101/#102 (2019-02-14) namespaced action names",
					"rename the action to "+quote("io.cnab."+name))
			}
		}
	})
}

// BC-07 (#110, 2019-02-25): no automatic CNAB_P_<NAME> variables.
func bcAutoParameterEnv(c *docContext) {
	if !c.odd(oddParameters) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "parameters", func(name string, p map[string]any) {
			s, ok := asStr(asObj(p["destination"])["env"])
			if !ok || !strings.HasPrefix(s, "CNAB_P_") {
				return
			}
			c.Report(ptr(base, "parameters", name, "destination", "env"), "BC-07",
				"parameter "+quote(name)+" uses "+quote(s)+", the automatic CNAB_P_<NAME> variable removed by spec PR #110 (2019-02-25); CNAB_* names are reserved for the runtime",
				"set destination.env to a name of your own, e.g. "+quote(strings.TrimPrefix(s, "CNAB_P_"))+", and read that variable in the image")
		})
	})
}

// eachSchemaHolder calls fn for every object that held validation keywords
// in some spec version: parameters (before #192) and definitions (after).
func eachSchemaHolder(b map[string]any, base string, fn func(obj map[string]any, p loc)) {
	for _, section := range [...]string{"parameters", "definitions"} {
		for name, v := range asObj(b[section]) {
			if e := asObj(v); e != nil {
				fn(e, loc{base, section, name})
			}
		}
	}
}

var aliases = [...][2]string{{"allowedValues", "enum"}, {"minValue", "minimum"}, {"maxValue", "maximum"}}

// BC-08 (#77 2019-02-25, #131 2019-03-07, #153 2019-04-10): validation aliases.
func bcValidationAliases(c *docContext) {
	if !c.odd(oddParameters | oddDefinitions) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		eachSchemaHolder(b, base, func(e map[string]any, p loc) {
			for _, a := range aliases {
				if _, ok := e[a[0]]; ok {
					c.Report(p.String()+"/"+a[0], "BC-08",
						quote(a[0])+" was a deprecated alias of "+quote(a[1])+" (spec PRs #77 2019-02-25 and #131 2019-03-07) and was removed by #153 (2019-04-10); it is now ignored",
						"rename "+quote(a[0])+" to "+quote(a[1]))
				}
			}
		})
	})
}

// BC-09 (#104, 2019-02-26): root extensions became custom.
func bcExtensions(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		if !hasKey(b, "extensions") {
			return
		}
		c.Report(ptr(base, "extensions"), "BC-09",
			"the root field \"extensions\" was replaced by \"custom\" in spec PR #104 (2019-02-26); the bundle root is closed, so it is rejected",
			"move the data under \"custom\", each extension under a dotted key: \"custom\": {\"com.example.tool\": {...}}")
	})
}

// typeIs reports whether a JSON schema "type" value is or contains t.
func typeIs(v any, t string) bool {
	switch v := v.(type) {
	case string:
		return v == t
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok && s == t {
				return true
			}
		}
	}
	return false
}

// BC-11 (#83 2019-03-08, gone with #153 2019-04-10): the bytes type.
func bcBytesType(c *docContext) {
	if !c.odd(oddParameters | oddDefinitions) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		eachSchemaHolder(b, base, func(e map[string]any, p loc) {
			if typeIs(e["type"], "bytes") {
				c.Report(p.String()+"/type", "BC-11",
					"type \"bytes\" (spec PR #83, 2019-03-08) was removed when parameters became JSON Schema in #153 (2019-04-10)",
					"use \"type\": \"string\" with \"contentEncoding\": \"base64\"")
			}
		})
	})
}

// BC-12 (#123, 2019-03-12): images.*.refs removed.
func bcImageRefs(c *docContext) {
	if !c.odd(oddImages) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "images", func(name string, img map[string]any) {
			if !hasKey(img, "refs") {
				return
			}
			c.Report(ptr(base, "images", name, "refs"), "BC-12",
				"images.*.refs (path/field rewriting) was removed by spec PR #123 (2019-03-12); the schema still accepts it, but no tool rewrites those fields",
				"drop \"refs\"; read relocated image references from /cnab/app/relocation-mapping.json (spec PR #218)")
		})
	})
}

var oldTypes = map[string]string{"int": "integer", "numeric": "number"}

// BC-13 (#153, 2019-04-10): parameters became JSON Schema: no custom type
// names, default instead of defaultValue, description instead of
// metadata.description.
func bcParameterTypes(c *docContext) {
	if !c.odd(oddParameters | oddDefinitions) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		eachSchemaHolder(b, base, func(e map[string]any, p loc) {
			if t, ok := asStr(e["type"]); ok {
				if nt, old := oldTypes[t]; old {
					c.Report(p.String()+"/type", "BC-13",
						"type "+quote(t)+" is a pre-JSON-Schema type name, removed by spec PR #153 (2019-04-10)",
						"write \"type\": "+quote(nt))
				}
			}
			if _, ok := e["defaultValue"]; ok {
				c.Report(p.String()+"/defaultValue", "BC-13",
					"\"defaultValue\" became \"default\" when parameters became JSON Schema in spec PR #153 (2019-04-10); it is now ignored",
					"rename \"defaultValue\" to \"default\" (in the definition)")
			}
			if md := asObj(e["metadata"]); md != nil && hasKey(md, "description") {
				c.Report(p.String()+"/metadata", "BC-13",
					"\"metadata.description\" became \"description\" in spec PR #153 (2019-04-10); it is now ignored",
					"move the text to \"description\" and drop \"metadata\"")
			}
		})
	})
}

// BC-14 (#137/#158 2019-04-11 added, #218 2019-07-10 removed): originalImage.
func bcOriginalImage(c *docContext) {
	if !c.odd(oddImages) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			if hasKey(img, "originalImage") {
				c.Report(p.String()+"/originalImage", "BC-14",
					"\"originalImage\" (spec PRs #137/#158, 2019-04-11) was removed by #218 (2019-07-10); relocation no longer rewrites bundle.json",
					"remove \"originalImage\"; express relocation with a relocation mapping (/cnab/app/relocation-mapping.json)")
			}
		})
	})
}

// BC-16 (#186, 2019-06-06): apply-to became applyTo.
func bcApplyToDash(c *docContext) {
	if !c.odd(oddParameters | oddCredentials | oddOutputs) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		for _, section := range [...]string{"parameters", "credentials", "outputs"} {
			c.eachEntry(b, section, func(name string, e map[string]any) {
				if hasKey(e, "apply-to") {
					c.Report(ptr(base, section, name, "apply-to"), "BC-16",
						"\"apply-to\" was renamed \"applyTo\" in spec PR #186 (2019-06-06); the old key is ignored, so the "+section[:len(section)-1]+" applies to every action",
						"rename \"apply-to\" to \"applyTo\"")
				}
			})
		}
	})
}

// isParameterWrapper recognises the pre-#227 parameters.fields wrapper
// (BC-17's): an entry named "fields" that is not itself a parameter. (The
// parameters.required array is not an object, so entry walks skip it.)
func isParameterWrapper(name string, p map[string]any) bool {
	return name == "fields" && !hasKey(p, "definition") && !hasKey(p, "destination")
}

// BC-17 (#191 2019-06-10, #227 2019-07-22): parameters.fields wrapper and
// the parameters.required array are gone.
func bcParameterWrappers(c *docContext) {
	if !c.odd(oddParameters) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		params := asObj(b["parameters"])
		if f := asObj(params["fields"]); f != nil && isParameterWrapper("fields", f) {
			c.Report(ptr(base, "parameters", "fields"), "BC-17",
				"the \"parameters.fields\" wrapper (spec PR #191, 2019-06-10) was removed by #227 (2019-07-22)",
				"move every entry of parameters.fields up into parameters")
		}
		if _, ok := params["required"].([]any); ok {
			c.Report(ptr(base, "parameters", "required"), "BC-17",
				"the \"parameters.required\" array was replaced by a per-parameter boolean in spec PR #227 (2019-07-22)",
				"remove the array and set \"required\": true on each parameter it listed")
		}
	})
}

// BC-18 (#160, 2019-06-12): digest became contentDigest.
func bcDigest(c *docContext) {
	if !c.odd(oddImages) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			if hasKey(img, "digest") {
				c.Report(p.String()+"/digest", "BC-18",
					"\"digest\" was renamed \"contentDigest\" in spec PR #160 (2019-06-12); the schema accepts the old key silently, and no tool verifies it",
					"rename \"digest\" to \"contentDigest\"")
			}
		})
	})
}

// BC-19 (#190, 2019-06-12): outputs live under /cnab/app/outputs/.
func bcOutputOutsideOutputs(c *docContext) {
	if !c.odd(oddOutputs) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "outputs", func(name string, o map[string]any) {
			s, ok := asStr(o["path"])
			if !ok || strings.HasPrefix(s, outputsDir+"/") {
				return
			}
			c.Report(ptr(base, "outputs", name, "path"), "BC-19",
				"output "+quote(name)+" path "+quote(s)+" is outside /cnab/app/outputs/; since spec PR #190 (2019-06-12) outputs live there",
				"write the output to "+quote(outputsDir+"/"+name)+" and change the image to match")
		})
	})
}

// schemaKeywords were parameter (and output) fields before #192/#235
// factored them into definitions.
var schemaKeywords = [...]string{"type", "default", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "contentEncoding"}

// BC-21 (#192 2019-06-13, #200 2019-06-18, #235 2019-07-30): schemas moved
// into definitions; outputs briefly had a fields wrapper.
func bcInlineSchemas(c *docContext) {
	if !c.odd(oddParameters | oddOutputs) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		for _, section := range [...]string{"parameters", "outputs"} {
			c.eachEntry(b, section, func(name string, e map[string]any) {
				if section == "parameters" && isParameterWrapper(name, e) {
					return
				}
				if section == "outputs" && name == "fields" && !hasKey(e, "definition") && !hasKey(e, "path") {
					c.Report(ptr(base, "outputs", "fields"), "BC-21",
						"the \"outputs.fields\" wrapper (spec PR #200, 2019-06-18) was removed by #235 (2019-07-30)",
						"move every entry of outputs.fields up into outputs, each naming a definition")
					return
				}
				var found []string
				for _, k := range schemaKeywords {
					if hasKey(e, k) {
						found = append(found, quote(k))
					}
				}
				if found == nil {
					return
				}
				c.Report(ptr(base, section, name), "BC-21",
					section[:len(section)-1]+" "+quote(name)+" carries schema keywords inline ("+strings.Join(found, ", ")+"); since spec PRs #192 (2019-06-13) and #235 (2019-07-30) they live in definitions and are ignored here",
					"move them into \"definitions\": {"+quote(name)+": {...}} and set \"definition\": "+quote(name))
			})
		}
	})
}

// BC-23 (#212 2019-07-10, #233 2019-07-30): parameter immutable removed.
func bcImmutable(c *docContext) {
	if !c.odd(oddParameters) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "parameters", func(name string, p map[string]any) {
			if hasKey(p, "immutable") {
				c.Report(ptr(base, "parameters", name, "immutable"), "BC-23",
					"parameter field \"immutable\" (spec PR #212, 2019-07-10) was removed by #233 (2019-07-30); it is ignored",
					"remove \"immutable\"; for the advisory form set \"readOnly\": true in the parameter's definition")
			}
		})
	})
}

// BC-25 (#219, 2019-07-12): platform became labels.
func bcPlatform(c *docContext) {
	if !c.odd(oddImages) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			if hasKey(img, "platform") {
				c.Report(p.String()+"/platform", "BC-25",
					"image field \"platform\" was replaced by \"labels\" in spec PR #219 (2019-07-12); it is ignored",
					"move its entries into \"labels\" as strings, e.g. \"labels\": {\"os\": \"linux\", \"architecture\": \"amd64\"}")
			}
		})
	})
}

var integerKeywords = [...]string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}

// BC-27 (#257 2019-09-03; relaxed by #414 2021-05-24): up to 1.1,
// definitions take integers only and no "number" type.
func bcIntegerDefinitions(c *docContext) {
	if c.Spec.AtLeast(SpecCore12) || !c.Spec.Known() {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "definitions", func(name string, d map[string]any) {
			walkSchemaNumbers(d, ptr(base, "definitions", name), 0, func(p, what string) {
				c.Report(p, "BC-27",
					what+"; spec PR #257 (2019-09-03) allows integers only in definitions up to CNAB Core 1.1 (1.2 allows numbers again, #414)",
					"use integers (or a string with a pattern), or declare schemaVersion \"v1.2.0\" if the bundle targets CNAB Core 1.2")
			})
		})
	})
}

// walkSchemaNumbers reports "type": "number" and non-integer numeric
// keywords anywhere in a schema (bounded depth).
func walkSchemaNumbers(v any, at string, depth int, report func(p, what string)) {
	if depth > 32 {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		if typeIs(v["type"], "number") {
			report(at+"/type", "type \"number\" is not allowed")
		}
		for _, k := range integerKeywords {
			if n, ok := v[k].(json.Number); ok && !jsonNumberIsInteger(n) {
				report(at+"/"+k, k+" "+string(n)+" is not an integer")
			}
		}
		for k := range v {
			switch v[k].(type) {
			case map[string]any, []any:
				walkSchemaNumbers(v[k], ptr(at, k), depth+1, report)
			}
		}
	case []any:
		for i, x := range v {
			switch x.(type) {
			case map[string]any, []any:
				walkSchemaNumbers(x, ptr(at, idx(i)), depth+1, report)
			}
		}
	}
}

// BC-28 (#278, 2019-09-20): stable schemaVersion.
func bcWorkingDraftVersion(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		s, ok := asStr(b["schemaVersion"])
		if !ok || !(strings.HasSuffix(s, "-WD") || strings.HasSuffix(s, "-CR")) {
			return
		}
		c.Report(ptr(base, "schemaVersion"), "BC-28",
			"schemaVersion "+quote(s)+" is a working-draft marker; spec PR #278 (2019-09-20) made the stable version \"v1.0.0\"",
			"write "+quote(strings.TrimSuffix(strings.TrimSuffix(s, "-WD"), "-CR"))+" (or the later version the bundle follows, e.g. \"v1.2.0\")")
	})
}

// BC-29 (#290, 2019-11-18): io.cnab.status+json removed.
func bcStatusJSONAction(c *docContext) {
	if !c.odd(oddActions) {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		if !hasKey(asObj(b["actions"]), "io.cnab.status+json") {
			return
		}
		c.Report(ptr(base, "actions", "io.cnab.status+json"), "BC-29",
			"the action \"io.cnab.status+json\" was removed by spec PR #290 (2019-11-18); status JSON is now the output \"status\" of \"io.cnab.status\"",
			"remove the action; declare \"io.cnab.status\" and an output named \"status\" that applies to it")
	})
}

// claimsSplit: from Core 1.1 / Claims on, claims have the split shape.
func claimsSplit(s Spec) bool { return s.AtLeast(SpecCore11) }

// BC-32 (#310 2020-02-20, #333 2020-02-25): claim name became installation.
func bcClaimName(c *docContext) {
	root := asObj(c.Root)
	if !claimsSplit(c.Spec) || !hasKey(root, "name") {
		return
	}
	hint := "rename \"name\" to \"installation\""
	if s, ok := asStr(root["name"]); ok {
		hint = "replace \"name\" with \"installation\": " + quote(s)
	}
	c.Report("/name", "BC-32",
		"claim field \"name\" was renamed \"installation\" in spec PRs #310 (2020-02-20) and #333 (2020-02-25)", hint)
}

var oldStatuses = map[string]string{"success": "succeeded", "failure": "failed", "underway": "running"}

// BC-35 (#334, #340, #344, #345, 2020-02-25..03-06): claim status values.
func bcClaimStatuses(c *docContext) {
	if !claimsSplit(c.Spec) {
		return
	}
	root := asObj(c.Root)
	at, st := "/status", root["status"]
	if c.Kind == KindClaim {
		at, st = "/result/status", asObj(root["result"])["status"]
	}
	s, ok := asStr(st)
	if !ok {
		return
	}
	nv, old := oldStatuses[s]
	if !old {
		return
	}
	hint := "write " + quote(nv)
	if s == "underway" {
		hint += " (or \"pending\" if the operation has not started)"
	}
	c.Report(at, "BC-35",
		"status "+quote(s)+" was replaced in spec PRs #334, #340, #344 and #345 (2020-02-25 to 2020-03-06) by succeeded, failed, pending, running and canceled",
		hint)
}

// BC-36 (#339 2020-03-04, #349 2020-04-17): the claim split into a claim and
// claim results; output values are no longer stored.
func bcClaimSplit(c *docContext) {
	if !claimsSplit(c.Spec) {
		return
	}
	root := asObj(c.Root)
	const what = "spec PRs #339 (2020-03-04) and #349 (2020-04-17) split the 1.0 claim into a claim and separate claim results"
	if c.Kind == KindClaimResult {
		for name := range asObj(root["outputs"]) {
			if _, ok := asObj(root["outputs"])[name].(map[string]any); !ok {
				c.Report(ptr("/outputs", name), "BC-36",
					"output "+quote(name)+" stores a value; "+what+", and results keep only {\"contentDigest\": ...} per output",
					"replace the value with {\"contentDigest\": \"sha256:...\"} of the output's content")
			}
		}
		return
	}
	if hasKey(root, "result") {
		c.Report("/result", "BC-36",
			"the claim has a \"result\" object; "+what,
			"remove \"result\" and write a claim result document {\"claimId\", \"id\", \"created\", \"status\", \"message\"} for it; set the claim's \"action\" from result.action")
	}
	if hasKey(root, "modified") {
		c.Report("/modified", "BC-36",
			"the claim has \"modified\"; "+what+", and claims are immutable",
			"remove \"modified\"; every operation writes a new claim with its own \"created\" time")
	}
	if hasKey(root, "outputs") {
		c.Report("/outputs", "BC-36",
			"the claim stores output values; "+what+", and output values are no longer stored",
			"remove \"outputs\"; record each output's contentDigest in the claim result")
	}
}

// BC-40 (#404, 2021-01-19): custom.dependencies became io.cnab.dependencies.
func bcDependenciesKey(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		if !hasKey(asObj(b["custom"]), "dependencies") {
			return
		}
		c.Report(ptr(base, "custom", "dependencies"), "BC-40",
			"custom key \"dependencies\" was renamed \"io.cnab.dependencies\" in spec PR #404 (2021-01-19); tools ignore the old key",
			"rename custom[\"dependencies\"] to custom[\"io.cnab.dependencies\"]")
	})
}

// BC-41 (#407, 2021-02-19): credentials take applyTo from Core 1.2 on.
func bcCredentialApplyTo(c *docContext) {
	if !c.odd(oddCredentials) {
		return
	}
	if c.Spec.AtLeast(SpecCore12) || !c.Spec.Known() {
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "credentials", func(name string, cr map[string]any) {
			if hasKey(cr, "applyTo") {
				c.Report(ptr(base, "credentials", name, "applyTo"), "BC-41",
					"credential applyTo arrived with spec PR #407 (2021-02-19, CNAB Core 1.2); runtimes of "+string(c.Spec)+" ignore it and require the credential for every action",
					"declare schemaVersion \"v1.2.0\", or remove applyTo from the credential")
			}
		})
	})
}

// BC-43 (#420, 2021-09-15, main only): cancelled became canceled. Both are
// accepted with a warning, keyed on the spec version.
func bcCanceledSpelling(c *docContext) {
	s, _ := asStr(asObj(c.Root)["status"])
	switch {
	case s == "cancelled" && c.Spec.AtLeast(SpecMain):
		c.Report("/status", "BC-43",
			"status \"cancelled\" is spelled \"canceled\" on the spec's main branch since PR #420 (2021-09-15)",
			"write \"canceled\"")
	case s == "canceled" && c.Spec.AtLeast(SpecCore11) && !c.Spec.AtLeast(SpecMain):
		c.Report("/status", "BC-43",
			"status \"canceled\" is the spelling of the spec's main branch (PR #420, 2021-09-15); "+string(c.Spec)+" spells it \"cancelled\"",
			"write \"cancelled\" for "+string(c.Spec)+", or validate against main")
	}
}

package validator

import "strings"

// Semantic rules on the dependencies (spec 500) and parameter-sources (spec
// 810) extensions, both inside a bundle's custom and as documents of their own.

const (
	extDependencies     = "io.cnab.dependencies"
	extParameterSources = "io.cnab.parameter-sources"
	// Pointers to them inside a bundle; base+const does not allocate when
	// base is empty.
	depPointer = "/custom/" + extDependencies
	psPointer  = "/custom/" + extParameterSources
)

func init() {
	addRule(docRule{ID: "D-500-01", Kinds: bundleKinds, Check: checkDependenciesKey})
	addRule(docRule{ID: "D-500-02", Kinds: bundleKinds, Check: checkDependenciesShape})
	addRule(docRule{ID: "D-500-03", Kinds: []Kind{KindBundle, KindClaim, KindDependencies}, Check: checkDependencySequence})
	addRule(docRule{ID: "D-500-04", Kinds: []Kind{KindBundle, KindClaim, KindDependencies}, Check: checkVersionRanges})
	addRule(docRule{ID: "X-810-01", Kinds: []Kind{KindBundle, KindClaim, KindParameterSources}, Check: checkParameterSources})
}

// checkDependenciesKey: custom["io.cnab.dependencies"] is reserved for spec
// 500 and holds its object (D-500-01). The official 101.03 example puts an
// array there.
func checkDependenciesKey(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		v, ok := asObj(b["custom"])[extDependencies]
		if !ok {
			return
		}
		if _, isObj := v.(map[string]any); isObj {
			return
		}
		c.Report(ptr(base, "custom", extDependencies), "D-500-01",
			"custom[\"io.cnab.dependencies\"] is reserved for the dependencies extension and must hold its object, not "+jsonTypeName(v),
			"write {\"requires\": {\"NAME\": {\"bundle\": \"REGISTRY/NAME\", \"version\": {\"ranges\": [\"1.x\"]}}}}")
	})
}

// checkDependenciesShape: the extension inside a bundle has the shape of
// dependencies.schema.json (D-500-02); the bundle schema does not look
// inside custom. The top-level "sequence" the text documents is accepted.
func checkDependenciesShape(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		dep := asObj(asObj(b["custom"])[extDependencies])
		if dep == nil {
			return
		}
		at := base + depPointer
		bad := func(p, msg, hint string) { c.Report(p, "D-500-02", msg, hint) }
		for k := range dep {
			if k != "requires" && k != "sequence" {
				bad(ptr(at, k), "unknown field "+quote(k)+" in the dependencies extension", "remove it; the extension has requires (and sequence)")
			}
		}
		req, ok := dep["requires"].(map[string]any)
		if !ok || len(req) == 0 {
			bad(at, "the dependencies extension needs a non-empty requires object", "add requires: {\"NAME\": {\"bundle\": \"REGISTRY/NAME\"}}")
			return
		}
		for name := range req {
			r, ok := req[name].(map[string]any)
			rp := func(tokens ...string) string { return ptr(at, append([]string{"requires", name}, tokens...)...) }
			if !ok {
				bad(rp(), "dependency "+quote(name)+" is not an object", "write {\"bundle\": \"REGISTRY/NAME\"}")
				continue
			}
			if s, ok := asStr(r["bundle"]); !ok || s == "" {
				bad(rp(), "dependency "+quote(name)+" has no bundle reference", "add \"bundle\": \"REGISTRY/NAME\"")
			}
			v, has := r["version"]
			if !has {
				continue
			}
			ver, ok := v.(map[string]any)
			if !ok {
				bad(rp("version"), "version of dependency "+quote(name)+" is not an object", "write {\"ranges\": [\"1.x\"], \"prereleases\": false}")
				continue
			}
			if pr, has := ver["prereleases"]; has {
				if _, ok := pr.(bool); !ok {
					bad(rp("version", "prereleases"), "prereleases of dependency "+quote(name)+" is not a boolean", "write true or false, without quotes")
				}
			}
			if rg, has := ver["ranges"]; has {
				list, ok := rg.([]any)
				if !ok || len(list) == 0 {
					bad(rp("version", "ranges"), "ranges of dependency "+quote(name)+" is not a non-empty array", "write e.g. [\"1.x\"]")
					continue
				}
				for i, x := range list {
					if _, ok := x.(string); !ok {
						bad(rp("version", "ranges", idx(i)), "a version range of dependency "+quote(name)+" is not a string", "write the range as a string, e.g. \">=1.2.0 <2.0.0\"")
					}
				}
			}
			for k := range ver {
				if k != "ranges" && k != "prereleases" {
					bad(rp("version", k), "unknown field "+quote(k)+" in the version of dependency "+quote(name),
						"use ranges (an array of range strings) and prereleases (a boolean)")
				}
			}
		}
	})
}

// checkDependencySequence: every sequence entry names a key of requires
// (D-500-03).
func checkDependencySequence(c *docContext) {
	check := func(dep map[string]any, at string) {
		req := asObj(dep["requires"])
		for i, v := range asArr(dep["sequence"]) {
			s, ok := asStr(v)
			if ok && hasKey(req, s) {
				continue
			}
			c.Report(ptr(at, "sequence", idx(i)), "D-500-03",
				"sequence entry "+jsonText(v)+" is not a dependency named in requires",
				"list only names that are keys of requires, in the order to run them")
		}
	}
	if c.Kind == KindDependencies {
		if dep := asObj(c.Root); dep != nil {
			check(dep, "")
		}
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		if dep := asObj(asObj(b["custom"])[extDependencies]); dep != nil {
			check(dep, base+depPointer)
		}
	})
}

// checkVersionRanges: version ranges use the syntax spec 500 describes
// (D-500-04): SemVer versions with an optional "v", "x" wildcards,
// comparison operators, "A - B" ranges, "||" alternatives.
func checkVersionRanges(c *docContext) {
	check := func(dep map[string]any, at string) {
		for name, r := range asObj(dep["requires"]) {
			for i, v := range asArr(asObj(asObj(r)["version"])["ranges"]) {
				s, ok := asStr(v)
				if !ok || isVersionRange(s) {
					continue
				}
				c.Report(ptr(at, "requires", name, "version", "ranges", idx(i)), "D-500-04",
					"version range "+quote(s)+" of dependency "+quote(name)+" is not in the range syntax of spec 500",
					"write e.g. \"1.2.x\", \">=1.2.0 <2.0.0\", \"1.2.0 - 1.4.5\" or \"^1.2 || ^2.0\"")
			}
		}
	}
	if c.Kind == KindDependencies {
		if dep := asObj(c.Root); dep != nil {
			check(dep, "")
		}
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		if dep := asObj(asObj(b["custom"])[extDependencies]); dep != nil {
			check(dep, base+depPointer)
		}
	})
}

// isVersionRange checks a range: alternatives separated by "||", each a list
// of comparisons separated by spaces or commas, or a hyphen range "A - B".
// A comparison is an optional operator (=, !=, >, <, >=, <=, ~, ~>, ^) and a
// version whose parts may be x, X or * wildcards.
func isVersionRange(s string) bool {
	for {
		alt, rest, more := strings.Cut(s, "||")
		if !isRangeGroup(alt) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

func isRangeGroup(s string) bool {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	if len(fields) == 0 {
		return false
	}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if f == "-" { // hyphen range: plain versions on both sides
			if i == 0 || i+1 >= len(fields) || !isWildVersion(fields[i-1]) || !isWildVersion(fields[i+1]) {
				return false
			}
			i++
			continue
		}
		op := strings.IndexFunc(f, func(r rune) bool { return !strings.ContainsRune("=!<>~^", r) })
		if op < 0 { // an operator alone: its version is the next field
			if i+1 >= len(fields) || !isRangeOperator(f) {
				return false
			}
			i++
			if !isWildVersion(fields[i]) {
				return false
			}
			continue
		}
		if !isRangeOperator(f[:op]) || !isWildVersion(f[op:]) {
			return false
		}
	}
	return true
}

func isRangeOperator(op string) bool {
	switch op {
	case "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^":
		return true
	}
	return false
}

// isWildVersion: [v]MAJOR[.MINOR[.PATCH]][-pre][+build], parts may be x, X or *.
func isWildVersion(s string) bool {
	s = strings.TrimPrefix(s, "v")
	core, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !semverIdents(build, false) {
		return false
	}
	core, pre, hasPre := strings.Cut(core, "-")
	if hasPre && !semverIdents(pre, true) {
		return false
	}
	parts := 0
	for {
		part, rest, more := strings.Cut(core, ".")
		parts++
		if parts > 3 || !(part == "x" || part == "X" || part == "*" || numericIdent(part)) {
			return false
		}
		if !more {
			return true
		}
		core = rest
	}
}

// jsonText renders a scalar for a message.
func jsonText(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case nil:
		return "null"
	}
	return jsonTypeName(v)
}

// checkParameterSources: parameter sources name real parameters and outputs,
// and every priority entry has a source (X-810-01). A parameter-sources
// document alone shows only the last part.
func checkParameterSources(c *docContext) {
	check := func(ps map[string]any, at string, b map[string]any) {
		var params, outputs map[string]any
		if b != nil {
			params, outputs = asObj(b["parameters"]), asObj(b["outputs"])
		}
		for name := range ps {
			e := asObj(ps[name])
			if e == nil {
				continue
			}
			ep := func(tokens ...string) string { return ptr(at, append([]string{name}, tokens...)...) }
			if b != nil && !hasKey(params, name) {
				c.Report(ep(), "X-810-01",
					"parameter source "+quote(name)+" is not a parameter of the bundle",
					"use the name of a parameter, or declare "+quote(name)+" under parameters")
			}
			sources := asObj(e["sources"])
			for i, v := range asArr(e["priority"]) {
				if s, ok := asStr(v); ok && !hasKey(sources, s) {
					c.Report(ep("priority", idx(i)), "X-810-01",
						"priority entry "+quote(s)+" of parameter source "+quote(name)+" has no matching entry in sources",
						"add sources["+quote(s)+"], or remove it from priority")
				}
			}
			if b == nil {
				continue
			}
			if out, ok := asStr(asObj(sources["output"])["name"]); ok && !hasKey(outputs, out) {
				c.Report(ep("sources", "output", "name"), "X-810-01",
					"parameter source "+quote(name)+" reads output "+quote(out)+", which is not an output of the bundle",
					"name one of the bundle's outputs")
			}
		}
	}
	if c.Kind == KindParameterSources {
		if ps := asObj(c.Root); ps != nil {
			check(ps, "", nil)
		}
		return
	}
	eachBundle(c, func(b map[string]any, base string) {
		if ps := asObj(asObj(b["custom"])[extParameterSources]); ps != nil {
			check(ps, base+psPointer, b)
		}
	})
}

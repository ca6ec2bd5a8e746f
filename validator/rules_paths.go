package validator

import (
	"path"
	"strings"
)

// Semantic rules on where parameters, credentials and outputs go: env names,
// paths, applyTo (spec 101).

func init() {
	addRule(docRule{ID: "B-101-25", Kinds: bundleKinds, Check: checkDestinationTarget})
	addRule(docRule{ID: "B-101-26", Kinds: bundleKinds, Check: checkInputPaths})
	addRule(docRule{ID: "B-101-29", Kinds: bundleKinds, Check: checkParameterNames})
	addRule(docRule{ID: "B-101-31", Kinds: bundleKinds, Check: checkApplyTo})
	addRule(docRule{ID: "B-101-32", Kinds: bundleKinds, Check: checkCredentialTarget})
	addRule(docRule{ID: "B-101-35", Kinds: bundleKinds, Check: checkInputClashes})
	addRule(docRule{ID: "B-101-37", Kinds: bundleKinds, Check: checkReservedEnv})
	addRule(docRule{ID: "B-101-47", Kinds: bundleKinds, Check: checkOutputPaths})
}

const outputsDir = "/cnab/app/outputs"

// underOutputs reports whether p is /cnab/app/outputs or below it, after
// lexical cleaning ("/cnab/app/x/../outputs/a" is below it too).
func underOutputs(p string) bool {
	p = cleanPath(p)
	return p == outputsDir || strings.HasPrefix(p, outputsDir+"/")
}

// cleanPath is path.Clean(p), without its work when p is clean already (as
// paths in bundles almost always are): no empty, "." or ".." element and no
// trailing slash. Relative paths starting with "." are left to path.Clean.
func cleanPath(p string) string {
	if p == "" || p[0] == '.' {
		return path.Clean(p)
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		rest := p[i+1:]
		switch {
		case rest == "" && i > 0, // trailing slash
			strings.HasPrefix(rest, "/"),
			rest == "." || strings.HasPrefix(rest, "./"),
			rest == ".." || strings.HasPrefix(rest, "../"):
			return path.Clean(p)
		}
	}
	return p
}

// checkDestinationTarget: a parameter destination names env or path (B-101-25).
func checkDestinationTarget(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "parameters", func(name string, p map[string]any) {
			d, ok := p["destination"].(map[string]any)
			if !ok || hasKey(d, "env") || hasKey(d, "path") {
				return
			}
			c.Report(ptr(base, "parameters", name, "destination"), "B-101-25",
				"parameter "+quote(name)+" has a destination with neither env nor path, so its value never reaches the invocation image",
				"set destination.env (an environment variable name) and/or destination.path (an absolute file path)")
		})
	})
}

// checkInputPaths: parameter and credential paths are absolute (parameters;
// credentials are B-101-32's) and not under /cnab/app/outputs (B-101-26). The
// 1.0 schema said this with a lookahead pattern Go cannot compile; 1.0.1
// dropped the pattern (#330), so this check is in code for every version.
func checkInputPaths(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "parameters", func(name string, p map[string]any) {
			s, ok := asStr(asObj(p["destination"])["path"])
			if !ok {
				return
			}
			at := func() string { return ptr(base, "parameters", name, "destination", "path") }
			switch {
			case !strings.HasPrefix(s, "/"):
				c.Report(at(), "B-101-26",
					"parameter "+quote(name)+" destination path "+quote(s)+" is not absolute",
					"use an absolute path, e.g. "+quote("/"+strings.TrimLeft(s, "./")))
			case underOutputs(s):
				c.Report(at(), "B-101-26",
					"parameter "+quote(name)+" destination path "+quote(s)+" is under /cnab/app/outputs, which is reserved for outputs",
					"move the file out of /cnab/app/outputs, e.g. under /cnab/app/params/ (spec PR #190)")
			}
		})
		c.eachEntry(b, "credentials", func(name string, cr map[string]any) {
			s, ok := asStr(cr["path"])
			if !ok || !strings.HasPrefix(s, "/") || !underOutputs(s) {
				return
			}
			c.Report(ptr(base, "credentials", name, "path"), "B-101-26",
				"credential "+quote(name)+" path "+quote(s)+" is under /cnab/app/outputs, which is reserved for outputs",
				"move the file out of /cnab/app/outputs, e.g. under /cnab/app/credentials/ (spec PR #190)")
		})
	})
}

// checkParameterNames: parameter names look like POSIX env names (B-101-29).
func checkParameterNames(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		for _, e := range c.members(b, "parameters") {
			name := e.name
			if isPOSIXName(name) || name == "fields" || name == "required" {
				continue // the pre-#227 wrappers are BC-17's
			}
			c.Report(ptr(base, "parameters", name), "B-101-29",
				"parameter name "+quote(name)+" does not look like a POSIX environment variable name",
				"use letters, digits and underscores only, e.g. "+quote(posixSuggestion(name)))
		}
	})
}

func posixSuggestion(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch == '_' || ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z') {
			b[i] = '_'
		}
	}
	return string(b)
}

// checkApplyTo: every applyTo entry names a built-in action or a declared
// custom action (B-101-31). That credentials carry applyTo only from 1.2 on
// is BC-41's.
func checkApplyTo(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		actions := asObj(b["actions"])
		for _, section := range [...]string{"parameters", "credentials", "outputs"} {
			c.eachEntry(b, section, func(name string, e map[string]any) {
				for i, v := range asArr(e["applyTo"]) {
					a, ok := asStr(v)
					if !ok || isBuiltinAction(a) || hasKey(actions, a) {
						continue
					}
					c.Report(ptr(base, section, name, "applyTo", idx(i)), "B-101-31",
						section[:len(section)-1]+" "+quote(name)+" applies to action "+quote(a)+", which is neither built in nor declared in actions",
						"use install, upgrade, uninstall or a key of actions, or declare "+quote(a)+" under actions")
				}
			})
		}
	})
}

// checkCredentialTarget: a credential names env or path, and its path is
// absolute (B-101-32).
func checkCredentialTarget(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "credentials", func(name string, cr map[string]any) {
			if !hasKey(cr, "env") && !hasKey(cr, "path") {
				c.Report(ptr(base, "credentials", name), "B-101-32",
					"credential "+quote(name)+" has neither env nor path, so it never reaches the invocation image",
					"set env (an environment variable name) and/or path (an absolute file path)")
				return
			}
			if s, ok := asStr(cr["path"]); ok && !strings.HasPrefix(s, "/") {
				c.Report(ptr(base, "credentials", name, "path"), "B-101-32",
					"credential "+quote(name)+" path "+quote(s)+" is not absolute",
					"use an absolute path, e.g. "+quote("/"+strings.TrimLeft(s, "./")))
			}
		})
	})
}

// checkInputClashes: a parameter and a credential never share an env name or
// a path (B-101-35): the runtime would have to drop one of the values.
func checkInputClashes(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		creds := asObj(b["credentials"])
		if len(creds) == 0 {
			return
		}
		for _, e := range c.members(b, "parameters") {
			name, d := e.name, asObj(e.obj["destination"])
			env, _ := asStr(d["env"])
			file, _ := asStr(d["path"])
			if env == "" && file == "" {
				continue
			}
			for _, cm := range c.members(b, "credentials") {
				cname, cr := cm.name, cm.obj
				if ce, _ := asStr(cr["env"]); env != "" && ce == env {
					c.Report(ptr(base, "parameters", name, "destination", "env"), "B-101-35",
						"parameter "+quote(name)+" and credential "+quote(cname)+" both use the environment variable "+quote(env),
						"give the parameter or the credential another env name")
				}
				if cp, _ := asStr(cr["path"]); file != "" && cp != "" && (cp == file || cleanPath(cp) == cleanPath(file)) {
					c.Report(ptr(base, "parameters", name, "destination", "path"), "B-101-35",
						"parameter "+quote(name)+" and credential "+quote(cname)+" both use the file "+quote(file),
						"give the parameter or the credential another path")
				}
			}
		}
	})
}

// reservedEnv: CNAB_* names belong to the runtime. CNAB_P_* is the pre-#110
// automatic parameter naming and is BC-07's.
func reservedEnv(s string) bool {
	return strings.HasPrefix(s, "CNAB_") && !strings.HasPrefix(s, "CNAB_P_")
}

// checkReservedEnv: parameters and credentials do not declare CNAB_* env
// names (B-101-37).
func checkReservedEnv(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "parameters", func(name string, p map[string]any) {
			if s, ok := asStr(asObj(p["destination"])["env"]); ok && reservedEnv(s) {
				c.Report(ptr(base, "parameters", name, "destination", "env"), "B-101-37",
					"parameter "+quote(name)+" uses the environment variable "+quote(s)+"; CNAB_* variables are reserved for the runtime",
					"rename the variable without the CNAB_ prefix")
			}
		})
		c.eachEntry(b, "credentials", func(name string, cr map[string]any) {
			if s, ok := asStr(cr["env"]); ok && reservedEnv(s) {
				c.Report(ptr(base, "credentials", name, "env"), "B-101-37",
					"credential "+quote(name)+" uses the environment variable "+quote(s)+"; CNAB_* variables are reserved for the runtime",
					"rename the variable without the CNAB_ prefix")
			}
		})
	})
}

// checkOutputPaths: an output path is a strict subpath of /cnab/app/outputs/
// after lexical cleaning, and no two outputs share a path (B-101-47). A path
// outside /cnab/app/outputs/ altogether is the pre-#190 form, BC-19's.
func checkOutputPaths(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		outs := asObj(b["outputs"])
		c.eachEntry(b, "outputs", func(name string, o map[string]any) {
			s, ok := asStr(o["path"])
			if !ok || !strings.HasPrefix(s, outputsDir+"/") || len(s) == len(outputsDir)+1 {
				return // the schema's pattern ^/cnab/app/outputs/.+$ reports these
			}
			at := func() string { return ptr(base, "outputs", name, "path") }
			if cl := cleanPath(s); !strings.HasPrefix(cl, outputsDir+"/") {
				c.Report(at(), "B-101-47",
					"output "+quote(name)+" path "+quote(s)+" resolves to "+quote(cl)+", which is not a file under /cnab/app/outputs/",
					"use a plain file name under /cnab/app/outputs/, e.g. "+quote(outputsDir+"/"+name))
				return
			}
			// Report the later output (by name) of each clashing pair once.
			for other, v := range outs {
				if other >= name {
					continue
				}
				if t, ok := asStr(asObj(v)["path"]); ok && cleanPath(t) == cleanPath(s) {
					c.Report(at(), "B-101-47",
						"outputs "+quote(other)+" and "+quote(name)+" both write "+quote(s),
						"give every output its own file under /cnab/app/outputs/")
					return
				}
			}
		})
	})
}

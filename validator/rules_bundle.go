package validator

import (
	"strings"
	"unicode"
)

// Semantic rules on the bundle as a whole: identity fields, images, actions,
// extensions (spec 101, 804). Each rule reports only its own ID.

func init() {
	addRule(docRule{ID: "B-101-05", Kinds: bundleKinds, Check: checkNameGraphic})
	addRule(docRule{ID: "B-101-06", Kinds: bundleKinds, Check: checkVersionSemVer})
	addRule(docRule{ID: "B-101-07", Kinds: bundleKinds, Check: checkLicenseSPDX})
	addRule(docRule{ID: "B-101-09", Kinds: bundleKinds, Check: checkInvocationImagesPresent})
	addRule(docRule{ID: "B-101-10", Kinds: bundleKinds, Check: checkImageType})
	addRule(docRule{ID: "B-101-11", Kinds: bundleKinds, Check: checkImageReference})
	addRule(docRule{ID: "B-101-12", Kinds: bundleKinds, Check: checkDigestForm})
	addRule(docRule{ID: "B-101-14", Kinds: bundleKinds, Check: checkDigestPresent})
	addRule(docRule{ID: "B-101-18", Kinds: bundleKinds, Check: checkImagesByDigest})
	addRule(docRule{ID: "B-101-39", Kinds: bundleKinds, Check: checkNoBuiltinCustomAction})
	addRule(docRule{ID: "B-101-40", Kinds: bundleKinds, Check: checkDottedNames})
	addRule(docRule{ID: "B-101-45", Kinds: bundleKinds, Check: checkRequiredExtensions})
	addRule(docRule{ID: "X-804-01", Kinds: bundleKinds, Check: checkWellKnownActions})
}

// B-101-03 (schemaVersion form) is checked where the spec version is
// detected (detect.go), so that one value gives one finding.

// checkNameGraphic: name uses Unicode graphic characters only (B-101-05).
func checkNameGraphic(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		s, ok := asStr(b["name"])
		if !ok || isGraphic(s) {
			return
		}
		c.Report(ptr(base, "name"), "B-101-05",
			"name "+quote(s)+" contains characters that are not Unicode graphic characters (control characters, tabs or newlines)",
			"remove control characters, tabs and newlines from the name")
	})
}

// checkVersionSemVer: version is SemVer 2, anchored (B-101-06). The schema's
// pattern is unanchored and accepts "banana1".
func checkVersionSemVer(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		s, ok := asStr(b["version"])
		if !ok || isSemVer(s) || !strings.ContainsAny(s, "0123456789") {
			return // without a digit the schema's own pattern fails: its finding
		}
		hint := "use MAJOR.MINOR.PATCH with optional -prerelease and +build, e.g. \"1.2.3\""
		if len(s) > 1 && s[0] == 'v' && isSemVer(s[1:]) {
			hint = "drop the \"v\" prefix: " + quote(s[1:])
		}
		c.Report(ptr(base, "version"), "B-101-06",
			"version "+quote(s)+" is not a SemVer 2 version", hint)
	})
}

// checkLicenseSPDX: license looks like an SPDX license expression (B-101-07).
func checkLicenseSPDX(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		s, ok := asStr(b["license"])
		if !ok || isSPDXExpression(s) {
			return
		}
		c.Report(ptr(base, "license"), "B-101-07",
			"license "+quote(s)+" is not an SPDX license expression",
			"use an SPDX identifier or expression such as \"Apache-2.0\" or \"MIT OR Apache-2.0\" (https://spdx.org/licenses/)")
	})
}

// isSPDXExpression checks the shape of an SPDX license expression: license
// identifiers joined by AND, OR and WITH, with parentheses. It does not check
// identifiers against the SPDX list (which changes); it catches prose such as
// "Apache License 2.0".
func isSPDXExpression(s string) bool {
	const (
		wantOperand = iota
		wantOperator
		wantException
	)
	state, depth, n := wantOperand, 0, 0
	for i := 0; i < len(s); {
		ch := s[i]
		switch {
		case ch == ' ':
			i++
			continue
		case ch == '(':
			if state != wantOperand {
				return false
			}
			depth++
			i++
			continue
		case ch == ')':
			if state != wantOperator || depth == 0 {
				return false
			}
			depth--
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '(' && s[j] != ')' {
			j++
		}
		tok := s[i:j]
		i = j
		n++
		switch tok {
		case "AND", "OR", "and", "or":
			if state != wantOperator {
				return false
			}
			state = wantOperand
		case "WITH", "with":
			if state != wantOperator {
				return false
			}
			state = wantException
		default:
			if state == wantOperator || !isSPDXID(tok) {
				return false
			}
			state = wantOperator
		}
	}
	return n > 0 && state == wantOperator && depth == 0
}

// isSPDXID: idstring = 1*(ALPHA / DIGIT / "-" / "."), optionally followed by
// "+"; DocumentRef-x:LicenseRef-y is allowed too.
func isSPDXID(tok string) bool {
	if strings.HasPrefix(tok, "DocumentRef-") {
		_, lic, ok := strings.Cut(tok, ":")
		if !ok {
			return false
		}
		tok = lic
	}
	tok = strings.TrimSuffix(tok, "+")
	if tok == "" {
		return false
	}
	letter := false
	for i := 0; i < len(tok); i++ {
		ch := tok[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z':
			letter = true
		case ch >= '0' && ch <= '9', ch == '-', ch == '.':
		default:
			return false
		}
	}
	return letter
}

// checkInvocationImagesPresent: at least one invocation image (B-101-09).
// The schema has no minItems; a missing array is the schema's "required".
func checkInvocationImagesPresent(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		a, ok := b["invocationImages"].([]any)
		if !ok || len(a) > 0 {
			return
		}
		c.Report(ptr(base, "invocationImages"), "B-101-09",
			"invocationImages is empty; a bundle needs at least one invocation image",
			"add an invocation image, e.g. {\"image\": \"example/app-installer@sha256:...\", \"imageType\": \"oci\"}")
	})
}

// checkImageType: imageType is one every tool implements (B-101-10).
func checkImageType(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			t, ok := asStr(img["imageType"])
			if !ok || t == "oci" || t == "docker" {
				return
			}
			c.Report(p.String()+"/imageType", "B-101-10",
				"imageType "+quote(t)+" is not one every CNAB tool must support (\"oci\", \"docker\")",
				"use \"oci\" or \"docker\", or make sure the tools you target support "+quote(t))
		})
	})
}

// checkImageReference: image is a reference that can be located: not empty,
// no whitespace or control characters (B-101-11). The schema only asks for a
// string; a missing image is the schema layer's finding.
func checkImageReference(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			ref, ok := asStr(img["image"])
			if !ok || (ref != "" && !hasSpaceOrControl(ref)) {
				return
			}
			msg := "image is empty, so the image cannot be located"
			if ref != "" {
				msg = "image " + quote(ref) + " contains whitespace or control characters, so it is not a reference"
			}
			c.Report(p.String()+"/image", "B-101-11", msg,
				"write a full reference such as \"registry.example.com/org/app@sha256:...\"")
		})
	})
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f || unicode.IsSpace(r) }

// hasSpaceOrControl is strings.ContainsFunc(s, isSpaceOrControl), byte by
// byte while s is ASCII (references almost always are).
func hasSpaceOrControl(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return strings.ContainsFunc(s[i:], isSpaceOrControl)
		}
		if c <= ' ' || c == 0x7f {
			return true
		}
	}
	return false
}

// checkDigestForm: contentDigest is an OCI digest of the right length (B-101-12).
func checkDigestForm(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			d, ok := asStr(img["contentDigest"])
			if !ok {
				return
			}
			if problem := digestProblem(d); problem != "" {
				c.Report(p.String()+"/contentDigest", "B-101-12",
					"contentDigest "+quote(d)+" "+problem,
					"write the image manifest digest as algorithm:hex, e.g. \"sha256:\" followed by 64 lowercase hex digits")
			}
		})
	})
}

// checkDigestPresent: every image carries contentDigest before the bundle is
// transmitted (B-101-14). Reported whatever the options; the pipeline
// makes it a warning unless release checks (Options.RequireCanonical) are on
// (Validator.severity), as the catalogue says.
func checkDigestPresent(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachImage(b, base, func(img map[string]any, p loc) {
			if _, ok := img["contentDigest"]; ok {
				return
			}
			if _, old := img["digest"]; old {
				return // BC-18 says to rename it
			}
			c.Report(p.String(), "B-101-14",
				"image has no contentDigest; a bundle ready to be transmitted must pin every image",
				"add \"contentDigest\": the image's registry manifest digest")
		})
	})
}

// checkImagesByDigest: component images are referenced by digest (B-101-18).
func checkImagesByDigest(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		c.eachEntry(b, "images", func(name string, img map[string]any) {
			ref, ok := asStr(img["image"])
			if !ok || ref == "" {
				return
			}
			if _, d, ok := strings.Cut(ref, "@"); ok && digestProblem(d) == "" {
				return
			}
			c.Report(ptr(base, "images", name, "image"), "B-101-18",
				"image "+quote(ref)+" is referenced by tag, not by digest",
				"reference the image by digest: repository@sha256:...")
		})
	})
}

// checkNoBuiltinCustomAction: actions never redefine install, upgrade or
// uninstall (B-101-39).
func checkNoBuiltinCustomAction(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		for _, e := range c.members(b, "actions") {
			if name := e.name; isBuiltinAction(name) {
				c.Report(ptr(base, "actions", name), "B-101-39",
					"custom action "+quote(name)+" has the name of a built-in action",
					"remove it; built-in actions are always available and cannot be redefined. Use a dotted name for a custom variant, e.g. \"com.example."+name+"\"")
			}
		}
	})
}

// isOldActionName: the well-known actions renamed into io.cnab.* by #101/#102 (BC-06), and
// io.cnab.status+json was dropped by #290 (BC-29); those rules report them.
func isOldActionName(s string) bool {
	switch s {
	case "status", "dry-run", "help", "log", "io.cnab.status+json":
		return true
	}
	return false
}

// checkDottedNames: custom action names and custom extension keys are dotted
// names (B-101-40).
func checkDottedNames(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		for _, e := range c.members(b, "actions") {
			name := e.name
			if isBuiltinAction(name) || isOldActionName(name) || isDottedName(name) {
				continue
			}
			c.Report(ptr(base, "actions", name), "B-101-40",
				"custom action name "+quote(name)+" is not a dotted name (letters and \"-\" in dot-separated parts, e.g. \"com.example.backup\")",
				"rename it to a reverse-DNS style dotted name such as \"com.example."+dottedSuggestion(name)+"\"")
		}
		for _, e := range c.members(b, "custom") {
			key := e.name
			if isDottedName(key) || key == "dependencies" {
				continue // "dependencies" is BC-40's
			}
			c.Report(ptr(base, "custom", key), "B-101-40",
				"custom extension key "+quote(key)+" is not a dotted name (letters and \"-\" in dot-separated parts)",
				"namespace the extension, e.g. \"com.example."+dottedSuggestion(key)+"\"")
		}
	})
}

// dottedSuggestion keeps the letters and dashes of s for a hint.
func dottedSuggestion(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == '.' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z'):
			b.WriteRune(r)
		case r == '_' || r == ' ':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "action"
	}
	return strings.Trim(b.String(), ".-")
}

// checkRequiredExtensions: requiredExtensions are unique strings, each a key
// of custom (B-101-45). The schema leaves the items untyped.
func checkRequiredExtensions(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		list := asArr(b["requiredExtensions"])
		custom := asObj(b["custom"])
		for i, v := range list {
			s, ok := asStr(v)
			if !ok {
				c.Report(ptr(base, "requiredExtensions", idx(i)), "B-101-45",
					"requiredExtensions entries must be strings",
					"list each required extension by its custom key, e.g. \"io.cnab.dependencies\"")
				continue
			}
			dup := false
			for _, w := range list[:i] {
				if t, ok := w.(string); ok && t == s {
					dup = true
					break
				}
			}
			switch {
			case dup:
				c.Report(ptr(base, "requiredExtensions", idx(i)), "B-101-45",
					"required extension "+quote(s)+" is listed more than once",
					"remove the duplicate entry")
			case !hasKey(custom, s):
				c.Report(ptr(base, "requiredExtensions", idx(i)), "B-101-45",
					"required extension "+quote(s)+" has no entry in custom",
					"add the extension's data under custom["+quote(s)+"], or remove it from requiredExtensions")
			}
		}
	})
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// wellKnownActions are spec 804's actions and the flags it gives them.
var wellKnownActions = map[string]struct{ stateless, modifies bool }{
	"io.cnab.dry-run": {stateless: true},
	"io.cnab.help":    {stateless: true},
	"io.cnab.log":     {},
	"io.cnab.status":  {},
}

// checkWellKnownActions: a well-known action declared with other flags than
// spec 804 gives it (X-804-01). Absent flags default to false.
func checkWellKnownActions(c *docContext) {
	eachBundle(c, func(b map[string]any, base string) {
		for _, e := range c.members(b, "actions") {
			name, v := e.name, e.val
			want, ok := wellKnownActions[name]
			if !ok {
				continue
			}
			a := asObj(v)
			st, _ := a["stateless"].(bool)
			mo, _ := a["modifies"].(bool)
			if st == want.stateless && mo == want.modifies {
				continue
			}
			c.Report(ptr(base, "actions", name), "X-804-01",
				"well-known action "+quote(name)+" is declared with stateless="+boolStr(st)+", modifies="+boolStr(mo)+"; spec 804 defines stateless="+boolStr(want.stateless)+", modifies="+boolStr(want.modifies),
				"set \"stateless\": "+boolStr(want.stateless)+" and \"modifies\": "+boolStr(want.modifies)+", or give your action its own name")
		}
	})
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

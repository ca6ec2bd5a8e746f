package validator

import "strings"

// ruleMemo is per-document scratch the rules share (docContext.memo). It is
// zero for every new document. Today it holds one thing: which sections of
// the bundle hold anything the current spec does not define. Breaking-change
// rules look for old forms (refs, digest, apply-to, defaultValue, ...) that
// a current bundle never has, so one pass over the bundle tells almost every
// one of them there is nothing to find, instead of each walking the bundle
// again.
type ruleMemo struct {
	scanned bool
	odd     oddSections
}

// oddSections flags the sections of a bundle that hold something outside
// the current spec's vocabulary.
type oddSections uint16

const (
	oddImages oddSections = 1 << iota
	oddParameters
	oddCredentials
	oddOutputs
	oddDefinitions
	oddActions
	oddCustom
)

// odd reports whether any of the given sections of the document's bundle
// holds something outside the current vocabulary. A false answer means the
// breaking-change rules over those sections have nothing to report.
func (c *docContext) odd(sections oddSections) bool {
	if !c.memo.scanned {
		c.memo.scanned = true
		eachBundle(c, func(b map[string]any, _ string) { c.memo.odd |= scanOdd(b) })
	}
	return c.memo.odd&sections != 0
}

// scanOdd is the one pass over a bundle behind docContext.odd. It errs on
// the side of "odd": a flagged section only means the rules look closer.
func scanOdd(b map[string]any) oddSections {
	var odd oddSections
	for _, v := range asArr(b["invocationImages"]) {
		if img := asObj(v); img != nil && !allKeys(img, isImageKey) {
			odd |= oddImages
		}
	}
	if _, isArr := b["images"].([]any); isArr {
		odd |= oddImages
	}
	for _, v := range asObj(b["images"]) {
		if img := asObj(v); img != nil && !allKeys(img, isImageKey) {
			odd |= oddImages
		}
	}
	for name, v := range asObj(b["parameters"]) {
		p := asObj(v)
		if p == nil {
			continue
		}
		env, _ := asStr(asObj(p["destination"])["env"])
		if name == "fields" || !hasKey(p, "destination") || strings.HasPrefix(env, "CNAB_P_") || !allKeys(p, isParameterKey) {
			odd |= oddParameters
		}
	}
	if _, isArr := asObj(b["parameters"])["required"].([]any); isArr {
		odd |= oddParameters
	}
	for _, v := range asObj(b["credentials"]) {
		if cr := asObj(v); cr != nil && !allKeys(cr, isCredentialKey) {
			odd |= oddCredentials
		}
	}
	for name, v := range asObj(b["outputs"]) {
		o := asObj(v)
		if o == nil {
			continue
		}
		p, _ := asStr(o["path"])
		if name == "fields" || !strings.HasPrefix(p, outputsDir+"/") || !allKeys(o, isOutputKey) {
			odd |= oddOutputs
		}
	}
	for _, v := range asObj(b["definitions"]) {
		if d := asObj(v); d != nil && definitionIsOdd(d) {
			odd |= oddDefinitions
		}
	}
	for name := range asObj(b["actions"]) {
		if isOldActionName(name) {
			odd |= oddActions
		}
	}
	if hasKey(asObj(b["custom"]), "dependencies") {
		odd |= oddCustom
	}
	return odd
}

func allKeys(m map[string]any, known func(string) bool) bool {
	for k := range m {
		if !known(k) {
			return false
		}
	}
	return true
}

func isImageKey(k string) bool {
	switch k {
	case "image", "imageType", "contentDigest", "size", "labels", "mediaType", "description":
		return true
	}
	return false
}

func isParameterKey(k string) bool {
	switch k {
	case "definition", "destination", "description", "applyTo", "required":
		return true
	}
	return false
}

// isCredentialKey leaves out applyTo: it is current only from 1.2 on.
func isCredentialKey(k string) bool {
	switch k {
	case "env", "path", "description", "required":
		return true
	}
	return false
}

func isOutputKey(k string) bool {
	switch k {
	case "definition", "path", "description", "applyTo":
		return true
	}
	return false
}

// definitionIsOdd: a definition uses a keyword or type name of the
// pre-JSON-Schema parameters (definitions are open JSON Schema, so only the
// old names are looked for).
func definitionIsOdd(d map[string]any) bool {
	for k, v := range d {
		switch k {
		case "allowedValues", "minValue", "maxValue", "defaultValue", "metadata":
			return true
		case "type":
			if typeIs(v, "int") || typeIs(v, "numeric") || typeIs(v, "bytes") {
				return true
			}
		}
	}
	return false
}

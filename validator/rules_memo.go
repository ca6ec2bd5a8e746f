package validator

import "strings"

// ruleMemo is per-document scratch the rules share (docContext.memo). It is
// zero for every new document. Today it holds one thing: which sections of
// the bundle hold anything the current spec does not define. Breaking-change
// rules look for old forms (refs, digest, apply-to, defaultValue, ...) that
// a current bundle never has, so one pass over the bundle tells almost every
// one of them there is nothing to find, instead of each walking the bundle
// again. A new field must also be cleared by reset.
type ruleMemo struct {
	scanned bool
	odd     oddSections
	// Listed sections of the bundle (docContext.entries): fixed arrays, so
	// that a document's rules allocate nothing.
	secs  [7]section // by sectionSlot
	ents  [96]entry
	nents int
}

// reset makes m zero again, clearing only the used part of its arrays.
func (m *ruleMemo) reset() {
	clear(m.ents[:m.nents])
	clear(m.secs[:])
	m.nents = 0
	m.scanned, m.odd = false, 0
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
		eachBundle(c, func(b map[string]any, _ string) { c.memo.odd |= scanOdd(c, b) })
	}
	return c.memo.odd&sections != 0
}

// scanOdd is the one pass over a bundle behind docContext.odd. It errs on
// the side of "odd": a flagged section only means the rules look closer.
func scanOdd(c *docContext, b map[string]any) oddSections {
	var odd oddSections
	for _, v := range asArr(b["invocationImages"]) {
		if img := asObj(v); img != nil && !allKeys(img, imageKeys) {
			odd |= oddImages
		}
	}
	if _, isArr := b["images"].([]any); isArr {
		odd |= oddImages
	}
	c.eachEntry(b, "images", func(_ string, img map[string]any) {
		if !allKeys(img, imageKeys) {
			odd |= oddImages
		}
	})
	c.eachEntry(b, "parameters", func(name string, p map[string]any) {
		env, _ := asStr(asObj(p["destination"])["env"])
		if name == "fields" || !hasKey(p, "destination") || strings.HasPrefix(env, "CNAB_P_") || !allKeys(p, parameterKeys) {
			odd |= oddParameters
		}
	})
	if _, isArr := asObj(b["parameters"])["required"].([]any); isArr {
		odd |= oddParameters
	}
	c.eachEntry(b, "credentials", func(_ string, cr map[string]any) {
		if !allKeys(cr, credentialKeys) {
			odd |= oddCredentials
		}
	})
	c.eachEntry(b, "outputs", func(name string, o map[string]any) {
		p, _ := asStr(o["path"])
		if name == "fields" || !strings.HasPrefix(p, outputsDir+"/") || !allKeys(o, outputKeys) {
			odd |= oddOutputs
		}
	})
	c.eachEntry(b, "definitions", func(_ string, d map[string]any) {
		if definitionIsOdd(d) {
			odd |= oddDefinitions
		}
	})
	for _, e := range c.members(b, "actions") {
		if isOldActionName(e.name) {
			odd |= oddActions
		}
	}
	if hasKey(asObj(b["custom"]), "dependencies") {
		odd |= oddCustom
	}
	return odd
}

// allKeys reports whether every member name of m is one of known (which
// holds no name twice). Looking the known names up costs less than
// iterating the map: m cannot have a member outside known when as many
// known names are present as m has members.
func allKeys(m map[string]any, known []string) bool {
	if len(m) > len(known) {
		return false
	}
	n := 0
	for _, k := range known {
		if _, ok := m[k]; ok {
			n++
		}
	}
	return n == len(m)
}

// The member names of the current spec, per section.
var (
	imageKeys     = []string{"image", "imageType", "contentDigest", "size", "labels", "mediaType", "description"}
	parameterKeys = []string{"definition", "destination", "description", "applyTo", "required"}
	// credentialKeys leaves out applyTo: it is current only from 1.2 on.
	credentialKeys = []string{"env", "path", "description", "required"}
	outputKeys     = []string{"definition", "path", "description", "applyTo"}
)

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

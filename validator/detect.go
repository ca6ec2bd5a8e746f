package validator

// Kind and spec version detection.
//
// The version comes from schemaVersion: v1, v1.0.0-WD, v1.0.0 and v1.0.1 are
// the CNAB Core 1.0 family. v1.0.1 (a patch branch that was never tagged) is
// checked with our 1.0 schemas, which already leave out the lookahead path
// pattern that 1.0.1 removed (PR #330); the rule behind it, B-101-26, is
// checked in code for every version. v1.1.0 is Core 1.1.0, v1.2.0 Core 1.2.0.
// Any other value is finding B-101-03 and the document is checked against the
// latest release. Documents without a schemaVersion of their own take it from
// what they hold (a claim's bundle) or from their content (a claim result
// spelling "canceled" follows main), and otherwise the latest release.

// LatestRelease is the spec version used when a document does not say.
const LatestRelease = SpecCore12

var schemaVersions = map[string]Spec{
	"v1":        SpecCore10,
	"v1.0.0-WD": SpecCore10,
	"v1.0.0":    SpecCore10,
	"v1.0.1":    SpecCore10,
	"v1.1.0":    SpecCore11,
	"v1.2.0":    SpecCore12,
}

// SpecForSchemaVersion maps a schemaVersion value to a spec version.
func SpecForSchemaVersion(v string) (Spec, bool) {
	s, ok := schemaVersions[v]
	return s, ok
}

// DetectKind guesses the kind of a decoded document; ok is false when it
// cannot tell.
func DetectKind(root any) (Kind, bool) {
	m, isObj := root.(map[string]any)
	if !isObj {
		return "", false
	}
	has := func(k string) bool { _, ok := m[k]; return ok }
	switch {
	case has("schemaVersion") || has("invocationImages"):
		return KindBundle, true
	case has("claimId"):
		return KindClaimResult, true
	case has("installation") || (has("bundle") && (has("revision") || has("id"))):
		return KindClaim, true
	case has("requires") || has("sequence"):
		return KindDependencies, true
	}
	if len(m) > 0 {
		sources, strs := true, true
		for _, v := range m {
			e, ok := v.(map[string]any)
			_, hasP := e["priority"]
			_, hasS := e["sources"]
			if !ok || !(hasP || hasS) {
				sources = false
			}
			if _, ok := v.(string); !ok {
				strs = false
			}
		}
		switch {
		case sources:
			return KindParameterSources, true
		case strs && !has("status") && !has("message") && !(has("name") && has("version")):
			return KindRelocationMapping, true
		}
	}
	switch {
	case has("status") || has("components") || has("message"):
		return KindStatus, true
	case has("name") && has("version"):
		return KindBundle, true
	}
	return "", false
}

// detectSpec picks the spec version for a document of kind k. It returns the
// pointer and value of an unknown schemaVersion, if any, for finding B-101-03.
func detectSpec(k Kind, root any) (spec Spec, badPtr, badVal string) {
	m, _ := root.(map[string]any)
	fromVersion := func(v any, ptr string) (Spec, bool) {
		s, ok := v.(string)
		if !ok {
			return LatestRelease, false
		}
		if sp, ok := schemaVersions[s]; ok {
			return sp, true
		}
		badPtr, badVal = ptr, s
		return LatestRelease, false
	}
	switch k {
	case KindBundle:
		spec, _ = fromVersion(m["schemaVersion"], "/schemaVersion")
		return spec, badPtr, badVal
	case KindClaim:
		b, _ := m["bundle"].(map[string]any)
		spec, _ = fromVersion(b["schemaVersion"], "/bundle/schemaVersion")
		_, newShape := m["installation"]
		_, hasID := m["id"]
		_, oldShape := m["modified"]
		switch {
		case (newShape || hasID) && spec == SpecCore10:
			spec = SpecCore11 // the claim split came with 1.1 (PR #339/#349)
		case oldShape && !newShape && !hasID:
			spec = SpecCore10
		}
		return spec, badPtr, badVal
	case KindClaimResult:
		if m["status"] == "canceled" {
			return SpecMain, "", "" // PR #420 respelled cancelled on main only
		}
	}
	return LatestRelease, "", ""
}

// schemaSpec is the folder a kind is checked against: kinds that did not
// exist yet in a version use the first version that has them.
func schemaSpec(k Kind, s Spec) Spec {
	if (k == KindClaimResult || k == KindParameterSources) && !s.AtLeast(SpecCore11) {
		return SpecCore11
	}
	return s
}

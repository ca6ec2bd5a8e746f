package validator

// Semantic rules on claims and claim results (spec 400). The schemas check
// neither the ULIDs nor the dates.

func init() {
	addRule(docRule{ID: "C-400-04", Kinds: []Kind{KindClaim, KindClaimResult}, Check: checkClaimIDs})
	addRule(docRule{ID: "C-400-08", Kinds: []Kind{KindClaimResult}, Check: checkClaimResultRef})
	addRule(docRule{ID: "C-400-03", Kinds: []Kind{KindClaim, KindClaimResult}, Check: checkClaimFields})
	addRule(docRule{ID: "C-400-07", Kinds: []Kind{KindClaim}, Check: checkNoStoredCredentials})
}

// claimField and resultField are the fields of a claim and of a claim
// result since the claim split (Core 1.1, Claims 1.0.0).
func claimField(k string) bool {
	switch k {
	case "id", "installation", "revision", "action", "created", "bundle", "bundleReference", "parameters", "custom",
		"name", "modified", "result", "outputs", // the 1.0 shape: BC-32 and BC-36 report these
		"credentials": // C-400-07 reports this
		return true
	}
	return false
}

func resultField(k string) bool {
	switch k {
	case "claimId", "id", "created", "status", "message", "outputs", "custom":
		return true
	}
	return false
}

// checkClaimFields: claims and claim results have no unknown top-level
// fields (C-400-03, C-400-08). The schemas mean to close them, but their
// "additionalProperties": false sits inside "properties" and declares a
// property of that name instead, so the schema layer accepts anything.
// 1.0 claims (before the split) are left alone.
func checkClaimFields(c *docContext) {
	if !claimsSplit(c.Spec) {
		return
	}
	known, what := claimField, "claim"
	if c.Kind == KindClaimResult {
		known, what = resultField, "claim result"
	}
	for k := range asObj(c.Root) {
		if known(k) {
			continue
		}
		c.Report(ptr("", k), "C-400-03",
			what+" field "+quote(k)+" is not defined by the claims spec (the published schema means to reject it, but its additionalProperties sits inside properties)",
			"remove it, or keep tool-specific data under \"custom\"")
	}
}

// checkNoStoredCredentials: credentials are never stored in a claim (C-400-07).
func checkNoStoredCredentials(c *docContext) {
	if !hasKey(asObj(c.Root), "credentials") {
		return
	}
	c.Report("/credentials", "C-400-07",
		"the claim stores credentials; the claims spec forbids storing credential values",
		"remove \"credentials\" from the claim; pass credentials to each operation instead")
}

// checkClaimIDs: id and revision are ULIDs, created (and the 1.0 claim's
// modified) are RFC 3339 date-times (C-400-04).
func checkClaimIDs(c *docContext) {
	root := asObj(c.Root)
	if root == nil {
		return
	}
	ulids := [...]string{"id", "revision"}
	n := 2
	if c.Kind == KindClaimResult {
		n = 1 // a result has an id, but no revision
	}
	for _, k := range ulids[:n] {
		if s, ok := asStr(root[k]); ok && !isULID(s) {
			c.Report("/"+k, "C-400-04",
				k+" "+quote(s)+" is not a ULID (26 Crockford base32 characters)",
				"generate a ULID for "+k+", e.g. \"01HB3Q4Z9T6V2M8K5R7N1C0XJD\"")
		}
	}
	for _, k := range [...]string{"created", "modified"} {
		if s, ok := asStr(root[k]); ok && !isRFC3339(s) {
			c.Report("/"+k, "C-400-04",
				k+" "+quote(s)+" is not an RFC 3339 / ECMAScript date-time",
				"write the time as e.g. \"2020-10-14T09:30:00.000Z\" (date, \"T\", time, zone)")
		}
	}
}

// checkClaimResultRef: a claim result's claimId is a claim's id, so a ULID
// (C-400-08).
func checkClaimResultRef(c *docContext) {
	root := asObj(c.Root)
	if s, ok := asStr(root["claimId"]); ok && !isULID(s) {
		c.Report("/claimId", "C-400-08",
			"claimId "+quote(s)+" is not a ULID, so it cannot be the id of a claim",
			"set claimId to the id of the claim this result belongs to")
	}
}

package validator

import (
	"errors"
	"fmt"

	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// Canonical JSON (B-101-01, F-104-07): checked only when the options ask for
// it (signed or registry-bound bundles, --canonical), because the spec's own
// examples, and most bundles on disk, are pretty-printed on purpose. The
// canonical rules follow the spec version: OLPC up to 1.1, RFC 8785 from 1.2
// (see package canonical for why). Duplicate keys are V-04 whatever the
// options, from the decoder.

func init() {
	addRule(docRule{ID: "B-101-01", Kinds: []Kind{KindBundle}, Check: checkCanonical})
}

func checkCanonical(c *docContext) {
	if c.Options == nil || !c.Options.RequireCanonical || c.Raw == nil {
		return
	}
	spec := c.Spec
	if spec == "" {
		spec = LatestRelease
	}
	mode, err := canonical.ModeForSpec(string(spec))
	if err != nil {
		return // an unknown version was reported by B-101-03
	}
	fix := fmt.Sprintf("Run cnab-validate canonicalize --spec %s on the file and publish the bytes it writes.", spec)
	canon, err := canonical.Canonicalize(c.Raw, mode)
	if err != nil {
		var ce *canonical.Error
		if errors.Is(err, canonical.ErrDuplicateKey) || !errors.As(err, &ce) {
			return // V-04 (or a decoder finding) already says it
		}
		line, col := jsontree.LineCol(c.Raw, ce.Offset)
		c.Report("", "B-101-01", fmt.Sprintf("bundle.json has no %s canonical form (line %d, column %d): %s", modeName(mode), line, col, ce.Msg),
			"Use integers only (spec <= 1.1 canonical JSON has no fractions or exponents), or move to schemaVersion v1.2.0.")
		return
	}
	off := canonical.FirstDifference(c.Raw, canon)
	if off < 0 {
		return
	}
	line, col := jsontree.LineCol(c.Raw, off)
	what := "key order, number form or string escapes differ"
	if off < len(c.Raw) {
		switch c.Raw[off] {
		case ' ', '\t', '\n', '\r':
			what = "insignificant whitespace"
		}
	} else {
		what = "the canonical form is longer"
	}
	if off >= len(canon) {
		what = "trailing bytes (whitespace or a newline) after the document"
	}
	c.Report("", "B-101-01", fmt.Sprintf("bundle.json is not %s canonical JSON: first difference at line %d, column %d (%s)", modeName(mode), line, col, what), fix)
}

func modeName(m canonical.Mode) string {
	if m == canonical.JCS {
		return "RFC 8785 (JCS)"
	}
	return "OLPC"
}

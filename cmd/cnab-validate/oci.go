package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// oci://HOST/REPO:TAG or oci://HOST/REPO@DIGEST: the bundle as it sits in a
// registry, checked with the same code as the conformance suite's registry
// profile (validator/oci), then its stored bundle.json with the document
// rules. Plain HTTP is used for localhost and 127.0.0.1, and for every host
// with --insecure (or CNAB_VALIDATE_INSECURE=1).

// ociInsecure is set by the lint command's --insecure flag.
var ociInsecure bool

// ociTimeout bounds the registry reads of one reference.
const ociTimeout = 2 * time.Minute

func init() { ociLinter = lintOCI }

func lintOCI(ref string, opts validator.Options) ([]validator.Finding, error) {
	insecure := ociInsecure
	if v, err := strconv.ParseBool(os.Getenv("CNAB_VALIDATE_INSECURE")); err == nil && v {
		insecure = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), ociTimeout)
	defer cancel()
	c := client.New(client.Insecure(insecure), client.WithUserAgent("cnab-validate"))
	a, err := oci.Fetch(ctx, c, ref)
	if err != nil {
		return nil, fmt.Errorf("oci://%s: %w", ref, err)
	}
	return ociFindings(ref, a, opts)
}

// ociFindings runs every registry check that needs no recording, then the
// document rules on the stored bundle.json.
func ociFindings(ref string, a *oci.Artifact, opts validator.Options) ([]validator.Finding, error) {
	file := "oci://" + ref
	var fs oci.Findings
	fs = append(fs, oci.CheckIndex(a)...)
	fs = append(fs, oci.CheckConfig(a, nil)...)
	fs = append(fs, oci.CheckDigests(a)...)
	b, berr := a.StoredBundle()
	if berr == nil {
		fs = append(fs, oci.CheckOrder(a, b)...)
		fs = append(fs, oci.CheckAnnotations(a, b)...)
		fs = append(fs, oci.CheckImageDigests(a, b)...)
	}
	out := make([]validator.Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, convertOCIFinding(file, f))
	}
	if a.ConfigBlob != nil {
		// The stored bundle is registry-bound: it must be canonical too.
		opts.RequireCanonical = true
		v, err := validator.New(validator.WithOptions(opts))
		if err != nil {
			return out, err
		}
		r := v.Validate(file+"#bundle.json", a.ConfigBlob)
		out = append(out, r.Findings...)
	}
	return out, nil
}

func convertOCIFinding(file string, f oci.Finding) validator.Finding {
	sev := validator.Info
	switch f.Severity {
	case oci.Error:
		sev = validator.Error
	case oci.Warning:
		sev = validator.Warning
	}
	vf := validator.Finding{File: file, Pointer: f.Pointer, Rule: f.Rule, Severity: sev, Message: f.Object + ": " + f.Message}
	if r, ok := catalog.Lookup(f.Rule); ok {
		vf.URL, vf.Hint = r.Link, r.Fix
	}
	return vf
}

package main

import (
	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/archive"
)

// Thick bundle archives are checked by the archive package; this hook keeps
// archive reading out of the validator package itself.
func init() { archiveLinter = lintArchive }

// lintArchive checks a thick bundle archive and lints its bundle.json with
// the lint command's options (as a bundle, whatever --kind says).
func lintArchive(path string, opts validator.Options) ([]validator.Finding, error) {
	bundleOpts := opts
	bundleOpts.Kind = validator.KindBundle
	return archive.CheckFile(path, archive.Config{
		Lint: func(file string, data []byte) ([]validator.Finding, error) {
			res, err := validator.Validate(file, data, bundleOpts)
			return res.Findings, err
		},
	})
}

// Package schemas holds cnab-conformance's own JSON schemas, one folder per
// CNAB spec version (named like the spec repository's tags), each laid out
// like the spec repository's schema/ folder so that the same loader reads
// them and any --schema-dir. They are written independently of the official
// schemas and must give the same verdicts; the validator's agreement test
// proves it against the official files.
//
// meta/ holds a restatement of the JSON Schema draft-07 meta-schema used only
// by the validator's fast path (gojsonschema serves its own copy).
package schemas

import (
	"embed"
	"io/fs"
)

//go:embed */*.schema.json
var files embed.FS

// Versions lists the embedded version folders.
var Versions = []string{"cnab-core-1.0", "cnab-core-1.1.0", "cnab-claims-1.0.0", "cnab-core-1.2.0", "main"}

// Dir returns the schema folder of a version (one of Versions).
func Dir(version string) (fs.FS, error) { return fs.Sub(files, version) }

// Meta returns the draft-07 meta-schema restatement.
func Meta() ([]byte, error) { return files.ReadFile("meta/draft-07.schema.json") }

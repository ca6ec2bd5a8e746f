// Package bundles renders the bundle.json files the suites push and install
// from templates (fixtures/suite-bundles/<profile>/<name>.json.tmpl, embedded
// by the fixtures/suite-bundles package), filling in the names, references
// and digests of the images pushed during the run, and writes them as the
// canonical JSON their schemaVersion asks for (validator/canonical), because
// a tool must push bundle.json unmodified and the suite compares bytes.
//
// Templates are Go text/template documents. They see Data and two
// functions: json (the JSON encoding of any value, so strings are always
// quoted and escaped) and image NAME (the named entry of Data.Images; a
// missing name is an error, not an empty string).
package bundles

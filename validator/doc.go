// Package validator checks CNAB documents (bundle.json, claims, claim
// results, the dependencies and parameter-sources extensions, relocation
// mappings and status outputs) against the CNAB spec versions, and reports
// every problem as a Finding: file, RFC 6901 pointer, line and column, rule
// ID from the catalogue, severity (from the rule's RFC 2119 level), message,
// fix hint and spec link for the version checked.
//
// One pass per document:
//
//  1. size cap (Options.MaxSize, 10 MiB by default);
//  2. decode once (internal/jsontree): plain Go values, with duplicate keys,
//     a byte order mark, invalid UTF-8, excessive depth and unprocessable
//     numbers reported as V-NN findings, never as panics; the tree's maps
//     and slices are recycled for the next document once this one is done,
//     so rules must not keep references to the tree after Check returns;
//  3. kind and spec version detection (DetectKind, schemaVersion; see
//     detect.go), or the forced Options.Kind and Options.Spec;
//  4. the JSON schema of that kind and version: the project's own schemas
//     (package schemas), compiled once per process with gojsonschema, with
//     every $id alias preloaded and no network access. A fast checker
//     (internal/fastschema) answers first; gojsonschema runs only when it
//     does not say "valid", to produce the findings. Tests prove both give
//     the official schemas' verdicts on the corpus and on tens of thousands
//     of derived documents;
//  5. every document rule registered for the kind (rules_*.go);
//  6. positions: line and column for every finding, found in one pass over
//     the bytes only when there are findings; at most MaxFindings per
//     document.
//
// Validate and ValidateReader are the one-call API; a Validator (New) holds
// options and is safe for concurrent use. Nothing here imports registry,
// Docker or test-framework code.
package validator

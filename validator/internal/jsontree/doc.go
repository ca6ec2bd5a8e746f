// Package jsontree decodes JSON in one pass into plain Go values
// (map[string]any, []any, json.Number, string, bool, nil) and reports input
// problems (syntax, invalid UTF-8, byte order mark, duplicate keys, excessive
// depth, unprocessable numbers) as values rather than panics or opaque errors.
//
// It keeps no per-node position index: the hot path only builds the tree.
// Locate re-scans the bytes to find where a JSON pointer's value starts,
// which is only needed when a finding is reported (LocateAll and LineCols do
// it for many findings in one pass). DecodeArena reuses the containers of
// earlier trees (see Arena). Strings share one copy of the input per
// document and are boxed from blocks (see strings.go), so a typical
// document costs a handful of allocations, not two per string.
package jsontree

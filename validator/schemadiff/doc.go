// Package schemadiff compares two sets of CNAB JSON schemas (two spec
// versions, or a spec pull request's schema/ folder against its base) and
// classifies every change by what it does to documents:
//
//   - breaking: a document valid before can be invalid after (a required
//     property added, a type narrowed, an enum value removed, a pattern or
//     format added or changed, a bound tightened, an object closed, a property
//     removed from a closed object, a $ref retargeted to something narrower);
//   - silent-removal: a property removed from an open object. Documents that
//     carry it still validate, but its meaning is gone (cnab-spec PR #123
//     removing image "refs" is the model);
//   - relaxing: every document valid before stays valid, and some invalid ones
//     become valid (a type widened, an enum value added, a bound loosened);
//   - additive: something new that documents may use (a property or a schema
//     file added).
//
// The comparison is static: it walks both schema trees in step from each
// document kind's root schema, following $ref within and across files (and
// into the JSON Schema draft-07 meta-schema, which this package knows
// without the network), so a change is found once, at the place in the
// schema where it is made, with the document path it affects. Annotations
// (title, description, $comment, default, examples, readOnly, writeOnly)
// never count as changes, and definitions that no root reaches are not
// compared because no document can feel them.
//
// Forms that no document can tell apart are normalised before comparing (an
// allOf that only adds keywords, a catch-all patternProperties, items: true,
// object keywords on a non-object type, not {required: [x]}), so two schema
// sets written independently compare equal where they mean the same.
//
// Corpus runs (which documents flip verdict between the two sides) take the
// validator as a function, so this package only depends on the standard
// library. Errors both sides report at the same place are set aside before
// the verdicts are compared: the schema change cannot be blamed for them.
package schemadiff

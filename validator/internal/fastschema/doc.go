// Package fastschema is a small JSON Schema (draft-07 subset) checker used
// as the validator's fast path: it answers Valid, Invalid or Unsure for a
// decoded document, without building error messages. Only an Invalid or
// Unsure answer sends the document through gojsonschema, which produces the
// findings; a Valid answer must therefore never differ from gojsonschema's
// verdict. The keyword semantics here mirror gojsonschema v1.2.0 (including
// its quirks: $ref siblings are ignored, integers are numbers with an integral
// value, format checks use gojsonschema's own checkers), and anything this
// package cannot decide with certainty is Unsure. A schema using a keyword it
// does not implement does not compile, and the caller then always uses
// gojsonschema.
package fastschema

// Package specexamples keeps the JSON examples of the CNAB specification's
// markdown honest: it extracts every fenced code block labelled json, works
// out what kind of CNAB document each one shows, validates it, and reports
// file:line for blocks that are not JSON or not valid.
//
// The kind comes from, in order: a hint comment right before the block, the
// block's content (a complete document says what it is), the nearest
// heading, and the spec file's number (101 bundle, 103 relocation mapping,
// 400 claim, 500 dependencies, 804 status, 810 parameter sources).
//
// Hints are HTML comments, invisible on GitHub, that apply to the next
// fenced block:
//
//	<!-- cnab-validate: skip -->                 a deliberate placeholder such as {...}
//	<!-- cnab-validate: kind=claim -->           validate as this kind, as a whole document
//	<!-- cnab-validate: kind=bundle fragment --> part of a bundle (see below)
//	<!-- cnab-validate: spec=cnab-core-1.1.0 --> validate against this version
//
// A block is a whole document when its content says so (a bundle with
// schemaVersion or invocationImages, a claim, a claim result, ...). An
// object whose keys are all top-level bundle fields but lacks the required
// ones is a bundle fragment: the missing fields are filled with
// placeholders, and only findings inside what the fragment itself shows are
// reported (never cross references to sections it leaves out). Anything
// else is checked for JSON syntax only: the spec's prose often shows
// excerpts, and guessing their context would report noise. Placeholder
// blocks ({...}) are not JSON and are reported unless hinted with skip.
package specexamples

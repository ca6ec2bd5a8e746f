// Package canonical writes and checks the canonical JSON form a CNAB spec
// version asks of bundle.json (spec 101 and 104; issue #430 of the spec notes
// it never says which canonical JSON it means, so this package decides and
// says why).
//
// Two modes:
//
//   - OLPC, for spec versions up to and including 1.1 (and Claims 1.0.0, which
//     shares their schemas): the rules of the OLPC "Canonical JSON" page the
//     spec links to. No whitespace between tokens; object keys unique and
//     sorted by Unicode code point, which is the same order as comparing their
//     UTF-8 bytes (and the order docker's canonical JSON encoder, used by
//     cnab-go for these versions, writes); numbers are integers only, written
//     without a fraction, exponent, leading zeros or "-0"; strings escape only
//     '"' and '\', every other character (control characters included) is
//     written as its raw UTF-8 bytes. Numbers written with a fraction or
//     exponent whose value is an integer (1.0, 1e2) are rewritten as integers;
//     any other fraction is an error. No Unicode normalisation is applied (the
//     page's revisions disagree on it). Because raw control characters are not
//     RFC 8259 JSON, the OLPC reader of this package accepts them inside
//     strings so that its own output reads back.
//
//   - JCS, RFC 8785, for 1.2 and later (the spec's PR #414 and cnab-go's switch
//     to a JCS library): keys sorted by their UTF-16 code units; numbers
//     written as ECMAScript's Number.prototype.toString writes the IEEE 754
//     double; strings use the short escapes \b \t \n \f \r \" \\, \u00xx for
//     other control characters, and raw UTF-8 for everything else. Lone
//     surrogates and numbers that do not fit a double are errors.
//
// In both modes a duplicate object key is an error, as are invalid UTF-8, a
// byte order mark, trailing data and nesting deeper than the limit.
//
// The package depends on the standard library only: the reference tool and
// the conformance suites use it to produce and verify registry config blobs.
package canonical

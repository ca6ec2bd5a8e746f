package catalog

// Input rules (V-NN): what a document must be before any spec rule can be
// checked. They are not spec text; Source says where each comes from.

func vr(id string, lvl Level, title, text, source, example, fix string) Rule {
	return Rule{ID: id, Level: lvl, Section: "validator", Versions: "all", Targets: []Target{TDoc, TOtherDoc},
		Title: title, Text: text, Source: source, Example: example, Fix: fix}
}

func init() {
	register(
		vr("V-01", Must, "input is JSON",
			"The document must be well-formed JSON (RFC 8259). Nothing else can be checked until it parses.",
			"RFC 8259; every CNAB document is JSON", `{"name": "x",}`, "Fix the syntax error at the reported position (trailing commas, comments and single quotes are not JSON)."),
		vr("V-02", Must, "input is UTF-8",
			"JSON exchanged between systems must be UTF-8 (RFC 8259 section 8.1). Invalid byte sequences make string values ambiguous.",
			"RFC 8259 section 8.1", "a Latin-1 é byte (0xE9) inside a string", "Re-encode the file as UTF-8."),
		vr("V-03", MustNot, "no byte order mark",
			"Implementations must not add a byte order mark to JSON text (RFC 8259 section 8.1); it also breaks Canonical JSON and digests. The validator skips it and goes on checking.",
			"RFC 8259 section 8.1", "EF BB BF at the start of the file", "Save the file as UTF-8 without BOM."),
		vr("V-04", Must, "no duplicate object keys",
			"Each object key appears once. Parsers disagree on which duplicate wins, and Canonical JSON (F-104-07) forbids duplicates, so a digest of the document means different things to different tools. The validator keeps the last value.",
			"RFC 8259 section 4, F-104-07", `{"name": "a", "name": "b"}`, "Remove all but one occurrence of the key."),
		vr("V-05", Must, "nesting within the depth limit",
			"The document nests objects and arrays no deeper than the validator's limit (10,000 levels); deeper input is rejected without being processed, to keep memory bounded.",
			"validator resource limit", "100,000 nested arrays", "Flatten the document; no CNAB document needs this depth."),
		vr("V-06", Must, "input within the size limit",
			"The input is no larger than the size cap (10 MiB unless --max-size says otherwise); larger input is not read.",
			"validator resource limit", "", "Raise --max-size if the document is legitimately large."),
		vr("V-07", Must, "numbers within processing limits",
			"Number literals have at most 400 characters and an exponent of at most 400 in magnitude; larger ones cannot be compared without unbounded work, so the document is rejected.",
			"validator resource limit", "1e999999999", "Use a number of ordinary size, or a string."),
		vr("V-08", Must, "document kind is recognisable",
			"The validator must know what kind of CNAB document it reads (bundle, claim, claim result, dependencies, parameter sources, relocation mapping, status). It guesses from the content; --kind sets it.",
			"validator", `[1, 2, 3]`, "Pass --kind, or check that the file is a CNAB document."),
		vr("V-09", Must, "input is not empty",
			"An empty input (or one holding only whitespace) is not a JSON document.",
			"RFC 8259", "", "Check that the file was written completely."),
		vr("V-10", Must, "document conforms to the JSON schema",
			"The document must validate against the JSON schema of its kind and spec version. This rule covers schema errors that no more specific rule names.",
			"the spec's published JSON schemas", `"size": "12"`, "Change the value to what the schema expects (see the message)."),
		vr("V-11", Must, "schema set loads",
			"The schema folder given with --schema-dir must hold a usable JSON schema for the document's kind; no network access is made to complete it.",
			"validator", "", "Point --schema-dir at a folder laid out like the spec repository's schema/."),
		vr("V-12", Must, "a check failed internally",
			"One of the validator's own checks failed on this document (a bug in cnab-validate, not in the document). The other checks still ran.",
			"validator", "", "Report the document and this finding to the cnab-conformance maintainers."),
		vr("V-13", Informative, "too many findings",
			"At most 1,000 findings are reported per document, so a huge broken document cannot flood the output or the time spent placing findings; this one says how many more there were.",
			"validator resource limit", "", "Fix the reported findings and run again."),
	)
}

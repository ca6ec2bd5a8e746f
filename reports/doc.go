// Package reports turns a conformance run into the files a tool author
// submits and a CI pipeline gates on: results.json (the versioned,
// machine-readable record, with its JSON schema in results.schema.json),
// junit.xml, a self-contained report.html, summary.md for a pull-request
// comment, and one SVG badge per profile.
//
// The suite builds Results from Ginkgo's report with FromGinkgo and writes
// every format with WriteAll from its ReportAfterSuite node, so the files
// exist even when checks fail. Checks attach what their verdict rests on as
// Evidence (ginkgo.AddReportEntry(EvidenceEntry, ev)); a Redactor removes
// secret values (those the specs declared, and those recorded under
// secret-looking names) before anything is written.
//
// Outcomes follow the design: Pass, Fail, Skip (the tool does not declare
// the capability, reason given), Disabled (the user filtered the check out)
// and Error (the harness itself broke), plus NotApplicable (results schema
// 1.1): the check's rule does not hold in the spec version of the run, so
// its sem-ver constraint kept it from running. A profile is certified only
// when every MUST check in it that applies to the spec version passed: a
// skip or a disabled check never reads as a pass, and a NotApplicable one
// neither passes nor blocks.
//
// VerifySubmission checks a certification submission folder against the
// numbered requirements in VERIFY.md, and Coverage joins the rule catalogue
// with the schema, the validator and the suite's checks.
package reports

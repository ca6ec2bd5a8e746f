// Package archivecheck holds the pure checks of the archive profile (thick
// bundles, CNAB spec 104): each judges what the suite gathered (an export's
// contents as read by validator/archive, the bundle as the registry holds
// it, the bytes of two exports, the bundle an import produced) and returns
// findings tagged with rule IDs. Reading an archive is validator/archive's
// job (one safe reader for the linter and the suite); this package only
// compares.
package archivecheck

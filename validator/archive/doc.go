// Package archive checks thick bundle archives (CNAB spec 104): a tar,
// normally gzip-compressed, holding bundle.json at its root and every image
// of the bundle in an OCI image layout under artifacts/layout/.
//
// The archive is read once, as a stream, and never extracted: each entry is
// checked as it arrives (no absolute names, no '..', links that stay inside,
// no device files, no duplicates, size and compression-ratio limits, so a
// gzip bomb ends with a clear finding in bounded memory and time). Every blob
// is hashed while it streams past and compared with its name; only small JSON
// files (bundle.json, the layout's index.json and oci-layout, manifests and
// indexes) are kept, within a budget, to follow the descriptor graph once the
// stream ends. Then: bundle.json is linted by the validator; every image and
// invocation image of the bundle must be present by its contentDigest and
// reachable from the layout's index; descriptors pointing at missing blobs,
// size mismatches and unreferenced blobs are reported; and where the index
// names an image (org.opencontainers.image.ref.name) the name must agree
// with bundle.json.
package archive

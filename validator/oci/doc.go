// Package oci checks a CNAB bundle as it sits in an OCI registry (spec 201
// and cnab-to-oci's de facto layout): the top-level index, manifests[]
// order, annotations, the config blob, digests and sizes, and, from a
// recording of the registry's requests, the upload order. The checks are
// pure functions of fetched bytes and recorded requests, shared by
// `cnab-validate oci://` and the conformance suite's registry profile.
//
// Fetch (network) gathers an Artifact; every Check* function only reads its
// inputs and returns findings naming catalogue rule IDs. It imports no
// registry server, Docker or Ginkgo code.
package oci

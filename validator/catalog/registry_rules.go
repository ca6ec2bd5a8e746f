package catalog

// Registry practice rules (RG-NN): what a CNAB tool must do for a bundle in an
// OCI registry to be usable, where the spec (201) leaves it implicit or only
// informative (G-201-09). Each says where it comes from: the spec's own
// inference, or how cnab-to-oci, and so Porter and docker-app, behave.

func rg(id string, lvl Level, title, text, source, fix string) Rule {
	return Rule{ID: id, Level: lvl, Section: "201", Versions: "1.1+",
		Targets: []Target{TRegistry, TTool}, Title: title, Text: text, Source: source, Fix: fix,
		Link: specRepo + sectionFiles["201"]}
}

func init() {
	register(
		rg("RG-01", Must, "index pushed last",
			"Every object the bundle's index references (config blob and manifest, image manifests and their blobs) exists in the target repository before the index is written to the tag, and the index is the last write to that tag. Otherwise a client can resolve the tag to a bundle that is not there yet.",
			"inferred from 201 (G-201-09: the index is necessarily pushed after everything it references); cnab-to-oci remotes.Push order",
			"Upload blobs, then manifests by digest, then the index by tag."),
		rg("RG-02", Should, "images written by digest",
			"Invocation and component image manifests are written into the bundle repository by digest, not only under a tag; a temporary tag that is later overwritten is tolerated.",
			"cnab-to-oci fixup (images copied by digest into the bundle repository)",
			"PUT image manifests to /v2/<repo>/manifests/<digest>."),
		rg("RG-03", Should, "pushes are deterministic",
			"Pushing the same bundle (same bytes, same image digests) twice gives the same index digest, so digests can be pinned and compared across registries.",
			"cnab-to-oci (index digest = sha256 of a deterministic serialisation); G-201-09",
			"Do not put times or random values in the index or its annotations."),
		rg("RG-04", Must, "promote is complete and self-contained",
			"Copying a bundle to another repository copies every object its index references into the destination repository, reading them from the source bundle repository, so the copy works when the original image references are unreachable and keeps working after the source is gone (air gap, 805).",
			"805 (air-gapped environments); Porter copy; cnab-to-oci WithRelocationMap",
			"Copy each descriptor of the source index from the source repository by digest."),
		rg("RG-05", Must, "failed push leaves no tag",
			"A push of an invalid bundle, to a missing repository or to an unreachable registry exits non-zero and writes no tag.",
			"tool practice: a tag must never point at a partial bundle",
			"Validate the bundle before the first write and write the tag last."),
		rg("RG-06", Must, "reported digest is the registry's",
			"The digest a tool reports after push or copy equals the registry's Docker-Content-Digest for the tag and the sha256 of the stored index bytes.",
			"cnab-to-oci push output; G-201-09",
			"Report the digest of the exact bytes written to the registry."),
	)
}

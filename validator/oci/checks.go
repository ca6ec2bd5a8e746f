package oci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

var ociDigest = regexp.MustCompile(`^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`)

func ptr(i int, rest string) string { return fmt.Sprintf("/manifests/%d%s", i, rest) }

// CheckIndex (G-201-05): the reference resolves to an OCI index; a Docker
// manifest list is an allowed fallback (note); anything else is an error.
func CheckIndex(a *Artifact) Findings {
	var fs Findings
	mt := a.IndexMediaType
	if mt == "" || mt == "application/octet-stream" {
		mt = client.SniffMediaType(a.Index)
	}
	switch mt {
	case MediaTypeOCIIndex:
	case MediaTypeDockerList:
		fs.add("G-201-05", Note, "index", "", "the bundle is a Docker manifest list, the allowed fallback for an OCI index")
	default:
		fs.add("G-201-05", Error, "index", "", "the reference resolves to %s, not an OCI image index", mt)
	}
	if a.Parsed.MediaType != "" && a.Parsed.MediaType != mt {
		fs.add("G-201-05", Error, "index", "/mediaType", "the body says %s but the registry serves %s", a.Parsed.MediaType, mt)
	}
	if a.Parsed.SchemaVersion != 2 {
		fs.add("G-201-05", Error, "index", "/schemaVersion", "schemaVersion is %d, want 2", a.Parsed.SchemaVersion)
	}
	return fs
}

// roles assigns each manifests[] entry its role (config, invocation,
// component) from digests, using the annotation to break ties.
func roles(a *Artifact, b *Bundle) []string {
	out := make([]string, len(a.Parsed.Manifests))
	for i, d := range a.Parsed.Manifests {
		var cands []string
		if i == a.ConfigDescriptor {
			cands = append(cands, TypeConfig)
		}
		for _, ii := range b.InvocationImages {
			if ii.ContentDigest == d.Digest {
				cands = append(cands, TypeInvocation)
				break
			}
		}
		for _, img := range b.Images {
			if img.ContentDigest == d.Digest {
				cands = append(cands, TypeComponent)
				break
			}
		}
		switch {
		case len(cands) == 0:
			// An image without contentDigest cannot be matched by digest;
			// trust the annotation then.
			switch t := d.Annotations[AnnotationManifestType]; t {
			case TypeInvocation, TypeComponent:
				out[i] = t
			}
		case len(cands) == 1:
			out[i] = cands[0]
		default:
			out[i] = cands[0]
			for _, c := range cands {
				if c == d.Annotations[AnnotationManifestType] {
					out[i] = c
				}
			}
		}
	}
	return out
}

var roleRank = map[string]int{TypeConfig: 0, TypeInvocation: 1, TypeComponent: 2}

// CheckOrder (G-201-06, G-201-03, G-201-04): manifests[] is the config
// manifest, then the invocation images, then the component images, and
// every image of the bundle is there.
func CheckOrder(a *Artifact, b *Bundle) Findings {
	var fs Findings
	rs := roles(a, b)
	if len(rs) == 0 {
		fs.add("G-201-06", Error, "index", "/manifests", "the index lists no manifests")
		return fs
	}
	if rs[0] != TypeConfig {
		fs.add("G-201-06", Error, "index", ptr(0, ""), "the first manifest is %s, not the bundle config manifest", orUnknown(rs[0]))
	}
	last := -1
	for i, r := range rs {
		if r == "" {
			fs.add("G-201-06", Error, "index", ptr(i, ""), "manifest %s is neither the bundle config nor an image of the bundle", a.Parsed.Manifests[i].Digest)
			continue
		}
		if roleRank[r] < last {
			fs.add("G-201-06", Error, "index", ptr(i, ""), "%s manifest listed after %s %s manifest", r, article(rankName(last)), rankName(last))
		}
		if roleRank[r] > last {
			last = roleRank[r]
		}
	}
	has := map[string]bool{}
	for _, d := range a.Parsed.Manifests {
		has[d.Digest] = true
	}
	for i, ii := range b.InvocationImages {
		if ii.ContentDigest != "" && !has[ii.ContentDigest] {
			fs.add("G-201-03", Error, "index", "/manifests", "invocation image %d (%s) is not in the index", i, ii.ContentDigest)
		}
	}
	for _, n := range b.ComponentNames() {
		if img := b.Images[n]; img.ContentDigest != "" && !has[img.ContentDigest] {
			fs.add("G-201-04", Error, "index", "/manifests", "component image %q (%s) is not in the index", n, img.ContentDigest)
		}
	}
	return fs
}

func orUnknown(r string) string {
	if r == "" {
		return "an unknown manifest"
	}
	return article(r) + " " + r + " manifest"
}

func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

func rankName(r int) string {
	for k, v := range roleRank {
		if v == r {
			return k
		}
	}
	return "?"
}

// CheckAnnotations (G-201-08): descriptor and index annotations of the
// cnab-to-oci layout. A missing annotation is a warning, a wrong value an
// error; extra keys are allowed.
func CheckAnnotations(a *Artifact, b *Bundle) Findings {
	var fs Findings
	rs := roles(a, b)
	for i, d := range a.Parsed.Manifests {
		got, ok := d.Annotations[AnnotationManifestType]
		switch {
		case !ok:
			fs.add("G-201-08", Warning, "index", ptr(i, "/annotations"), "no %s annotation", AnnotationManifestType)
		case got != TypeConfig && got != TypeInvocation && got != TypeComponent:
			fs.add("G-201-08", Error, "index", ptr(i, "/annotations/"+escape(AnnotationManifestType)), "%s is %q, want config, invocation or component", AnnotationManifestType, got)
		case rs[i] != "" && got != rs[i]:
			fs.add("G-201-08", Error, "index", ptr(i, "/annotations/"+escape(AnnotationManifestType)), "%s is %q but the manifest is the bundle's %s", AnnotationManifestType, got, rs[i])
		}
		name, hasName := d.Annotations[AnnotationComponentName]
		if got == TypeComponent || rs[i] == TypeComponent {
			switch img, known := b.Images[name]; {
			case !hasName:
				fs.add("G-201-08", Warning, "index", ptr(i, "/annotations"), "component manifest without %s", AnnotationComponentName)
			case !known:
				fs.add("G-201-08", Error, "index", ptr(i, "/annotations/"+escape(AnnotationComponentName)), "%s %q is not a key of the bundle's images", AnnotationComponentName, name)
			case img.ContentDigest != "" && img.ContentDigest != d.Digest:
				fs.add("G-201-08", Error, "index", ptr(i, "/annotations/"+escape(AnnotationComponentName)), "%s %q names an image whose contentDigest is %s, not %s", AnnotationComponentName, name, img.ContentDigest, d.Digest)
			}
		}
	}
	ann := a.Parsed.Annotations
	want := []struct {
		key, value string
		expected   bool // absent is a warning only when expected
	}{
		{AnnotationRuntime, b.SchemaVersion, true},
		{AnnotationArtifactType, ArtifactTypeCNAB, true},
		{AnnotationTitle, b.Name, true},
		{AnnotationVersion, b.Version, true},
	}
	if b.Description != nil {
		want = append(want, struct {
			key, value string
			expected   bool
		}{AnnotationDescription, *b.Description, *b.Description != ""})
	}
	for _, w := range want {
		got, ok := ann[w.key]
		switch {
		case !ok && w.expected:
			fs.add("G-201-08", Warning, "index", "/annotations", "recommended annotation %s is missing (want %q)", w.key, w.value)
		case ok && got != w.value:
			fs.add("G-201-08", Error, "index", "/annotations/"+escape(w.key), "%s is %q, want %q", w.key, got, w.value)
		}
	}
	if b.Description == nil {
		if got := ann[AnnotationDescription]; got != "" {
			fs.add("G-201-08", Error, "index", "/annotations/"+escape(AnnotationDescription), "%s is %q but the bundle has no description", AnnotationDescription, got)
		}
	}
	for _, j := range []struct {
		key  string
		from json.RawMessage
		what string
	}{{AnnotationAuthors, b.Maintainers, "maintainers"}, {AnnotationKeywords, b.Keywords, "keywords"}} {
		got, ok := ann[j.key]
		present := len(j.from) > 0 && string(j.from) != "null"
		switch {
		case !present && ok && got != "" && got != "null" && got != "[]":
			fs.add("G-201-08", Error, "index", "/annotations/"+escape(j.key), "%s is set but the bundle has no %s", j.key, j.what)
		case !present:
		case !ok:
			fs.add("G-201-08", Warning, "index", "/annotations", "recommended annotation %s (the bundle's %s as a JSON array) is missing", j.key, j.what)
		case !jsonEqual([]byte(got), j.from):
			fs.add("G-201-08", Error, "index", "/annotations/"+escape(j.key), "%s is %s, want the bundle's %s %s", j.key, got, j.what, compactJSON(j.from))
		}
	}
	return fs
}

func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

func jsonEqual(a, b []byte) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

// CheckConfig (G-201-01, G-201-02): the config manifest's config blob is the
// bundle, canonical and unmodified, with an accepted media type. want is the
// canonical bundle the tool was given; nil checks canonical form only.
func CheckConfig(a *Artifact, want []byte) Findings {
	var fs Findings
	if a.ConfigDescriptor < 0 || a.ConfigManifest == nil {
		fs.add("G-201-01", Error, "index", "/manifests", "no bundle config manifest found in the index")
		return fs
	}
	obj := "config manifest " + a.Parsed.Manifests[a.ConfigDescriptor].Digest
	var m Manifest
	if err := json.Unmarshal(a.ConfigManifest, &m); err != nil {
		fs.add("G-201-01", Error, obj, "", "not a manifest: %v", err)
		return fs
	}
	mt := a.ConfigManifestMT
	if mt == "" {
		mt = client.SniffMediaType(a.ConfigManifest)
	}
	switch mt {
	case MediaTypeOCIManifest:
	case MediaTypeDockerManifest:
		fs.add("G-201-02", Note, obj, "", "the config manifest is a Docker schema2 manifest (cnab-to-oci's last fallback)")
	default:
		fs.add("G-201-01", Error, obj, "", "the config manifest is %s, not an image manifest", mt)
	}
	switch m.Config.MediaType {
	case MediaTypeBundleConfig:
	case MediaTypeCNABToOCIConfig:
		fs.add("G-201-02", Note, obj, "/config/mediaType", "config media type is cnab-to-oci's %s (the spec says %s)", MediaTypeCNABToOCIConfig, MediaTypeBundleConfig)
	case MediaTypeOCIConfig, MediaTypeDockerConfig:
		fs.add("G-201-02", Note, obj, "/config/mediaType", "config media type is the image config fallback %s", m.Config.MediaType)
	default:
		fs.add("G-201-02", Warning, obj, "/config/mediaType", "config media type %q is not %s or an allowed fallback", m.Config.MediaType, MediaTypeBundleConfig)
	}
	if a.ConfigBlob == nil {
		fs.add("G-201-01", Error, "config blob "+m.Config.Digest, "", "the bundle config blob cannot be read: %s", a.ConfigBlobErr)
		return fs
	}
	blobObj := "config blob " + m.Config.Digest
	if want != nil {
		if !bytes.Equal(a.ConfigBlob, want) {
			fs.add("G-201-01", Error, blobObj, "", "the stored bundle.json differs from the canonical bundle pushed (first difference at byte %d; %d bytes stored, %d expected)",
				canonical.FirstDifference(a.ConfigBlob, want), len(a.ConfigBlob), len(want))
		}
		return fs
	}
	b, err := ParseBundle(a.ConfigBlob)
	if err != nil {
		fs.add("G-201-01", Error, blobObj, "", "the config blob is not a bundle: %v", err)
		return fs
	}
	mode, err := canonical.ModeForSpec(b.SchemaVersion)
	if err != nil {
		mode = canonical.JCS
	}
	ok, err := canonical.IsCanonical(a.ConfigBlob, mode)
	switch {
	case err != nil:
		fs.add("G-201-01", Error, blobObj, "", "the stored bundle.json cannot be canonicalised: %v", err)
	case !ok:
		c, _ := canonical.Canonicalize(a.ConfigBlob, mode)
		fs.add("G-201-01", Error, blobObj, "", "the stored bundle.json is not canonical JSON (%s; first difference at byte %d)", mode, canonical.FirstDifference(a.ConfigBlob, c))
	}
	return fs
}

// CheckDigests (G-201-09): the index bytes hash to the digest the registry
// serves them under, and every descriptor's digest and size match the
// object stored in the bundle repository.
func CheckDigests(a *Artifact) Findings {
	var fs Findings
	sum := client.Digest(a.Index)
	if a.TagDigest != "" && a.TagDigest != sum {
		fs.add("G-201-09", Error, "index", "", "the registry serves the index as %s but its bytes hash to %s", a.TagDigest, sum)
	}
	if i := strings.LastIndex(a.Ref, "@"); i >= 0 && a.Ref[i+1:] != sum {
		fs.add("G-201-09", Error, "index", "", "fetched by digest %s but the bytes hash to %s", a.Ref[i+1:], sum)
	}
	for i, d := range a.Parsed.Manifests {
		obj := a.Manifests[d.Digest]
		switch {
		case obj == nil || !obj.Present:
			reason := ""
			if obj != nil {
				reason = ": " + obj.Err
			}
			fs.add("G-201-09", Error, "index", ptr(i, "/digest"), "%s is not in repository %s%s", d.Digest, a.Repository, reason)
			continue
		case d.Size != obj.Size:
			fs.add("G-201-09", Error, "index", ptr(i, "/size"), "size is %d but %s is %d bytes", d.Size, d.Digest, obj.Size)
		}
		if d.MediaType != "" && obj.MediaType != "" && d.MediaType != obj.MediaType {
			fs.add("G-201-09", Error, "index", ptr(i, "/mediaType"), "mediaType is %s but the registry serves %s as %s", d.MediaType, d.Digest, obj.MediaType)
		}
	}
	for digest, declared := range a.BlobDeclaredSizes {
		bo := a.Blobs[digest]
		switch {
		case bo == nil || !bo.Present:
			fs.add("G-201-09", Error, "blob "+digest, "", "referenced blob is not in repository %s", a.Repository)
		case bo.Size >= 0 && declared != bo.Size:
			fs.add("G-201-09", Error, "blob "+digest, "", "declared size %d but the blob is %d bytes", declared, bo.Size)
		}
	}
	if a.ConfigBlob != nil && a.ConfigManifest != nil {
		var m Manifest
		if json.Unmarshal(a.ConfigManifest, &m) == nil && m.Config.Size != int64(len(a.ConfigBlob)) {
			fs.add("G-201-09", Error, "config manifest", "/config/size", "config size is %d but the bundle.json blob is %d bytes", m.Config.Size, len(a.ConfigBlob))
		}
	}
	return uniq(fs)
}

func uniq(fs Findings) Findings {
	seen := map[string]bool{}
	var out Findings
	for _, f := range fs {
		k := f.String()
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// CheckImageDigests (B-101-12, B-101-13, B-101-14): each image of the bundle
// carries contentDigest in OCI form, it is the digest of the manifest in the
// index (not the image ID), and size and mediaType, when declared, match.
func CheckImageDigests(a *Artifact, b *Bundle) Findings {
	var fs Findings
	byDigest := map[string]Descriptor{}
	for _, d := range a.Parsed.Manifests {
		byDigest[d.Digest] = d
	}
	configDigests := map[string]bool{} // image IDs of the bundle's images
	for _, obj := range a.Manifests {
		var m Manifest
		if obj.Present && json.Unmarshal(obj.Raw, &m) == nil && m.Config.Digest != "" {
			configDigests[m.Config.Digest] = true
		}
	}
	check := func(what, ptrBase string, img Image) {
		switch {
		case img.ContentDigest == "":
			fs.add("B-101-14", Error, "bundle.json", ptrBase, "%s has no contentDigest, so it cannot be verified after transport", what)
			return
		case !ociDigest.MatchString(img.ContentDigest):
			fs.add("B-101-12", Error, "bundle.json", ptrBase+"/contentDigest", "%s contentDigest %q is not an algorithm:encoded digest", what, img.ContentDigest)
			return
		}
		d, ok := byDigest[img.ContentDigest]
		if !ok {
			// A missing image is CheckOrder's G-201-03/04; here only the
			// image-ID mistake is this rule's.
			if configDigests[img.ContentDigest] {
				fs.add("B-101-13", Error, "bundle.json", ptrBase+"/contentDigest",
					"%s contentDigest %s is an image ID (the config digest), not the manifest digest", what, img.ContentDigest)
			}
			return
		}
		if img.Size != 0 && img.Size != d.Size {
			fs.add("B-101-13", Error, "bundle.json", ptrBase+"/size", "%s size is %d but its manifest descriptor says %d", what, img.Size, d.Size)
		}
		if img.MediaType != "" && d.MediaType != "" && img.MediaType != d.MediaType {
			fs.add("B-101-13", Error, "bundle.json", ptrBase+"/mediaType", "%s mediaType is %s but its manifest descriptor says %s", what, img.MediaType, d.MediaType)
		}
	}
	for i, ii := range b.InvocationImages {
		check(fmt.Sprintf("invocation image %d", i), fmt.Sprintf("/invocationImages/%d", i), ii)
	}
	for _, n := range b.ComponentNames() {
		check(fmt.Sprintf("image %q", n), "/images/"+escape(n), b.Images[n])
	}
	return fs
}

// CheckReportedDigest (RG-06): the digest a tool reported is the registry's
// digest of the index.
func CheckReportedDigest(reported string, a *Artifact) Findings {
	var fs Findings
	sum := client.Digest(a.Index)
	switch {
	case reported == "":
		fs.add("RG-06", Error, "tool output", "", "the tool reported no digest")
	case reported != sum:
		fs.add("RG-06", Error, "tool output", "", "the tool reported %s but the registry holds the index as %s", reported, sum)
	case a.TagDigest != "" && reported != a.TagDigest:
		fs.add("RG-06", Error, "tool output", "", "the tool reported %s but the registry's Docker-Content-Digest is %s", reported, a.TagDigest)
	}
	return fs
}

// CheckDeterminism (RG-03): two pushes of the same bundle gave one digest.
func CheckDeterminism(first, second string) Findings {
	var fs Findings
	if first != second {
		fs.add("RG-03", Error, "index", "", "pushing the same bundle twice gave %s then %s", first, second)
	}
	return fs
}

// CheckPulled (F-104-06): a pulled bundle.json is byte-identical to the
// canonical bundle that was pushed.
func CheckPulled(got, want []byte, how string) Findings {
	var fs Findings
	if !bytes.Equal(got, want) {
		fs.add("F-104-06", Error, "pulled bundle.json", "", "pull %s returned a bundle.json that differs from the one pushed (first difference at byte %d; %d bytes, want %d)",
			how, canonical.FirstDifference(got, want), len(got), len(want))
	}
	return fs
}

// CheckPromote (F-104-06, RG-04): the destination holds the same index
// bytes (same digest) and the same bundle as the source, and every object
// the index references is in the destination repository.
func CheckPromote(src, dst *Artifact) Findings {
	var fs Findings
	if s, d := client.Digest(src.Index), client.Digest(dst.Index); s != d {
		fs.add("F-104-06", Error, "destination index", "", "the promoted index is %s, the source's is %s", d, s)
	}
	if src.ConfigBlob != nil && !bytes.Equal(src.ConfigBlob, dst.ConfigBlob) {
		fs.add("F-104-06", Error, "destination config blob", "", "the promoted bundle.json differs from the source's")
	}
	for _, digest := range dst.Children() {
		if o := dst.Manifests[digest]; o != nil && !o.Present {
			fs.add("RG-04", Error, "manifest "+digest, "", "not copied into %s", dst.Repository)
		}
		if o := dst.Blobs[digest]; o != nil && !o.Present {
			fs.add("RG-04", Error, "blob "+digest, "", "not copied into %s", dst.Repository)
		}
	}
	return fs
}

// CheckRelocationMapping (R-103-23): the mapping has a key for every image
// reference in the bundle, each mapped to repository@contentDigest.
func CheckRelocationMapping(mapping map[string]string, b *Bundle, repository string) Findings {
	var fs Findings
	if mapping == nil {
		fs.add("R-103-23", Error, "relocation mapping", "", "the tool produced no relocation mapping")
		return fs
	}
	check := func(img Image) {
		v, ok := mapping[img.Image]
		if !ok {
			fs.add("R-103-23", Error, "relocation mapping", "", "no entry for image %s", img.Image)
			return
		}
		r, err := client.ParseRef(v)
		if err != nil {
			fs.add("R-103-23", Error, "relocation mapping", "/"+escape(img.Image), "%s maps to %q: %v", img.Image, v, err)
			return
		}
		if r.Repo.String() != repository {
			fs.add("R-103-23", Error, "relocation mapping", "/"+escape(img.Image), "%s maps to %s, not into %s", img.Image, v, repository)
		}
		if r.Digest == "" || (img.ContentDigest != "" && r.Digest != img.ContentDigest) {
			fs.add("R-103-23", Error, "relocation mapping", "/"+escape(img.Image), "%s maps to %s, not to its digest %s", img.Image, v, img.ContentDigest)
		}
	}
	for _, ii := range b.InvocationImages {
		check(ii)
	}
	for _, n := range b.ComponentNames() {
		check(b.Images[n])
	}
	return fs
}

// CheckFailedPush (RG-05): a push that should fail exited non-zero, and the
// tag does not exist afterwards (resolves reports whether it does; written
// whether the recorder saw a successful write to it).
func CheckFailedPush(what string, exitCode int, resolves, written bool) Findings {
	var fs Findings
	if exitCode == 0 {
		fs.add("RG-05", Error, "push "+what, "", "the push exited 0")
	}
	if resolves {
		fs.add("RG-05", Error, "push "+what, "", "the tag exists after the failed push")
	} else if written {
		fs.add("RG-05", Error, "push "+what, "", "the tag was written during the failed push")
	}
	return fs
}

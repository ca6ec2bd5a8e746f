package oci

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// Object is one manifest or blob a bundle's index references, as found in
// the bundle repository.
type Object struct {
	Digest    string
	Present   bool
	Size      int64  // actual size in the registry
	MediaType string // media type the registry serves (manifests)
	Raw       []byte // manifest bytes (manifests only)
	Err       string // why it could not be read, when not Present
}

// Artifact is a bundle as fetched from a registry.
type Artifact struct {
	Ref            string // as given
	Repository     string // HOST/REPO
	TagDigest      string // Docker-Content-Digest the registry sent for Ref
	IndexMediaType string // Content-Type the registry sent for Ref
	Index          []byte
	Parsed         Index

	ConfigDescriptor  int    // position of the config manifest in manifests[] (-1: none found)
	ConfigManifest    []byte // the config manifest bytes
	ConfigManifestMT  string // served media type of the config manifest
	ConfigBlob        []byte // the bundle.json as stored
	ConfigBlobErr     string
	Manifests         map[string]*Object // every manifest reachable from the index, by digest
	Blobs             map[string]*Object // every blob those manifests reference, by digest
	BlobDeclaredSizes map[string]int64   // the size each blob is declared with
}

// Fetch reads the bundle at ref and everything its index references from the
// bundle repository. It fails only when the index itself cannot be read;
// missing children are recorded in the Artifact for the checks to report.
func Fetch(ctx context.Context, c *client.Client, ref string) (*Artifact, error) {
	r, err := client.ParseRef(ref)
	if err != nil {
		return nil, err
	}
	raw, d, err := c.GetManifest(ctx, r.Repo, r.Reference())
	if err != nil {
		return nil, err
	}
	a := &Artifact{Ref: ref, Repository: r.Repo.String(), TagDigest: d.Digest, IndexMediaType: d.MediaType,
		Index: raw, ConfigDescriptor: -1, Manifests: map[string]*Object{}, Blobs: map[string]*Object{},
		BlobDeclaredSizes: map[string]int64{}}
	if err := json.Unmarshal(raw, &a.Parsed); err != nil {
		return nil, fmt.Errorf("%s: the tag does not hold JSON: %w", ref, err)
	}
	for _, desc := range a.Parsed.Manifests {
		fetchManifest(ctx, c, r.Repo, desc.Digest, a, 0)
	}
	a.ConfigDescriptor = findConfig(a)
	if a.ConfigDescriptor >= 0 {
		obj := a.Manifests[a.Parsed.Manifests[a.ConfigDescriptor].Digest]
		if obj != nil && obj.Present {
			a.ConfigManifest, a.ConfigManifestMT = obj.Raw, obj.MediaType
			var m Manifest
			if err := json.Unmarshal(obj.Raw, &m); err == nil && m.Config.Digest != "" {
				blob, err := c.GetBlob(ctx, r.Repo, m.Config.Digest)
				if err != nil {
					a.ConfigBlobErr = err.Error()
				}
				a.ConfigBlob = blob
			} else {
				a.ConfigBlobErr = "the config manifest names no config blob"
			}
		}
	}
	return a, nil
}

func fetchManifest(ctx context.Context, c *client.Client, repo client.Repo, digest string, a *Artifact, depth int) {
	if _, seen := a.Manifests[digest]; seen || depth > 3 {
		return
	}
	obj := &Object{Digest: digest}
	a.Manifests[digest] = obj
	raw, d, err := c.GetManifest(ctx, repo, digest)
	if err != nil {
		obj.Err = err.Error()
		return
	}
	obj.Present, obj.Size, obj.MediaType, obj.Raw = true, int64(len(raw)), d.MediaType, raw
	if obj.MediaType == "" {
		obj.MediaType = client.SniffMediaType(raw)
	}
	var m Manifest
	if json.Unmarshal(raw, &m) != nil {
		return
	}
	if client.IsIndex(obj.MediaType) {
		for _, child := range m.Manifests {
			fetchManifest(ctx, c, repo, child.Digest, a, depth+1)
		}
		return
	}
	blobs := append([]Descriptor{m.Config}, m.Layers...)
	for _, b := range blobs {
		if b.Digest == "" || len(b.URLs) > 0 {
			continue
		}
		a.BlobDeclaredSizes[b.Digest] = b.Size
		if _, seen := a.Blobs[b.Digest]; seen {
			continue
		}
		bo := &Object{Digest: b.Digest}
		a.Blobs[b.Digest] = bo
		bd, err := c.HeadBlob(ctx, repo, b.Digest)
		if err != nil {
			bo.Err = err.Error()
			continue
		}
		bo.Present, bo.Size, bo.MediaType = true, bd.Size, bd.MediaType
	}
}

// findConfig locates the bundle config manifest: by annotation, else the
// first manifest whose config has a CNAB or image config media type and is
// not an image of the bundle, else manifests[0].
func findConfig(a *Artifact) int {
	for i, d := range a.Parsed.Manifests {
		if d.Annotations[AnnotationManifestType] == TypeConfig {
			return i
		}
	}
	for i, d := range a.Parsed.Manifests {
		obj := a.Manifests[d.Digest]
		if obj == nil || !obj.Present {
			continue
		}
		var m Manifest
		if json.Unmarshal(obj.Raw, &m) == nil {
			switch m.Config.MediaType {
			case MediaTypeBundleConfig, MediaTypeCNABToOCIConfig:
				return i
			}
		}
	}
	if len(a.Parsed.Manifests) > 0 {
		return 0
	}
	return -1
}

// StoredBundle parses the config blob (the bundle as stored).
func (a *Artifact) StoredBundle() (*Bundle, error) {
	if a.ConfigBlob == nil {
		return nil, fmt.Errorf("no bundle config blob: %s", a.ConfigBlobErr)
	}
	return ParseBundle(a.ConfigBlob)
}

// Children returns the digest of every object the index references, directly
// or through its manifests (manifests and blobs).
func (a *Artifact) Children() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(digest string)
	walk = func(digest string) {
		if seen[digest] {
			return
		}
		seen[digest] = true
		obj := a.Manifests[digest]
		if obj != nil && obj.Present {
			var m Manifest
			if json.Unmarshal(obj.Raw, &m) == nil {
				for _, c := range m.Manifests {
					walk(c.Digest)
				}
				for _, b := range append([]Descriptor{m.Config}, m.Layers...) {
					if b.Digest != "" && len(b.URLs) == 0 && !seen[b.Digest] {
						seen[b.Digest] = true
						out = append(out, b.Digest)
					}
				}
			}
		}
		out = append(out, digest)
	}
	for _, d := range a.Parsed.Manifests {
		walk(d.Digest)
	}
	return out
}

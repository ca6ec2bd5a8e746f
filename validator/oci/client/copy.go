package client

import (
	"context"
	"encoding/json"
	"fmt"
)

// manifestRefs is the part of any manifest or index that names children.
type manifestRefs struct {
	MediaType string            `json:"mediaType"`
	Config    *childDescriptor  `json:"config"`
	Layers    []childDescriptor `json:"layers"`
	Manifests []childDescriptor `json:"manifests"`
	Subject   *childDescriptor  `json:"subject"`
}

type childDescriptor struct {
	MediaType string   `json:"mediaType"`
	Digest    string   `json:"digest"`
	Size      int64    `json:"size"`
	URLs      []string `json:"urls"`
}

// IsIndex reports whether a manifest media type is an index or manifest list.
func IsIndex(mediaType string) bool {
	return mediaType == "application/vnd.oci.image.index.v1+json" ||
		mediaType == "application/vnd.docker.distribution.manifest.list.v2+json"
}

// SniffMediaType returns the manifest's own mediaType field, or guesses from
// its shape (cnab-to-oci omits the field): manifests[] means an OCI index,
// otherwise an OCI image manifest.
func SniffMediaType(raw []byte) string {
	var m manifestRefs
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	if m.MediaType != "" {
		return m.MediaType
	}
	if m.Manifests != nil {
		return "application/vnd.oci.image.index.v1+json"
	}
	return "application/vnd.oci.image.manifest.v1+json"
}

// CopyOptions adjusts Copy.
type CopyOptions struct {
	// Tag, when set, writes the top manifest under this tag instead of its digest.
	Tag string
	// NoMount uploads bytes instead of asking for a cross-repository mount.
	NoMount bool
}

// Copy copies the manifest digest and everything it references from src to
// dst (any registries): blobs first, child manifests next, the manifest
// itself last, each by digest, so nothing is referenced before it exists.
// Manifest bytes are copied unchanged, so digests are preserved. It returns
// the descriptor of the copied manifest.
func (c *Client) Copy(ctx context.Context, src, dst Repo, digest string, o CopyOptions) (Descriptor, error) {
	raw, d, err := c.GetManifest(ctx, src, digest)
	if err != nil {
		return Descriptor{}, err
	}
	mt := d.MediaType
	if mt == "" || mt == "application/octet-stream" {
		mt = SniffMediaType(raw)
	}
	var m manifestRefs
	if err := json.Unmarshal(raw, &m); err != nil {
		return Descriptor{}, fmt.Errorf("manifest %s@%s: %w", src, digest, err)
	}
	if IsIndex(mt) {
		for _, child := range m.Manifests {
			if _, err := c.Copy(ctx, src, dst, child.Digest, CopyOptions{NoMount: o.NoMount}); err != nil {
				return Descriptor{}, err
			}
		}
	} else {
		blobs := m.Layers
		if m.Config != nil {
			blobs = append([]childDescriptor{*m.Config}, blobs...)
		}
		for _, b := range blobs {
			if len(b.URLs) > 0 {
				continue // foreign layer: lives outside registries
			}
			if err := c.CopyBlob(ctx, src, dst, b.Digest, o.NoMount); err != nil {
				return Descriptor{}, err
			}
		}
	}
	ref := digest
	if o.Tag != "" {
		ref = o.Tag
	}
	got, err := c.PutManifest(ctx, dst, ref, mt, raw)
	if err != nil {
		return Descriptor{}, err
	}
	return Descriptor{MediaType: mt, Digest: got, Size: int64(len(raw))}, nil
}

// CopyBlob makes blob digest of src present in dst: nothing when it is
// there already, a mount within one registry, otherwise download and upload.
func (c *Client) CopyBlob(ctx context.Context, src, dst Repo, digest string, noMount bool) error {
	if ok, err := c.BlobExists(ctx, dst, digest); err == nil && ok {
		return nil
	}
	if !noMount && src.Host == dst.Host && src.Path != dst.Path {
		if ok, err := c.MountBlob(ctx, dst, src.Path, digest); err == nil && ok {
			return nil
		}
	}
	b, err := c.GetBlob(ctx, src, digest)
	if err != nil {
		return err
	}
	_, err = c.PutBlob(ctx, dst, b)
	return err
}

package oci

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Media types and annotation keys of the CNAB-in-OCI layout (spec 201 and
// cnab-to-oci, which Porter and docker-app reuse).
const (
	MediaTypeOCIIndex       = "application/vnd.oci.image.index.v1+json"
	MediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
	MediaTypeOCIManifest    = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"

	MediaTypeBundleConfig    = "application/vnd.cnab.bundle.config.v1+json" // spec 201
	MediaTypeCNABToOCIConfig = "application/vnd.cnab.config.v1+json"        // cnab-to-oci, Porter
	MediaTypeOCIConfig       = "application/vnd.oci.image.config.v1+json"   // fallback for registries refusing CNAB types
	MediaTypeDockerConfig    = "application/vnd.docker.container.image.v1+json"

	ArtifactTypeCNAB = "application/vnd.cnab.manifest.v1"

	AnnotationManifestType  = "io.cnab.manifest.type"
	AnnotationComponentName = "io.cnab.component.name"
	AnnotationRuntime       = "io.cnab.runtime_version"
	AnnotationKeywords      = "io.cnab.keywords"
	AnnotationArtifactType  = "org.opencontainers.artifactType"
	AnnotationTitle         = "org.opencontainers.image.title"
	AnnotationVersion       = "org.opencontainers.image.version"
	AnnotationDescription   = "org.opencontainers.image.description"
	AnnotationAuthors       = "org.opencontainers.image.authors"

	TypeConfig     = "config"
	TypeInvocation = "invocation"
	TypeComponent  = "component"
)

// Image is the part of a bundle image entry the registry checks read.
type Image struct {
	Image         string `json:"image"`
	ImageType     string `json:"imageType,omitempty"`
	ContentDigest string `json:"contentDigest,omitempty"`
	Size          int64  `json:"size,omitempty"`
	MediaType     string `json:"mediaType,omitempty"`
}

// Bundle is the part of a bundle.json the registry checks read.
type Bundle struct {
	SchemaVersion    string           `json:"schemaVersion"`
	Name             string           `json:"name"`
	Version          string           `json:"version"`
	Description      *string          `json:"description,omitempty"`
	Maintainers      json.RawMessage  `json:"maintainers,omitempty"`
	Keywords         json.RawMessage  `json:"keywords,omitempty"`
	InvocationImages []Image          `json:"invocationImages"`
	Images           map[string]Image `json:"images,omitempty"`
}

// ParseBundle reads the fields the registry checks need.
func ParseBundle(b []byte) (*Bundle, error) {
	var out Bundle
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("bundle.json: %w", err)
	}
	return &out, nil
}

// ComponentNames returns the keys of images, sorted (cnab-to-oci's order).
func (b *Bundle) ComponentNames() []string {
	names := make([]string, 0, len(b.Images))
	for k := range b.Images {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// ImageRefs returns every image reference in the bundle: invocation images
// in order, then components by name.
func (b *Bundle) ImageRefs() []string {
	var out []string
	for _, ii := range b.InvocationImages {
		out = append(out, ii.Image)
	}
	for _, n := range b.ComponentNames() {
		out = append(out, b.Images[n].Image)
	}
	return out
}

// Descriptor is one entry of an index's manifests[] or a manifest's config
// or layers. MediaType may be absent (cnab-to-oci omits it in places).
type Descriptor struct {
	MediaType   string            `json:"mediaType,omitempty"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	URLs        []string          `json:"urls,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    json.RawMessage   `json:"platform,omitempty"`
}

// Index is an OCI image index or Docker manifest list.
type Index struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType,omitempty"`
	Manifests     []Descriptor      `json:"manifests"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// Manifest is an OCI image manifest or Docker v2 manifest. Layers may be
// null (cnab-to-oci's config manifest).
type Manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType,omitempty"`
	Config        Descriptor   `json:"config"`
	Layers        []Descriptor `json:"layers"`
	Manifests     []Descriptor `json:"manifests,omitempty"` // set when the "manifest" is really an index
}

package archive

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// LintFunc lints bundle.json; file is the name findings should carry.
type LintFunc func(file string, data []byte) ([]validator.Finding, error)

// Config configures a check. The zero value uses DefaultLimits and no
// bundle.json linting beyond what the archive check itself needs.
type Config struct {
	Limits Limits
	// Lint lints the archive's bundle.json (the lint command passes
	// validator.Validate with its own options). Nil skips it.
	Lint LintFunc
}

// IsArchive reports whether a file name looks like a thick bundle archive,
// so the lint command can route it here.
func IsArchive(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{".tgz", ".tar.gz", ".tar", ".cnab"} {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// CheckFile opens and checks an archive on disk.
func CheckFile(name string, cfg Config) ([]validator.Finding, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Check(f, name, cfg)
}

// Check reads the archive from r (name is used in findings) and returns its
// findings. Everything wrong with the archive, including a hostile entry
// that stops the read, is a finding; the error is for failures of the
// reader itself.
func Check(r io.Reader, name string, cfg Config) ([]validator.Finding, error) {
	c := &checker{name: name, cfg: cfg, lim: cfg.Limits.withDefaults()}
	cont, err := read(r, c.lim)
	if err != nil {
		u, ok := err.(*unsafeEntry)
		if !ok {
			return nil, err
		}
		file := name
		if u.entry != "" {
			file = name + "!/" + u.entry
		}
		c.report(file, "", u.rule, u.msg)
		return c.out, nil
	}
	c.cont = cont
	if err := c.analyse(); err != nil {
		return nil, err
	}
	return c.out, nil
}

type checker struct {
	name string
	cfg  Config
	lim  Limits
	cont *contents
	out  []validator.Finding

	bundle     []byte
	blobs      map[string]*entry // by digest
	referenced map[string]bool
}

func (c *checker) report(file, pointer, rule, msg string) {
	c.reportSev(file, pointer, rule, msg, severityOf(rule))
}

func (c *checker) reportSev(file, pointer, rule, msg string, sev validator.Severity) {
	r := catalog.MustLookup(rule)
	f := validator.Finding{File: file, Pointer: pointer, Rule: rule, Severity: sev, Message: msg, Hint: r.Fix, URL: r.Link}
	if pointer != "" && c.bundle != nil && file == c.bundleFile() {
		if off, _ := jsontree.Locate(c.bundle, pointer); off >= 0 {
			f.Line, f.Column = jsontree.LineCol(c.bundle, off)
		}
	}
	c.out = append(c.out, f)
}

func severityOf(rule string) validator.Severity {
	r, ok := catalog.Lookup(rule)
	if !ok {
		return validator.Error
	}
	switch r.Level {
	case catalog.Must, catalog.MustNot, catalog.Required:
		return validator.Error
	case catalog.Should, catalog.ShouldNot, catalog.Recommended:
		return validator.Warning
	}
	return validator.Info
}

func (c *checker) bundleFile() string { return c.name + "!/bundle.json" }
func (c *checker) entryFile(n string) string {
	return c.name + "!/" + n
}

func (c *checker) analyse() error {
	if !c.cont.gzipped {
		c.reportSev(c.name, "", "F-104-05", "the archive is a plain tar; thick bundles should be gzip-compressed", validator.Warning)
	}
	if err := c.checkBundle(); err != nil {
		return err
	}
	layout := c.checkLayout()
	c.checkBlobs()
	var index *ociIndex
	if layout {
		index = c.checkIndex()
	}
	c.checkImages(index)
	if index != nil {
		c.checkUnreferenced()
	}
	return nil
}

func (c *checker) checkBundle() error {
	e, ok := c.cont.entries["bundle.json"]
	if ok && e.typ != tar.TypeReg {
		c.report(c.bundleFile(), "", "F-104-05", "bundle.json must be a regular file, not a link or a folder")
		return nil
	}
	if !ok {
		msg := "bundle.json is missing from the archive root"
		for _, n := range c.cont.order {
			if path.Base(n) == "bundle.json" && n != "bundle.json" {
				msg = fmt.Sprintf("bundle.json is at %s; it must be at the archive root", n)
				break
			}
		}
		c.report(c.name, "", "F-104-05", msg)
		return nil
	}
	if e.content == nil {
		c.report(c.bundleFile(), "", "V-06", fmt.Sprintf("bundle.json is %d bytes, above the %d-byte limit", e.size, c.lim.MaxJSONSize))
		return nil
	}
	c.bundle = e.content
	if c.cfg.Lint != nil {
		fs, err := c.cfg.Lint(c.bundleFile(), c.bundle)
		if err != nil {
			return err
		}
		c.out = append(c.out, fs...)
	}
	return nil
}

// checkLayout checks the OCI image layout marker files; false when there is
// no layout to look into.
func (c *checker) checkLayout() bool {
	has := false
	for _, n := range c.cont.order {
		if strings.HasPrefix(n, layoutDir) || n == strings.TrimSuffix(layoutDir, "/") {
			has = true
			break
		}
	}
	if !has {
		msg := "there is no artifacts/layout/ folder; images must be stored there as an OCI image layout"
		for _, n := range c.cont.order {
			if strings.HasPrefix(n, "artifacts/") && strings.HasSuffix(n, ".tar") {
				msg += fmt.Sprintf(" (found %s: the pre-June-2019 one-tar-per-image form, spec PR #194)", n)
				break
			}
		}
		c.report(c.name, "", "F-104-05", msg)
		return false
	}
	ol := c.cont.entries[layoutDir+"oci-layout"]
	switch {
	case ol == nil:
		c.report(c.entryFile(layoutDir+"oci-layout"), "", "F-104-05", "artifacts/layout/oci-layout is missing; an OCI image layout starts with it")
	case ol.content == nil:
		c.report(c.entryFile(ol.name), "", "F-104-05", "artifacts/layout/oci-layout is not a readable JSON file")
	default:
		var v struct {
			Version string `json:"imageLayoutVersion"`
		}
		if err := json.Unmarshal(ol.content, &v); err != nil || v.Version == "" {
			c.report(c.entryFile(ol.name), "", "F-104-05", `artifacts/layout/oci-layout must be {"imageLayoutVersion": "1.0.0"}`)
		}
	}
	if c.cont.entries[layoutDir+"index.json"] == nil {
		c.report(c.entryFile(layoutDir+"index.json"), "", "F-104-05", "artifacts/layout/index.json is missing; nothing in the layout can be found without it")
		return false
	}
	return true
}

var hexRe = regexp.MustCompile(`^[a-f0-9]+$`)

var hexLen = map[string]int{"sha256": 64, "sha512": 128}

// checkBlobs compares every blob's streamed digest with its name.
func (c *checker) checkBlobs() {
	c.blobs = map[string]*entry{}
	c.referenced = map[string]bool{}
	for _, n := range c.cont.order {
		e := c.cont.entries[n]
		alg, hx, ok := blobName(n)
		if !ok || e.typ == tar.TypeDir {
			continue
		}
		if e.typ != tar.TypeReg {
			c.report(c.entryFile(n), "", "F-104-05", "a blob must be a regular file, not a link")
			continue
		}
		want, known := hexLen[alg]
		if !known {
			c.reportSev(c.entryFile(n), "", "F-104-05", fmt.Sprintf("blob uses digest algorithm %q, which cannot be verified (sha256 and sha512 can)", alg), validator.Warning)
			continue
		}
		if len(hx) != want || !hexRe.MatchString(hx) {
			c.report(c.entryFile(n), "", "F-104-05", fmt.Sprintf("blob name %q is not %d lowercase hex digits", hx, want))
			continue
		}
		name := alg + ":" + hx
		if e.digest != name {
			c.report(c.entryFile(n), "", "F-104-06", fmt.Sprintf("blob content does not match its name: the bytes hash to %s", e.digest))
			continue
		}
		c.blobs[name] = e
	}
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations"`
}

type ociIndex struct {
	Manifests []descriptor `json:"manifests"`
}

type ociManifest struct {
	MediaType string       `json:"mediaType"`
	Config    *descriptor  `json:"config"`
	Layers    []descriptor `json:"layers"`
	Manifests []descriptor `json:"manifests"` // when the blob is itself an index
}

const refNameKey = "org.opencontainers.image.ref.name"

// checkIndex reads index.json and walks the descriptor graph, marking every
// reachable blob and reporting missing ones and size mismatches.
func (c *checker) checkIndex() *ociIndex {
	e := c.cont.entries[layoutDir+"index.json"]
	var idx ociIndex
	if e.content == nil || json.Unmarshal(e.content, &idx) != nil {
		c.report(c.entryFile(e.name), "", "F-104-05", "artifacts/layout/index.json is not a readable OCI image index")
		return nil
	}
	type item struct {
		d    descriptor
		from string
	}
	var queue []item
	for i, d := range idx.Manifests {
		queue = append(queue, item{d, fmt.Sprintf("index.json manifests[%d]", i)})
	}
	visited := map[string]bool{}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		d := it.d
		b, ok := c.blobs[d.Digest]
		if !ok {
			if c.cont.entries[blobPath(d.Digest)] == nil {
				c.report(c.entryFile(layoutDir+"index.json"), "", "F-104-04", fmt.Sprintf("%s references %s, which is not in artifacts/layout/blobs", it.from, d.Digest))
			}
			continue
		}
		c.referenced[d.Digest] = true
		if d.Size != b.size {
			c.report(c.entryFile(b.name), "", "F-104-06", fmt.Sprintf("%s gives size %d, the blob has %d bytes", it.from, d.Size, b.size))
		}
		if visited[d.Digest] {
			continue
		}
		visited[d.Digest] = true
		if b.content == nil {
			continue // a layer or an oversized blob: nothing to follow
		}
		var m ociManifest
		if json.Unmarshal(b.content, &m) != nil {
			continue // a config or other JSON blob
		}
		short := shortDigest(d.Digest)
		if m.Config != nil && m.Config.Digest != "" {
			queue = append(queue, item{*m.Config, "manifest " + short + " config"})
		}
		for i, l := range m.Layers {
			queue = append(queue, item{l, fmt.Sprintf("manifest %s layers[%d]", short, i)})
		}
		for i, sub := range m.Manifests {
			queue = append(queue, item{sub, fmt.Sprintf("index %s manifests[%d]", short, i)})
		}
	}
	return &idx
}

func shortDigest(d string) string {
	if alg, hx, ok := strings.Cut(d, ":"); ok && len(hx) > 12 {
		return alg + ":" + hx[:12]
	}
	return d
}

func blobPath(digest string) string {
	alg, hx, _ := strings.Cut(digest, ":")
	return layoutDir + "blobs/" + alg + "/" + hx
}

// bundleImage is one image of bundle.json with its pointer.
type bundleImage struct {
	pointer string
	image   string
	digest  string
}

func (c *checker) bundleImages() []bundleImage {
	if c.bundle == nil {
		return nil
	}
	var b struct {
		InvocationImages []map[string]any          `json:"invocationImages"`
		Images           map[string]map[string]any `json:"images"`
	}
	if json.Unmarshal(c.bundle, &b) != nil {
		return nil // the lint reports why
	}
	var out []bundleImage
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	for i, im := range b.InvocationImages {
		out = append(out, bundleImage{fmt.Sprintf("/invocationImages/%d", i), str(im, "image"), str(im, "contentDigest")})
	}
	keys := make([]string, 0, len(b.Images))
	for k := range b.Images {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		im := b.Images[k]
		out = append(out, bundleImage{"/images/" + jsontree.EscapeToken(k), str(im, "image"), str(im, "contentDigest")})
	}
	return out
}

// checkImages checks that every image of the bundle is in the layout, and
// that the index's names agree with bundle.json.
func (c *checker) checkImages(idx *ociIndex) {
	inIndex := map[string][]descriptor{}
	if idx != nil {
		for _, d := range idx.Manifests {
			inIndex[d.Digest] = append(inIndex[d.Digest], d)
		}
	}
	images := c.bundleImages()
	byRef := map[string]bundleImage{}
	for _, im := range images {
		if im.image != "" {
			byRef[im.image] = im
		}
		if im.digest == "" {
			c.report(c.bundleFile(), im.pointer, "B-101-14",
				fmt.Sprintf("image %q has no contentDigest, so the archive cannot be shown to hold it", im.image))
			continue
		}
		if _, ok := c.blobs[im.digest]; !ok {
			c.report(c.bundleFile(), im.pointer+"/contentDigest", "F-104-04",
				fmt.Sprintf("image %q (%s) is not in artifacts/layout/blobs: a thick bundle holds every image", im.image, im.digest))
			continue
		}
		if idx != nil && !c.referenced[im.digest] {
			c.report(c.bundleFile(), im.pointer+"/contentDigest", "F-104-05",
				fmt.Sprintf("image %q (%s) is in the blobs but not reachable from artifacts/layout/index.json", im.image, im.digest))
		}
		for _, d := range inIndex[im.digest] {
			name := d.Annotations[refNameKey]
			if name != "" && !nameAgrees(name, im.image) {
				c.reportSev(c.entryFile(layoutDir+"index.json"), "", "F-104-04",
					fmt.Sprintf("index.json names %s %q, but bundle.json calls that image %q (%s)", shortDigest(d.Digest), name, im.image, im.pointer), validator.Warning)
			}
		}
	}
	// A name in the index that bundle.json uses for another digest.
	if idx != nil {
		for _, d := range idx.Manifests {
			name := d.Annotations[refNameKey]
			if im, ok := byRef[name]; ok && im.digest != "" && im.digest != d.Digest {
				c.report(c.entryFile(layoutDir+"index.json"), "", "F-104-04",
					fmt.Sprintf("index.json names %q with digest %s, but bundle.json gives %s for it (%s)", name, d.Digest, im.digest, im.pointer))
			}
		}
	}
}

// nameAgrees reports whether a layout ref name fits a bundle image
// reference: the whole reference, the reference without its digest, or its
// tag (the OCI layout spec lets ref.name be just a tag).
func nameAgrees(name, image string) bool {
	if name == image {
		return true
	}
	noDigest, _, _ := strings.Cut(image, "@")
	if name == noDigest {
		return true
	}
	slash := strings.LastIndex(noDigest, "/")
	if i := strings.LastIndex(noDigest, ":"); i > slash {
		return name == noDigest[i+1:]
	}
	return false
}

func (c *checker) checkUnreferenced() {
	var digests []string
	for d := range c.blobs {
		if !c.referenced[d] {
			digests = append(digests, d)
		}
	}
	sort.Strings(digests)
	for _, d := range digests {
		c.reportSev(c.entryFile(c.blobs[d].name), "", "F-104-05",
			fmt.Sprintf("blob %s is not reachable from artifacts/layout/index.json (unreferenced content)", shortDigest(d)), validator.Warning)
	}
}

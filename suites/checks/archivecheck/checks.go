package archivecheck

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/archive"
	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

func add(fs *oci.Findings, rule, obj, format string, args ...any) {
	*fs = append(*fs, oci.Finding{Rule: rule, Severity: oci.Error, Object: obj, Message: fmt.Sprintf(format, args...)})
}

// FromValidator keeps the archive linter's findings of the given rules, as
// suite findings (warnings stay warnings: the suite reports them as notes).
func FromValidator(fs []validator.Finding, rules ...string) oci.Findings {
	out := oci.Findings{}
	for _, f := range fs {
		keep := len(rules) == 0
		for _, r := range rules {
			keep = keep || f.Rule == r
		}
		if !keep {
			continue
		}
		sev := oci.Note
		switch f.Severity {
		case validator.Error:
			sev = oci.Error
		case validator.Warning:
			sev = oci.Warning
		}
		obj := f.File
		if i := strings.Index(obj, "!/"); i >= 0 {
			obj = obj[i+2:] // the archive's own path is the same for every finding
		}
		out = append(out, oci.Finding{Rule: f.Rule, Severity: sev, Object: obj, Pointer: f.Pointer, Message: f.Message})
	}
	return out
}

// bundleImages lists the invocation images then the component images.
func bundleImages(b *oci.Bundle) []oci.Image {
	out := append([]oci.Image(nil), b.InvocationImages...)
	for _, n := range b.ComponentNames() {
		out = append(out, b.Images[n])
	}
	return out
}

// CheckImages (F-104-04): the archive holds every invocation image and
// image of the bundle by its contentDigest, and every manifest and blob of
// those images that the registry holds, each with the digest its bytes hash
// to and the registry's size. pushed is the bundle as fetched from the
// registry the export read; b is the bundle.
func CheckImages(cont *archive.Contents, pushed *oci.Artifact, b *oci.Bundle) oci.Findings {
	fs := oci.Findings{}
	has := func(what, digest string, size int64) bool {
		m, ok := cont.Members[archive.LayoutBlob(digest)]
		switch {
		case !ok:
			add(&fs, "F-104-04", what, "%s is not in the archive (%s)", digest, archive.LayoutBlob(digest))
			return false
		case !m.Regular:
			add(&fs, "F-104-04", what, "%s is in the archive as a link or folder, not a blob", archive.LayoutBlob(digest))
			return false
		case m.Digest != digest:
			add(&fs, "F-104-04", what, "the archive's blob %s hashes to %s", archive.LayoutBlob(digest), m.Digest)
			return false
		case size >= 0 && m.Size != size:
			add(&fs, "F-104-04", what, "the archive's blob %s has %d bytes, the registry's has %d", shortDigest(digest), m.Size, size)
			return false
		}
		return true
	}
	seen := map[string]bool{}
	var walk func(what, digest string)
	walk = func(what, digest string) {
		if seen[digest] {
			return
		}
		seen[digest] = true
		obj := pushed.Manifests[digest]
		if obj == nil || !obj.Present {
			return // the registry checks judge what the registry lacks
		}
		if !has(what, digest, obj.Size) {
			return
		}
		var m oci.Manifest
		if json.Unmarshal(obj.Raw, &m) != nil {
			return
		}
		for _, sub := range m.Manifests {
			walk(what+" > manifest "+shortDigest(sub.Digest), sub.Digest)
		}
		for i, d := range append([]oci.Descriptor{m.Config}, m.Layers...) {
			if d.Digest == "" || len(d.URLs) > 0 || seen[d.Digest] {
				continue
			}
			seen[d.Digest] = true
			part := "config"
			if i > 0 {
				part = fmt.Sprintf("layer %d", i-1)
			}
			size := int64(-1)
			if o := pushed.Blobs[d.Digest]; o != nil && o.Present {
				size = o.Size
			}
			has(what+" "+part, d.Digest, size)
		}
	}
	for _, im := range bundleImages(b) {
		what := "image " + im.Image
		if im.ContentDigest == "" {
			add(&fs, "F-104-04", what, "the bundle gives no contentDigest, so the archive cannot be shown to hold it")
			continue
		}
		if im.Size > 0 {
			if m, ok := cont.Members[archive.LayoutBlob(im.ContentDigest)]; ok && m.Regular && m.Size != im.Size {
				add(&fs, "F-104-04", what, "bundle.json gives size %d, the archive's manifest has %d bytes", im.Size, m.Size)
			}
		}
		if pushed.Manifests[im.ContentDigest] == nil {
			has(what, im.ContentDigest, -1) // not fetched from the registry: presence only
			continue
		}
		walk(what, im.ContentDigest)
	}
	return fs
}

func shortDigest(d string) string {
	if alg, hx, ok := strings.Cut(d, ":"); ok && len(hx) > 12 {
		return alg + ":" + hx[:12]
	}
	return d
}

// CheckBundle (F-104-06): the archive's bundle.json is byte for byte the
// canonical bundle.json the registry holds, so every contentDigest is too.
func CheckBundle(archived, pushed []byte) oci.Findings {
	fs := oci.Findings{}
	if bytes.Equal(archived, pushed) {
		return fs
	}
	add(&fs, "F-104-06", "bundle.json", "the archive's bundle.json differs from the bundle pushed (first difference at byte %d; %d bytes, want %d)",
		canonical.FirstDifference(archived, pushed), len(archived), len(pushed))
	a, errA := oci.ParseBundle(archived)
	p, errP := oci.ParseBundle(pushed)
	if errA != nil || errP != nil {
		return fs
	}
	want := map[string]string{}
	for _, im := range bundleImages(p) {
		want[im.Image] = im.ContentDigest
	}
	for _, im := range bundleImages(a) {
		if d, ok := want[im.Image]; ok && d != im.ContentDigest {
			add(&fs, "F-104-06", "bundle.json", "image %s: contentDigest %s in the archive, %s pushed", im.Image, im.ContentDigest, d)
		}
	}
	return fs
}

// CheckDeterministic (F-104-06): two exports of the same bundle are the
// same bytes. When they differ it says where: an entry, a header field, or
// the compression.
func CheckDeterministic(first, second []byte) oci.Findings {
	fs := oci.Findings{}
	if bytes.Equal(first, second) {
		return fs
	}
	msg := fmt.Sprintf("two exports of the same bundle differ: %s then %s (%d and %d bytes)",
		client.Digest(first), client.Digest(second), len(first), len(second))
	if why := tarDifference(first, second); why != "" {
		msg += "; " + why
	}
	add(&fs, "F-104-06", "archive", "%s", msg)
	return fs
}

// maxDiffEntries bounds the header comparison; callers have already read
// both archives safely, this only names the first difference.
const maxDiffEntries = 100000

// tarDifference names the first entry whose header or content differs
// ("" when it cannot tell: not gzipped tars, or identical entries).
func tarDifference(a, b []byte) string {
	ha, errA := headers(a)
	hb, errB := headers(b)
	if errA != nil || errB != nil {
		return ""
	}
	for i := 0; i < len(ha) && i < len(hb); i++ {
		x, y := ha[i], hb[i]
		switch {
		case x.Name != y.Name:
			return fmt.Sprintf("entry %d is %q in one and %q in the other", i, x.Name, y.Name)
		case !x.ModTime.Equal(y.ModTime):
			return fmt.Sprintf("entry %q has modification time %s in one and %s in the other", x.Name, x.ModTime.UTC().Format("2006-01-02T15:04:05.999999999Z"), y.ModTime.UTC().Format("2006-01-02T15:04:05.999999999Z"))
		case x.Mode != y.Mode || x.Uid != y.Uid || x.Gid != y.Gid || x.Uname != y.Uname || x.Gname != y.Gname:
			return fmt.Sprintf("entry %q has different mode or owner", x.Name)
		case x.Size != y.Size || x.sum != y.sum:
			return fmt.Sprintf("entry %q has different content", x.Name)
		}
	}
	if len(ha) != len(hb) {
		return fmt.Sprintf("one holds %d entries, the other %d", len(ha), len(hb))
	}
	return "the tar entries are identical: the compression differs"
}

type header struct {
	*tar.Header
	sum string
}

func headers(data []byte) ([]header, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var out []header
	for len(out) < maxDiffEntries {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(tr, 1<<30))
		if err != nil {
			return nil, err
		}
		out = append(out, header{h, client.Digest(b)})
	}
	return out, nil
}

// CheckImport (F-104-01, F-104-06): the bundle an import pushed has the
// index digest and bundle.json of the bundle that was exported (F-104-06),
// and the destination holds every object the index references (F-104-01: the
// thick form turns back into the same thin bundle).
func CheckImport(pushed, imported *oci.Artifact) oci.Findings {
	fs := oci.Findings{}
	if p, i := client.Digest(pushed.Index), client.Digest(imported.Index); p != i {
		add(&fs, "F-104-06", "imported index", "the import gave index %s, the exported bundle's is %s", i, p)
	}
	if pushed.ConfigBlob != nil && !bytes.Equal(pushed.ConfigBlob, imported.ConfigBlob) {
		add(&fs, "F-104-06", "imported config blob", "the imported bundle.json differs from the exported one")
	}
	for _, d := range imported.Children() {
		if o := imported.Manifests[d]; o != nil && !o.Present {
			add(&fs, "F-104-01", "manifest "+d, "not in %s after the import", imported.Repository)
		}
		if o := imported.Blobs[d]; o != nil && !o.Present {
			add(&fs, "F-104-01", "blob "+d, "not in %s after the import", imported.Repository)
		}
	}
	if b, err := imported.StoredBundle(); err == nil {
		for _, im := range bundleImages(b) {
			if o := imported.Manifests[im.ContentDigest]; o == nil || !o.Present {
				add(&fs, "F-104-01", "image "+im.Image, "%s is not in %s after the import", im.ContentDigest, imported.Repository)
			}
		}
	}
	return fs
}

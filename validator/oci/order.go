package oci

import (
	"fmt"
	"net/http"

	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// Request is one recorded registry request, as the upload-order check needs
// it. Kind is the API route: "manifest", "blob", "upload" (blob uploads and
// cross-repository mounts), "tags", "base", "other". Digest is the object
// written or served (a manifest put's Docker-Content-Digest, a completed
// upload's or mount's digest).
type Request struct {
	Seq        int
	Method     string
	Kind       string
	Repository string
	Reference  string // tag or digest
	Digest     string
	MediaType  string
	Status     int
}

func (r Request) ok() bool { return r.Status >= 200 && r.Status < 300 }

// Write reports whether the request stored an object in its repository.
func (r Request) Write() bool {
	if !r.ok() || r.Digest == "" {
		return false
	}
	switch {
	case r.Kind == "manifest" && r.Method == http.MethodPut:
		return true
	case r.Kind == "upload" && (r.Method == http.MethodPut || r.Method == http.MethodPost) && r.Status == http.StatusCreated:
		return true
	}
	return false
}

func (r Request) tagWrite(repo, tag string) bool {
	return r.ok() && r.Kind == "manifest" && r.Method == http.MethodPut && r.Repository == repo && r.Reference == tag
}

// CheckUploadOrder (RG-01, RG-02) judges one push or copy from the
// registry's recording. reqs is every request the registry recorded so far
// (earlier operations count for presence); since is the Seq after which
// this operation's requests start; repo and tag are the target; a is the
// bundle as fetched after the operation.
//
// RG-01: the index is the last write to the tag, and everything it
// references was in repo before the index was first written there. RG-02:
// each image manifest was written into repo by digest. Transient writes of
// other manifests to the tag (real tools do this) are notes.
func CheckUploadOrder(reqs []Request, since int, repo, tag string, a *Artifact) Findings {
	var fs Findings
	index := a.TagDigest
	if index == "" {
		index = client.Digest(a.Index)
	}
	var tagWrites []Request
	for _, r := range reqs {
		if r.Seq > since && r.tagWrite(repo, tag) {
			tagWrites = append(tagWrites, r)
		}
	}
	if len(tagWrites) == 0 {
		fs.add("RG-01", Error, "recording", "", "no write to %s:%s was recorded during the operation", repo, tag)
		return fs
	}
	last := tagWrites[len(tagWrites)-1]
	if last.Digest != index {
		fs.add("RG-01", Error, fmt.Sprintf("request %d", last.Seq), "", "the last write to tag %s is %s, not the bundle index %s", tag, last.Digest, index)
	}
	first := -1
	for _, w := range tagWrites {
		if w.Digest == index {
			if first < 0 {
				first = w.Seq
			}
			continue
		}
		fs.add("RG-01", Note, fmt.Sprintf("request %d", w.Seq), "", "transient write of %s (%s) to tag %s before the index: tolerated", w.Digest, w.MediaType, tag)
	}
	if first >= 0 {
		present := map[string]int{} // digest -> first write seq in repo
		for _, r := range reqs {
			if r.Repository == repo && r.Write() {
				if _, ok := present[r.Digest]; !ok {
					present[r.Digest] = r.Seq
				}
			}
		}
		for _, child := range a.Children() {
			seq, ok := present[child]
			switch {
			case !ok:
				// Not written while recording: it can only have been there
				// before (an external seed) if the registry has it now.
				if !a.has(child) {
					fs.add("RG-01", Error, "object "+child, "", "referenced by the index but never written to %s", repo)
				}
			case seq > first:
				fs.add("RG-01", Error, "object "+child, "", "written to %s by request %d, after the index was tagged by request %d", repo, seq, first)
			}
		}
	}
	// RG-02: image manifests by digest.
	for i, d := range a.Parsed.Manifests {
		if i == a.ConfigDescriptor {
			continue
		}
		byDigest, byTag := false, ""
		for _, r := range reqs {
			if r.Repository != repo || !r.Write() || r.Kind != "manifest" || r.Digest != d.Digest {
				continue
			}
			if r.Reference == d.Digest {
				byDigest = true
			} else if byTag == "" {
				byTag = r.Reference
			}
		}
		switch {
		case byDigest:
		case byTag != "" && transientTag(reqs, repo, byTag, d.Digest):
			fs.add("RG-02", Note, "index", ptr(i, ""), "image manifest %s was written only under tag %q, which was later overwritten or deleted: a transient write, tolerated", d.Digest, byTag)
		case byTag != "":
			fs.add("RG-02", Error, "index", ptr(i, ""), "image manifest %s was written to %s only under tag %q, never by digest, and the tag stays", d.Digest, repo, byTag)
		default:
			fs.add("RG-02", Note, "index", ptr(i, ""), "image manifest %s was not written during the recording (already present)", d.Digest)
		}
	}
	return fs
}

func (a *Artifact) has(digest string) bool {
	if o := a.Manifests[digest]; o != nil && o.Present {
		return true
	}
	if o := a.Blobs[digest]; o != nil && o.Present {
		return true
	}
	return false
}

// transientTag reports whether tag, after pointing at digest, was
// overwritten with another manifest or deleted (Porter's temporary tag,
// cnab-to-oci's local image pushed under the bundle tag).
func transientTag(reqs []Request, repo, tag, digest string) bool {
	seen := false
	for _, r := range reqs {
		if r.Repository != repo || r.Kind != "manifest" || !r.ok() {
			continue
		}
		switch {
		case r.Method == http.MethodPut && r.Reference == tag && r.Digest == digest:
			seen = true
		case !seen:
		case r.Method == http.MethodPut && r.Reference == tag:
			return true
		case r.Method == http.MethodDelete && r.Reference == tag:
			return true
		}
	}
	return false
}

package registry

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// Kinds of request, from the distribution API route the path matches.
const (
	KindBase      = "base"      // /v2/
	KindManifest  = "manifest"  // /v2/<repo>/manifests/<ref>
	KindBlob      = "blob"      // /v2/<repo>/blobs/<digest>
	KindUpload    = "upload"    // /v2/<repo>/blobs/uploads/[<id>]
	KindTags      = "tags"      // /v2/<repo>/tags/list
	KindReferrers = "referrers" // /v2/<repo>/referrers/<digest>
	KindCatalog   = "catalog"   // /v2/_catalog
	KindOther     = "other"
)

// Record is a recorded request with what the recorder derived from it.
type Record struct {
	reports.RegistryRequest
	Kind string
	// Digest is the object the request wrote or served: the
	// Docker-Content-Digest of a manifest put or get, the digest of a
	// completed upload or mount, the digest of a blob read.
	Digest string
}

// OK reports a 2xx status.
func (r Record) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Write reports whether the request successfully stored an object in its
// repository: a manifest put, a completed upload, or a cross-repository mount.
func (r Record) Write() bool {
	if !r.OK() || r.Digest == "" {
		return false
	}
	switch {
	case r.Kind == KindManifest && r.Method == http.MethodPut:
		return true
	case r.Kind == KindUpload && (r.Method == http.MethodPut || r.Method == http.MethodPost) && r.Status == http.StatusCreated:
		return true
	}
	return false
}

// recorder is the http.Handler in front of the registry app.
type recorder struct {
	registry string
	next     http.Handler

	mu   sync.Mutex
	recs []Record
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	start := time.Now().UTC()
	kind, repo, ref := parsePath(req.URL.Path)
	cb := &countingBody{ReadCloser: req.Body}
	if req.Body != nil {
		req.Body = cb
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rc.next.ServeHTTP(sw, req)

	rec := Record{Kind: kind}
	rec.Registry = rc.registry
	rec.Method = req.Method
	rec.Path = req.URL.Path
	rec.Repository = repo
	rec.Reference = ref
	rec.Status = sw.status
	rec.Time = start
	q := req.URL.Query()
	switch req.Method {
	case http.MethodPut, http.MethodPatch, http.MethodPost:
		rec.MediaType = req.Header.Get("Content-Type")
		rec.Size = cb.n
	default:
		rec.MediaType = sw.Header().Get("Content-Type")
		rec.Size = sw.written
		if cl := sw.Header().Get("Content-Length"); cl != "" {
			if n, err := strconv.ParseInt(cl, 10, 64); err == nil {
				rec.Size = n
			}
		}
	}
	switch kind {
	case KindManifest:
		rec.Digest = sw.Header().Get("Docker-Content-Digest")
		if rec.Digest == "" && strings.HasPrefix(ref, "sha256:") {
			rec.Digest = ref
		}
	case KindBlob:
		rec.Digest = ref
	case KindUpload:
		switch {
		case q.Get("mount") != "" && sw.status == http.StatusCreated:
			rec.Digest = q.Get("mount")
			rec.Reference = q.Get("mount")
		case q.Get("digest") != "":
			rec.Digest = q.Get("digest")
			rec.Reference = q.Get("digest")
		}
	}
	if rec.MediaType != "" {
		// Drop parameters such as "; charset=utf-8".
		rec.MediaType, _, _ = strings.Cut(rec.MediaType, ";")
		rec.MediaType = strings.TrimSpace(rec.MediaType)
	}
	rc.mu.Lock()
	rec.Seq = len(rc.recs) + 1
	rc.recs = append(rc.recs, rec)
	rc.mu.Unlock()
}

func (rc *recorder) mark() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.recs)
}

func (rc *recorder) records(mark int) []Record {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if mark < 0 {
		mark = 0
	}
	if mark >= len(rc.recs) {
		return nil
	}
	return append([]Record(nil), rc.recs[mark:]...)
}

func (rc *recorder) requests(mark int) []reports.RegistryRequest {
	recs := rc.records(mark)
	out := make([]reports.RegistryRequest, len(recs))
	for i, r := range recs {
		out[i] = r.RegistryRequest
	}
	return out
}

// parsePath splits a distribution API path into its route kind, repository
// and reference (tag, digest or upload id). Repository names contain
// slashes, so the route keyword is searched from the right.
func parsePath(p string) (kind, repo, ref string) {
	if p == "/v2/" || p == "/v2" {
		return KindBase, "", ""
	}
	if p == "/v2/_catalog" {
		return KindCatalog, "", ""
	}
	rest, ok := strings.CutPrefix(p, "/v2/")
	if !ok {
		return KindOther, "", ""
	}
	if name, ok := strings.CutSuffix(rest, "/tags/list"); ok {
		return KindTags, name, ""
	}
	if i := strings.LastIndex(rest, "/blobs/uploads"); i > 0 {
		id := strings.TrimPrefix(strings.TrimPrefix(rest[i+len("/blobs/uploads"):], "/"), "/")
		return KindUpload, rest[:i], id
	}
	for _, k := range []struct{ sep, kind string }{
		{"/manifests/", KindManifest}, {"/blobs/", KindBlob}, {"/referrers/", KindReferrers},
	} {
		if i := strings.LastIndex(rest, k.sep); i > 0 {
			return k.kind, rest[:i], rest[i+len(k.sep):]
		}
	}
	return KindOther, "", ""
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	written     int64
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status = code
		w.wroteHeader = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(b)
	w.written += int64(n)
	return n, err
}

// Flush keeps streaming responses streaming.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// countingBody counts the request bytes the registry read.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
)

// Media types a manifest fetch accepts, most specific first.
var ManifestAccept = []string{
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
}

// DefaultMaxBytes caps a manifest or blob read into memory.
const DefaultMaxBytes = 64 << 20

// Client talks to OCI registries. The zero value is not usable; call New.
type Client struct {
	http      *http.Client
	insecure  bool
	maxBytes  int64
	userAgent string
	username  string
	password  string

	mu     sync.Mutex
	tokens map[string]string // scope key -> bearer token
}

// Option configures New.
type Option func(*Client)

// Insecure uses plain HTTP for every registry.
func Insecure(on bool) Option { return func(c *Client) { c.insecure = on } }

// WithHTTPClient replaces the HTTP client (default: 60s timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithMaxBytes caps what one read loads into memory.
func WithMaxBytes(n int64) Option { return func(c *Client) { c.maxBytes = n } }

// WithBasicAuth sets credentials for the token flow or basic auth.
func WithBasicAuth(user, password string) Option {
	return func(c *Client) { c.username, c.password = user, password }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// New returns a client.
func New(opts ...Option) *Client {
	c := &Client{http: &http.Client{Timeout: 60 * time.Second}, maxBytes: DefaultMaxBytes,
		userAgent: "cnab-conformance", tokens: map[string]string{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Descriptor is what a registry says about a manifest or blob.
type Descriptor struct {
	MediaType string
	Digest    string
	Size      int64
}

// Error is a registry answer other than success.
type Error struct {
	Method, URL string
	Status      int
	Body        string
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Body)
	if len(msg) > 300 {
		msg = msg[:300] + "..."
	}
	return fmt.Sprintf("%s %s: %d %s %s", e.Method, e.URL, e.Status, http.StatusText(e.Status), msg)
}

// IsNotFound reports whether err is a registry 404.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// Digest returns "sha256:<hex>" of b.
func Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// Repo is one repository: the registry host and the repository path.
type Repo struct {
	Host string // host[:port] as used in URLs
	Path string // e.g. cnab-conformance/demo
}

func (r Repo) String() string { return r.Host + "/" + r.Path }

// Ref is a parsed reference: a repository and a tag or a digest.
type Ref struct {
	Repo
	Tag    string
	Digest string
}

// Reference returns the tag or digest part.
func (r Ref) Reference() string {
	if r.Digest != "" {
		return r.Digest
	}
	return r.Tag
}

func (r Ref) String() string {
	if r.Digest != "" {
		return r.Repo.String() + "@" + r.Digest
	}
	return r.Repo.String() + ":" + r.Tag
}

// ParseRef reads HOST/REPO[:TAG|@DIGEST] (tag defaults to latest). Docker
// Hub shorthand is resolved the usual way.
func ParseRef(s string) (Ref, error) {
	r, err := name.ParseReference(s, name.WeakValidation)
	if err != nil {
		return Ref{}, fmt.Errorf("reference %q: %w", s, err)
	}
	out := Ref{Repo: Repo{Host: r.Context().RegistryStr(), Path: r.Context().RepositoryStr()}}
	switch v := r.(type) {
	case name.Digest:
		out.Digest = v.DigestStr()
	case name.Tag:
		out.Tag = v.TagStr()
	}
	// name accepts "repo:tag@digest" as a digest reference; keep the digest.
	return out, nil
}

func (c *Client) base(host string) string {
	scheme := "https"
	if c.insecure || isLocal(host) {
		scheme = "http"
	}
	return scheme + "://" + host
}

func isLocal(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.Trim(h, "[]")
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || h == "::1" || strings.HasPrefix(h, "127.")
}

// do sends a request, running the token flow once on a 401.
func (c *Client) do(ctx context.Context, method, u string, body []byte, hdr http.Header, repo Repo, push bool) (*http.Response, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return nil, err
		}
		for k, vs := range hdr {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		req.Header.Set("User-Agent", c.userAgent)
		if body != nil {
			req.ContentLength = int64(len(body))
		}
		key := repo.Host + "|" + repo.Path + fmt.Sprint(push)
		c.mu.Lock()
		tok := c.tokens[key]
		c.mu.Unlock()
		switch {
		case tok != "":
			req.Header.Set("Authorization", "Bearer "+tok)
		case c.username != "":
			req.SetBasicAuth(c.username, c.password)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusUnauthorized || attempt > 0 {
			return resp, nil
		}
		chal := resp.Header.Get("WWW-Authenticate")
		drain(resp)
		tok, err = c.token(ctx, chal, repo, push)
		if err != nil {
			return nil, fmt.Errorf("%s %s: authentication: %w", method, u, err)
		}
		c.mu.Lock()
		c.tokens[key] = tok
		c.mu.Unlock()
	}
	return nil, errors.New("unreachable")
}

// token runs the distribution token flow for a Bearer challenge.
func (c *Client) token(ctx context.Context, challenge string, repo Repo, push bool) (string, error) {
	scheme, params, _ := strings.Cut(challenge, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", fmt.Errorf("unsupported challenge %q", challenge)
	}
	p := map[string]string{}
	for _, part := range splitParams(params) {
		k, v, _ := strings.Cut(part, "=")
		p[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	if p["realm"] == "" {
		return "", fmt.Errorf("challenge without realm: %q", challenge)
	}
	q := url.Values{}
	if p["service"] != "" {
		q.Set("service", p["service"])
	}
	scope := "repository:" + repo.Path + ":pull"
	if push {
		scope += ",push"
	}
	q.Set("scope", scope)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p["realm"]+"?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	if c.username != "" {
		req.SetBasicAuth(c.username, c.password)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token endpoint answered %d", resp.StatusCode)
	}
	var t struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&t); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	if t.Token == "" {
		t.Token = t.AccessToken
	}
	return t.Token, nil
}

func splitParams(s string) []string {
	var out []string
	var cur strings.Builder
	inQ := false
	for _, r := range s {
		switch {
		case r == '"':
			inQ = !inQ
			cur.WriteRune(r)
		case r == ',' && !inQ:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

func fail(resp *http.Response) error {
	defer drain(resp)
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return &Error{Method: resp.Request.Method, URL: resp.Request.URL.String(), Status: resp.StatusCode, Body: string(b)}
}

func (c *Client) url(repo Repo, kind, ref string) string {
	return c.base(repo.Host) + "/v2/" + repo.Path + "/" + kind + "/" + ref
}

// Ping checks that host speaks the distribution API.
func (c *Client) Ping(ctx context.Context, host string) error {
	resp, err := c.do(ctx, http.MethodGet, c.base(host)+"/v2/", nil, nil, Repo{Host: host}, false)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnauthorized {
		return fail(resp)
	}
	drain(resp)
	return nil
}

func accept() http.Header {
	return http.Header{"Accept": {strings.Join(ManifestAccept, ", ")}}
}

func descFrom(resp *http.Response) Descriptor {
	mt, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	return Descriptor{MediaType: strings.TrimSpace(mt), Digest: resp.Header.Get("Docker-Content-Digest"), Size: resp.ContentLength}
}

// HeadManifest resolves ref (tag or digest) in repo without fetching it.
func (c *Client) HeadManifest(ctx context.Context, repo Repo, ref string) (Descriptor, error) {
	resp, err := c.do(ctx, http.MethodHead, c.url(repo, "manifests", ref), nil, accept(), repo, false)
	if err != nil {
		return Descriptor{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Descriptor{}, fail(resp)
	}
	drain(resp)
	return descFrom(resp), nil
}

// GetManifest fetches the manifest ref (tag or digest) from repo. The bytes
// are returned as served; when ref is a digest they are verified against it.
// The descriptor's Digest is the registry's Docker-Content-Digest header
// (empty if it sent none); Size is the length of the bytes.
func (c *Client) GetManifest(ctx context.Context, repo Repo, ref string) ([]byte, Descriptor, error) {
	resp, err := c.do(ctx, http.MethodGet, c.url(repo, "manifests", ref), nil, accept(), repo, false)
	if err != nil {
		return nil, Descriptor{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, Descriptor{}, fail(resp)
	}
	defer drain(resp)
	b, err := c.readAll(resp.Body)
	if err != nil {
		return nil, Descriptor{}, fmt.Errorf("manifest %s@%s: %w", repo, ref, err)
	}
	d := descFrom(resp)
	d.Size = int64(len(b))
	if strings.HasPrefix(ref, "sha256:") && Digest(b) != ref {
		return nil, d, fmt.Errorf("manifest %s@%s: content digest is %s", repo, ref, Digest(b))
	}
	return b, d, nil
}

// PutManifest writes body as a manifest of mediaType under ref (tag or
// digest) and returns the digest the registry reports.
func (c *Client) PutManifest(ctx context.Context, repo Repo, ref, mediaType string, body []byte) (string, error) {
	resp, err := c.do(ctx, http.MethodPut, c.url(repo, "manifests", ref), body,
		http.Header{"Content-Type": {mediaType}}, repo, true)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", fail(resp)
	}
	drain(resp)
	d := resp.Header.Get("Docker-Content-Digest")
	if d == "" {
		d = Digest(body)
	}
	return d, nil
}

// DeleteManifest deletes the manifest digest from repo.
func (c *Client) DeleteManifest(ctx context.Context, repo Repo, digest string) error {
	resp, err := c.do(ctx, http.MethodDelete, c.url(repo, "manifests", digest), nil, nil, repo, true)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		return fail(resp)
	}
	drain(resp)
	return nil
}

// BlobExists reports whether repo has the blob digest.
func (c *Client) BlobExists(ctx context.Context, repo Repo, digest string) (bool, error) {
	resp, err := c.do(ctx, http.MethodHead, c.url(repo, "blobs", digest), nil, nil, repo, false)
	if err != nil {
		return false, err
	}
	drain(resp)
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, &Error{Method: http.MethodHead, URL: resp.Request.URL.String(), Status: resp.StatusCode}
}

// GetBlob fetches a blob and verifies its digest.
func (c *Client) GetBlob(ctx context.Context, repo Repo, digest string) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, c.url(repo, "blobs", digest), nil, nil, repo, false)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fail(resp)
	}
	defer drain(resp)
	b, err := c.readAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("blob %s@%s: %w", repo, digest, err)
	}
	if got := Digest(b); strings.HasPrefix(digest, "sha256:") && got != digest {
		return nil, fmt.Errorf("blob %s@%s: content digest is %s", repo, digest, got)
	}
	return b, nil
}

// PutBlob uploads body as a blob (POST then PUT) unless repo already has it.
func (c *Client) PutBlob(ctx context.Context, repo Repo, body []byte) (string, error) {
	d := Digest(body)
	if ok, err := c.BlobExists(ctx, repo, d); err == nil && ok {
		return d, nil
	}
	loc, err := c.startUpload(ctx, repo, "")
	if err != nil {
		return "", err
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "", fmt.Errorf("upload location %q: %w", loc, err)
	}
	q := u.Query()
	q.Set("digest", d)
	u.RawQuery = q.Encode()
	resp, err := c.do(ctx, http.MethodPut, u.String(), body,
		http.Header{"Content-Type": {"application/octet-stream"}}, repo, true)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusCreated {
		return "", fail(resp)
	}
	drain(resp)
	return d, nil
}

// MountBlob asks the registry to mount digest from repository from (same
// registry) into repo. It reports false when the registry started an
// upload instead (the caller then uploads the bytes).
func (c *Client) MountBlob(ctx context.Context, repo Repo, from, digest string) (bool, error) {
	q := url.Values{"mount": {digest}, "from": {from}}
	resp, err := c.do(ctx, http.MethodPost, c.base(repo.Host)+"/v2/"+repo.Path+"/blobs/uploads/?"+q.Encode(), nil, nil, repo, true)
	if err != nil {
		return false, err
	}
	drain(resp)
	switch resp.StatusCode {
	case http.StatusCreated:
		return true, nil
	case http.StatusAccepted:
		// An upload session was opened; cancel it so it does not linger.
		if loc := resp.Header.Get("Location"); loc != "" {
			if u, err := resp.Request.URL.Parse(loc); err == nil {
				if r2, err := c.do(ctx, http.MethodDelete, u.String(), nil, nil, repo, true); err == nil {
					drain(r2)
				}
			}
		}
		return false, nil
	}
	return false, &Error{Method: http.MethodPost, URL: resp.Request.URL.String(), Status: resp.StatusCode}
}

func (c *Client) startUpload(ctx context.Context, repo Repo, query string) (string, error) {
	resp, err := c.do(ctx, http.MethodPost, c.base(repo.Host)+"/v2/"+repo.Path+"/blobs/uploads/"+query, nil, nil, repo, true)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusAccepted {
		return "", fail(resp)
	}
	drain(resp)
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", fmt.Errorf("upload to %s: no Location header", repo)
	}
	u, err := resp.Request.URL.Parse(loc)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Tags lists the tags of repo.
func (c *Client) Tags(ctx context.Context, repo Repo) ([]string, error) {
	resp, err := c.do(ctx, http.MethodGet, c.base(repo.Host)+"/v2/"+repo.Path+"/tags/list", nil, nil, repo, false)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotFound {
		drain(resp)
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fail(resp)
	}
	defer drain(resp)
	var t struct {
		Tags []string `json:"tags"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, c.maxBytes)).Decode(&t); err != nil {
		return nil, fmt.Errorf("tags of %s: %w", repo, err)
	}
	return t.Tags, nil
}

func (c *Client) readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, c.maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > c.maxBytes {
		return nil, fmt.Errorf("larger than %d bytes", c.maxBytes)
	}
	return b, nil
}

// HeadBlob returns the size and media type of a blob in repo.
func (c *Client) HeadBlob(ctx context.Context, repo Repo, digest string) (Descriptor, error) {
	resp, err := c.do(ctx, http.MethodHead, c.url(repo, "blobs", digest), nil, nil, repo, false)
	if err != nil {
		return Descriptor{}, err
	}
	drain(resp)
	if resp.StatusCode != http.StatusOK {
		return Descriptor{}, &Error{Method: http.MethodHead, URL: resp.Request.URL.String(), Status: resp.StatusCode}
	}
	d := descFrom(resp)
	if d.Digest == "" {
		d.Digest = digest
	}
	return d, nil
}

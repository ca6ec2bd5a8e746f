package docker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// SplitRef splits an image reference into repository and tag or digest
// ("sha256:..."). A reference with neither gets tag "latest".
func SplitRef(ref string) (repo, tagOrDigest string) {
	if r, d, ok := strings.Cut(ref, "@"); ok {
		return r, d
	}
	slash := strings.LastIndex(ref, "/")
	if colon := strings.LastIndex(ref, ":"); colon > slash {
		return ref[:colon], ref[colon+1:]
	}
	return ref, "latest"
}

// ImagePull pulls ref (tagged or digested) and waits for the pull to end.
// Pull errors reported inside the progress stream are returned as errors.
func (c *Client) ImagePull(ctx context.Context, ref string) error {
	repo, tag := SplitRef(ref)
	q := url.Values{"fromImage": {repo}, "tag": {tag}}
	// The engine insists on an auth header for some registries; an empty
	// config is what the CLI sends for anonymous pulls.
	hdr := http.Header{"X-Registry-Auth": {"e30="}}
	resp, err := c.do(ctx, "pull "+ref, http.MethodPost, "/images/create", q, nil, hdr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var m struct {
			Error       string `json:"error"`
			ErrorDetail struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("docker pull %s: read progress: %w", ref, err)
		}
		if m.Error != "" {
			return fmt.Errorf("docker pull %s: %s", ref, m.Error)
		}
	}
}

// ImageInfo is the part of an image inspect the project uses.
type ImageInfo struct {
	ID          string   `json:"Id"`
	RepoTags    []string `json:"RepoTags"`
	RepoDigests []string `json:"RepoDigests"`
	Config      struct {
		User       string   `json:"User"`
		Entrypoint []string `json:"Entrypoint"`
		Cmd        []string `json:"Cmd"`
		Env        []string `json:"Env"`
	} `json:"Config"`
}

// HasRepoDigest reports whether one of the image's RepoDigests carries
// digest, whatever the repository (a relocated image keeps its digest).
func (i ImageInfo) HasRepoDigest(digest string) bool {
	for _, rd := range i.RepoDigests {
		if _, d, ok := strings.Cut(rd, "@"); ok && d == digest {
			return true
		}
	}
	return false
}

// ImageInspect returns information about a local image.
func (c *Client) ImageInspect(ctx context.Context, ref string) (ImageInfo, error) {
	var info ImageInfo
	err := c.doJSON(ctx, "image inspect "+ref, http.MethodGet, "/images/"+ref+"/json", nil, nil, &info)
	return info, err
}

// ImageTag tags the local image src as ref (repo:tag).
func (c *Client) ImageTag(ctx context.Context, src, ref string) error {
	repo, tag := SplitRef(ref)
	q := url.Values{"repo": {repo}, "tag": {tag}}
	return c.doJSON(ctx, "image tag", http.MethodPost, "/images/"+src+"/tag", q, nil, nil)
}

// ImageRemove removes a local image reference. force also removes an image
// that is still referenced by several tags.
func (c *Client) ImageRemove(ctx context.Context, ref string, force bool) error {
	q := url.Values{"force": {boolStr(force)}, "noprune": {"0"}}
	return c.doJSON(ctx, "image remove "+ref, http.MethodDelete, "/images/"+ref, q, nil, nil)
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

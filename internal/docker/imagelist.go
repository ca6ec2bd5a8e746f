package docker

import (
	"context"
	"net/http"
)

// ImageSummary is one entry of the engine's image list.
type ImageSummary struct {
	ID          string   `json:"Id"`
	RepoTags    []string `json:"RepoTags"`
	RepoDigests []string `json:"RepoDigests"`
}

// ImageList lists the engine's images (the suites' leak check looks for
// images pulled from the run's own registries).
func (c *Client) ImageList(ctx context.Context) ([]ImageSummary, error) {
	var out []ImageSummary
	err := c.doJSON(ctx, "image list", http.MethodGet, "/images/json", nil, nil, &out)
	return out, err
}

// Package benchdata generates the benchmark corpus: realistic, valid CNAB
// Core 1.2 bundles of about 2 KB, each one different (names, digests,
// parameters), so that no cache can make the benchmark look better than a
// real run.
package benchdata

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

func digest(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return "sha256:" + hex.EncodeToString(h[:])
}

// Bundle returns bundle number i, pretty-printed (tab indented) as authors
// write them.
func Bundle(i int) []byte {
	name := fmt.Sprintf("app-%05d", i)
	b := map[string]any{
		"schemaVersion": "v1.2.0",
		"name":          name,
		"version":       fmt.Sprintf("%d.%d.%d", 1+i%3, i%10, i%7),
		"description":   "Benchmark bundle " + name,
		"keywords":      []string{"bench"},
		"license":       "Apache-2.0",
		"maintainers":   []map[string]string{{"name": "Bench Team", "email": "bench@example.com", "url": "https://example.com"}},
		"invocationImages": []map[string]any{{
			"imageType":     "docker",
			"image":         "registry.example.com/bench/" + name + "-installer@" + digest(name+"-inv"),
			"contentDigest": digest(name + "-inv"),
			"size":          1337 + i,
		}},
		"images": map[string]any{
			"web": map[string]any{
				"imageType":     "oci",
				"image":         "registry.example.com/bench/web@" + digest(name+"-web"),
				"contentDigest": digest(name + "-web"),
				"labels":        map[string]string{"os": "linux", "architecture": "amd64"},
			},
		},
		"actions": map[string]any{
			"io.example.backup": map[string]any{"modifies": false},
		},
		"credentials": map[string]any{
			"kubeconfig": map[string]any{"path": "/home/app/.kube/config", "required": true},
			"token":      map[string]any{"env": "API_TOKEN", "applyTo": []string{"install", "upgrade"}},
		},
		"definitions": map[string]any{
			"port":     map[string]any{"type": "integer", "minimum": 1, "maximum": 65535, "default": 8080},
			"replicas": map[string]any{"type": "integer", "minimum": 1, "default": 2},
			"hostname": map[string]any{"type": "string", "pattern": "^[a-z0-9.-]+$", "default": "app.example.com"},
			"url":      map[string]any{"type": "string"},
		},
		"parameters": map[string]any{
			"port":     map[string]any{"definition": "port", "destination": map[string]any{"env": "PORT"}},
			"replicas": map[string]any{"definition": "replicas", "destination": map[string]any{"env": "REPLICAS"}, "applyTo": []string{"install", "upgrade"}},
			"hostname": map[string]any{"definition": "hostname", "required": true, "destination": map[string]any{"path": "/cnab/app/params/hostname"}},
		},
		"outputs": map[string]any{
			"url": map[string]any{"definition": "url", "path": "/cnab/app/outputs/url", "applyTo": []string{"install", "upgrade"}},
		},
		"custom": map[string]any{
			"io.example.tool": map[string]any{"built-by": "benchdata", "seq": i},
		},
	}
	out, err := json.MarshalIndent(b, "", "\t")
	if err != nil {
		panic(err) // the value above always marshals
	}
	return append(out, '\n')
}

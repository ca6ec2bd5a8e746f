package jsontree

import "encoding/json"

// Interning the strings every CNAB document repeats saves an allocation per
// occurrence. The table is built once at init and only read afterwards, so it
// is safe for concurrent decoders.
func init() {
	words := []string{
		"schemaVersion", "name", "version", "description", "keywords", "maintainers", "email", "url",
		"invocationImages", "images", "image", "imageType", "contentDigest", "size", "mediaType", "labels",
		"oci", "docker", "actions", "modifies", "stateless", "title", "parameters", "credentials", "outputs",
		"definitions", "definition", "destination", "env", "path", "required", "applyTo", "default", "type",
		"string", "integer", "number", "boolean", "object", "array", "null", "enum", "minimum", "maximum",
		"minLength", "maxLength", "pattern", "properties", "items", "additionalProperties", "custom",
		"requiredExtensions", "license", "writeOnly", "readOnly", "format", "install", "upgrade", "uninstall",
		"io.cnab.dependencies", "io.cnab.parameter-sources", "requires", "sequence", "bundle", "ranges",
		"prereleases", "priority", "sources", "output", "id", "installation", "revision", "action", "created",
		"bundleReference", "claimId", "status", "message", "components", "os", "architecture",
		"application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
		"v1.0.0", "v1.1.0", "v1.2.0", "v1", "v1.0.0-WD", "v1.0.1", "amd64", "linux", "true", "false",
		"succeeded", "failed", "pending", "running", "unknown", "canceled", "cancelled",
	}
	for _, w := range words {
		slot := internSlot(len(w), w[0], w[len(w)-1])
		internTable[slot] = append(internTable[slot], internEntry{w, w})
	}
}

// internTable finds interned words by length and first and last byte,
// cheaper than hashing the whole string; the boxed form saves the
// allocation Go makes when a string becomes an interface value.
var internTable [1 << 12][]internEntry

type internEntry struct {
	s   string
	box any
}

func internSlot(n int, first, last byte) int {
	return (n&63)<<6 ^ int(first&63) ^ int(last&63)<<3
}

func internLookup(b []byte) *internEntry {
	if len(b) == 0 || len(b) > 48 {
		return nil
	}
	list := internTable[internSlot(len(b), b[0], b[len(b)-1])]
	for i := range list {
		if list[i].s == string(b) { // no allocation: comparison of a []byte conversion
			return &list[i]
		}
	}
	return nil
}

var smallNumbers = func() [256]any {
	var t [256]any
	for i := range t {
		t[i] = json.Number(itoa(i))
	}
	return t
}()

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// internNumber shares the literals 0..255, frequent in sizes and bounds,
// already boxed; it is nil for other literals.
func internNumber(b []byte) any {
	if len(b) <= 3 {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return nil
			}
			n = n*10 + int(c-'0')
		}
		if n < 256 && (len(b) == 1 || b[0] != '0') {
			return smallNumbers[n]
		}
	}
	return nil
}

package canonical

import "encoding/json"

// Marshal encodes v with encoding/json and returns its canonical form, for
// tools that build a bundle in Go and must push or sign its canonical bytes.
func Marshal(v any, mode Mode) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonicalize(b, mode)
}

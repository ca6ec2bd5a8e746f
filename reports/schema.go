package reports

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"
)

// ResultsSchema is the JSON schema of results.json (draft-07), published
// with the suite so that anyone can validate a results file without it.
//
//go:embed results.schema.json
var ResultsSchema []byte

var (
	schemaOnce sync.Once
	schema     *gojsonschema.Schema
	schemaErr  error
)

// compiled returns the results schema, compiled once per process.
func compiled() (*gojsonschema.Schema, error) {
	schemaOnce.Do(func() {
		schema, schemaErr = gojsonschema.NewSchema(gojsonschema.NewBytesLoader(ResultsSchema))
	})
	return schema, schemaErr
}

// SchemaError lists every way a document breaks the results schema.
type SchemaError struct {
	Problems []string // "field: description"
}

func (e *SchemaError) Error() string {
	const show = 10
	p := e.Problems
	more := ""
	if len(p) > show {
		more = fmt.Sprintf("\n  ... and %d more", len(p)-show)
		p = p[:show]
	}
	return "results do not match the results schema " + SchemaVersion + ":\n  " + strings.Join(p, "\n  ") + more
}

// ValidateJSON checks a results.json document against the results schema.
// The error is a *SchemaError when the document is JSON but does not match.
func ValidateJSON(data []byte) error {
	s, err := compiled()
	if err != nil {
		return fmt.Errorf("results schema: %w", err)
	}
	res, err := s.Validate(gojsonschema.NewBytesLoader(data))
	if err != nil {
		return fmt.Errorf("results are not JSON: %w", err)
	}
	if res.Valid() {
		return nil
	}
	se := &SchemaError{}
	for _, e := range res.Errors() {
		se.Problems = append(se.Problems, e.Field()+": "+e.Description())
	}
	return se
}

// IsSchemaError reports whether err says a document breaks the schema.
func IsSchemaError(err error) bool {
	var se *SchemaError
	return errors.As(err, &se)
}

package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// Writer receives results in input order; Flush ends the output.
type Writer interface {
	Write(r validator.Result) error
	Flush() error
}

// Options shared by the writers.
type Options struct {
	FailOn validator.Severity // junit marks a file failed at or above this
	Tool   string             // tool name; default "cnab-validate"
	// Version of the tool, for SARIF.
	Version string
}

// Formats lists the format names New accepts.
var Formats = []string{"text", "json", "junit", "sarif", "github"}

// New returns the writer for format.
func New(format string, w io.Writer, o Options) (Writer, error) {
	if o.Tool == "" {
		o.Tool = "cnab-validate"
	}
	switch format {
	case "text", "":
		return &textWriter{w: w}, nil
	case "json":
		return &jsonWriter{w: w}, nil
	case "junit":
		return &junitWriter{w: w, o: o}, nil
	case "sarif":
		return &sarifWriter{w: w, o: o}, nil
	case "github":
		return &githubWriter{w: w}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(Formats, ", "))
}

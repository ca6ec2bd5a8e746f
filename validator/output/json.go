package output

import (
	"encoding/json"
	"io"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// jsonFinding always carries every field, so consumers need no defaults.
type jsonFinding struct {
	File     string `json:"file"`
	Pointer  string `json:"pointer"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
	URL      string `json:"url"`
}

// jsonWriter prints one object {"findings": [...]} at Flush.
type jsonWriter struct {
	w        io.Writer
	findings []jsonFinding
}

func (j *jsonWriter) Write(r validator.Result) error {
	for _, f := range r.Findings {
		j.findings = append(j.findings, jsonFinding{File: f.File, Pointer: f.Pointer, Line: f.Line, Column: f.Column,
			Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message, Hint: f.Hint, URL: f.URL})
	}
	return nil
}

func (j *jsonWriter) Flush() error {
	if j.findings == nil {
		j.findings = []jsonFinding{}
	}
	enc := json.NewEncoder(j.w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Findings []jsonFinding `json:"findings"`
	}{j.findings})
}

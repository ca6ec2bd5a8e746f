package output

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// sarifWriter writes one SARIF 2.1.0 log with one run; every rule that
// appears in a result is described in the driver's rules.
type sarifWriter struct {
	w       io.Writer
	o       Options
	results []sarifResult
	rules   map[string]bool
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
	FullDescription  sarifMessage `json:"fullDescription"`
	HelpURI          string       `json:"helpUri,omitempty"`
	Help             sarifMessage `json:"help"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

func sarifLevel(s validator.Severity) string {
	switch s {
	case validator.Error:
		return "error"
	case validator.Warning:
		return "warning"
	}
	return "note"
}

func (s *sarifWriter) Write(r validator.Result) error {
	if s.rules == nil {
		s.rules = map[string]bool{}
	}
	for _, f := range r.Findings {
		s.rules[f.Rule] = true
		msg := f.Message
		if f.Hint != "" {
			msg += " Hint: " + f.Hint
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: f.File}}}
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
		}
		if f.Pointer != "" {
			loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: f.Pointer, Kind: "member"}}
		}
		s.results = append(s.results, sarifResult{RuleID: f.Rule, Level: sarifLevel(f.Severity),
			Message: sarifMessage{Text: msg}, Locations: []sarifLocation{loc}})
	}
	return nil
}

func (s *sarifWriter) Flush() error {
	ids := make([]string, 0, len(s.rules))
	for id := range s.rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, 0, len(ids))
	for _, id := range ids {
		sr := sarifRule{ID: id, ShortDescription: sarifMessage{Text: id}, FullDescription: sarifMessage{Text: id}, Help: sarifMessage{Text: id}}
		if cr, ok := catalog.Lookup(id); ok {
			sr.ShortDescription.Text = cr.Title
			sr.FullDescription.Text = cr.Text
			sr.HelpURI = cr.Link
			sr.Help.Text = cr.Fix
			if sr.Help.Text == "" {
				sr.Help.Text = cr.Text
			}
		}
		rules = append(rules, sr)
	}
	if s.results == nil {
		s.results = []sarifResult{}
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{Name: s.o.Tool, Version: s.o.Version,
				InformationURI: "https://github.com/cnab-conformance/cnab-conformance", Rules: rules}},
			Results: s.results,
		}},
	}
	enc := json.NewEncoder(s.w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

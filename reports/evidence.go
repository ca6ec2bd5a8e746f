package reports

import (
	"encoding/json"
	"time"
)

// EvidenceEntry is the name of the Ginkgo report entry under which a check
// attaches its Evidence (ginkgo.AddReportEntry(EvidenceEntry, ev)). The
// results writer collects these per spec.
const EvidenceEntry = "cnab-evidence"

// Evidence is what a verdict rests on. Every field is optional; a check fills
// in what it looked at.
type Evidence struct {
	Commands         []CommandRun      `json:"commands,omitempty"`
	RegistryRequests []RegistryRequest `json:"registryRequests,omitempty"`
	ContainerCreates []json.RawMessage `json:"containerCreates,omitempty"` // create requests as recorded by the Docker proxy
	Probe            json.RawMessage   `json:"probe,omitempty"`            // what the probe invocation image observed
	Notes            []string          `json:"notes,omitempty"`            // tolerated deviations, fallbacks taken
}

// CommandRun is one tool command the suite ran.
type CommandRun struct {
	Operation string        `json:"operation"`
	Command   string        `json:"command"`
	ExitCode  int           `json:"exitCode"`
	TimedOut  bool          `json:"timedOut,omitempty"`
	Duration  time.Duration `json:"duration"`
	Stdout    string        `json:"stdout,omitempty"` // excerpt
	Stderr    string        `json:"stderr,omitempty"` // excerpt
}

// RegistryRequest is one request a recording registry saw.
type RegistryRequest struct {
	Seq        int       `json:"seq"`
	Registry   string    `json:"registry"` // source or destination
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Repository string    `json:"repository,omitempty"`
	Reference  string    `json:"reference,omitempty"` // tag or digest
	MediaType  string    `json:"mediaType,omitempty"`
	Size       int64     `json:"size,omitempty"`
	Status     int       `json:"status"`
	Time       time.Time `json:"time"`
}

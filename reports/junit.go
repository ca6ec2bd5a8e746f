package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnit report shape. Test names are the checks' stable names (no labels,
// no node types), grouped in one testsuite per profile; rule IDs, level and
// status are testcase properties. Skip, Disabled and NotApplicable all
// become <skipped> (the status attribute and property tell them apart); Error becomes <error>, Fail
// <failure>. Suite errors are testcases of a "suite" testsuite.

// JUnitTestSuites is the root element.
type JUnitTestSuites struct {
	XMLName    xml.Name         `xml:"testsuites"`
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Disabled   int              `xml:"disabled,attr"`
	Time       string           `xml:"time,attr"`
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	TestSuites []JUnitTestSuite `xml:"testsuite"`
}

// JUnitTestSuite is one profile.
type JUnitTestSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr,omitempty"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Disabled   int             `xml:"disabled,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	TestCases  []JUnitTestCase `xml:"testcase"`
}

// JUnitProperty is a name/value pair.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitTestCase is one check.
type JUnitTestCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Status     string          `xml:"status,attr,omitempty"`
	Time       string          `xml:"time,attr"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Skipped    *JUnitMessage   `xml:"skipped,omitempty"`
	Failure    *JUnitMessage   `xml:"failure,omitempty"`
	Error      *JUnitMessage   `xml:"error,omitempty"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

// JUnitMessage is a skipped, failure or error element.
type JUnitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// ToJUnit converts results to the JUnit document.
func ToJUnit(r Results) JUnitTestSuites {
	root := JUnitTestSuites{Name: "cnab-conformance", Time: seconds(r.Duration), Timestamp: timestamp(r.StartTime)}
	byProfile := map[string]*JUnitTestSuite{}
	var order []string
	for _, c := range r.Checks {
		p := c.Profile
		if p == "" {
			p = "unprofiled"
		}
		ts, ok := byProfile[p]
		if !ok {
			ts = &JUnitTestSuite{Name: p, Package: "cnab-conformance", Timestamp: timestamp(r.StartTime)}
			byProfile[p] = ts
			order = append(order, p)
		}
		ts.TestCases = append(ts.TestCases, junitCase(p, c))
	}
	var total time.Duration
	for _, p := range SortProfiles(order) {
		ts := byProfile[p]
		var d time.Duration
		for _, c := range r.Checks {
			if c.Profile == p || (c.Profile == "" && p == "unprofiled") {
				d += c.Duration
			}
		}
		total += d
		ts.Time = seconds(d)
		ts.Properties = runProperties(r)
		if v, ok := r.Verdict(p); ok {
			ts.Properties = append(ts.Properties,
				JUnitProperty{"verdict", verdictWord(v.Certified)},
				JUnitProperty{"must", fmt.Sprintf("%d/%d", v.MustPassed, v.Must)})
		}
		for _, tc := range ts.TestCases {
			ts.Tests++
			switch tc.Status {
			case string(StatusFail):
				ts.Failures++
			case string(StatusError):
				ts.Errors++
			case string(StatusSkip), string(StatusNotApplicable):
				ts.Skipped++
			case string(StatusDisabled):
				ts.Disabled++
				ts.Skipped++
			}
		}
		root.TestSuites = append(root.TestSuites, *ts)
	}
	if len(r.SuiteErrors) > 0 {
		ts := JUnitTestSuite{Name: "suite", Package: "cnab-conformance", Time: "0", Timestamp: timestamp(r.StartTime)}
		for i, e := range r.SuiteErrors {
			tc := JUnitTestCase{Name: fmt.Sprintf("[%s] #%d", e.Node, i+1), Classname: "suite", Status: string(StatusError), Time: "0"}
			body := e.Message
			if e.Location != "" {
				body += "\n" + e.Location
			}
			tc.Error = &JUnitMessage{Message: headline(e.Message), Type: e.Node, Body: body}
			ts.TestCases = append(ts.TestCases, tc)
			ts.Tests++
			ts.Errors++
		}
		root.TestSuites = append(root.TestSuites, ts)
	}
	for _, ts := range root.TestSuites {
		root.Tests += ts.Tests
		root.Failures += ts.Failures
		root.Errors += ts.Errors
		root.Skipped += ts.Skipped
		root.Disabled += ts.Disabled
	}
	if r.Duration == 0 {
		root.Time = seconds(total)
	}
	return root
}

func junitCase(profile string, c Check) JUnitTestCase {
	tc := JUnitTestCase{Name: c.Name, Classname: profile, Status: string(c.Status), Time: seconds(c.Duration)}
	for _, id := range c.Rules {
		tc.Properties = append(tc.Properties, JUnitProperty{"rule", id})
	}
	tc.Properties = append(tc.Properties, JUnitProperty{"level", c.Level}, JUnitProperty{"status", string(c.Status)})
	if c.Location != "" {
		tc.Properties = append(tc.Properties, JUnitProperty{"location", c.Location})
	}
	switch c.Status {
	case StatusSkip, StatusDisabled, StatusNotApplicable:
		tc.Skipped = &JUnitMessage{Message: strings.TrimSpace(string(c.Status) + ": " + c.Reason)}
	case StatusFail, StatusError:
		m := &JUnitMessage{Type: string(c.Status)}
		var body strings.Builder
		if c.Failure != nil {
			m.Message = headline(c.Failure.Message)
			body.WriteString(c.Failure.Message)
			if c.Failure.Node != "" {
				fmt.Fprintf(&body, "\nin %s", c.Failure.Node)
			}
			if c.Failure.Location != "" {
				fmt.Fprintf(&body, "\nat %s", c.Failure.Location)
			}
			for _, a := range c.Failure.Additional {
				fmt.Fprintf(&body, "\nalso: %s", a)
			}
		}
		if m.Message == "" {
			m.Message = c.Reason
		}
		if c.Status == StatusError && c.Reason != "" && !strings.Contains(body.String(), c.Reason) {
			if body.Len() > 0 {
				body.WriteString("\n")
			}
			body.WriteString(c.Reason)
		}
		m.Body = body.String()
		if c.Status == StatusFail {
			tc.Failure = m
		} else {
			tc.Error = m
		}
		tc.SystemOut = c.Output
	}
	return tc
}

func runProperties(r Results) []JUnitProperty {
	props := []JUnitProperty{
		{"runId", r.RunID},
		{"suite.version", r.Suite.Version},
		{"suite.conformanceVersion", r.Suite.ConformanceVersion},
		{"specVersion", r.SpecVersion},
		{"tool.name", r.Tool.Name},
		{"tool.version", r.Tool.Version},
	}
	if r.Suite.Commit != "" {
		props = append(props, JUnitProperty{"suite.commit", r.Suite.Commit})
	}
	return props
}

// WriteJUnit writes the JUnit XML report.
func WriteJUnit(w io.Writer, r Results) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(ToJUnit(r)); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	buf.WriteString("\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// ParseJUnit reads a JUnit report written by WriteJUnit (or any JUnit file
// of the same shape).
func ParseJUnit(data []byte) (JUnitTestSuites, error) {
	var j JUnitTestSuites
	if err := xml.Unmarshal(data, &j); err != nil {
		return JUnitTestSuites{}, fmt.Errorf("decode junit: %w", err)
	}
	return j, nil
}

// CaseStatus is the outcome a testcase records: the status attribute or
// property when present, else read from its child elements.
func (tc JUnitTestCase) CaseStatus() Status {
	if s := Status(tc.Status); s.Valid() {
		return s
	}
	for _, p := range tc.Properties {
		if p.Name == "status" && Status(p.Value).Valid() {
			return Status(p.Value)
		}
	}
	switch {
	case tc.Error != nil:
		return StatusError
	case tc.Failure != nil:
		return StatusFail
	case tc.Skipped != nil:
		return StatusSkip
	}
	return StatusPass
}

// ElementStatus is the outcome the testcase's child elements alone say
// (what a generic JUnit reader sees); Disabled and NotApplicable read as Skip.
func (tc JUnitTestCase) ElementStatus() Status {
	switch {
	case tc.Error != nil:
		return StatusError
	case tc.Failure != nil:
		return StatusFail
	case tc.Skipped != nil:
		return StatusSkip
	}
	return StatusPass
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

func verdictWord(certified bool) string {
	if certified {
		return "certified"
	}
	return "not certified"
}

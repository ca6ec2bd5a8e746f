package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// junitWriter makes one test case per file; the case fails when the file
// has findings at or above the fail-on severity, and every finding is listed
// in the failure text.
type junitWriter struct {
	w     io.Writer
	o     Options
	cases []junitCase
	fails int
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitWriter) Write(r validator.Result) error {
	c := junitCase{Name: r.File, Classname: "cnab-validate." + string(r.Kind)}
	if c.Classname == "cnab-validate." {
		c.Classname = "cnab-validate"
	}
	var text strings.Builder
	failing, firstRule := 0, ""
	for _, f := range r.Findings {
		fmt.Fprintf(&text, "%d:%d: %s %s: %s", f.Line, f.Column, f.Severity, f.Rule, f.Message)
		if f.Pointer != "" {
			fmt.Fprintf(&text, " (at %s)", f.Pointer)
		}
		text.WriteByte('\n')
		if f.Severity >= j.o.FailOn {
			failing++
			if firstRule == "" {
				firstRule = f.Rule
			}
		}
	}
	if failing > 0 {
		j.fails++
		c.Failure = &junitFailure{Message: fmt.Sprintf("%d finding(s) at or above %s", failing, j.o.FailOn), Type: firstRule, Text: text.String()}
	} else if text.Len() > 0 {
		c.SystemOut = text.String()
	}
	j.cases = append(j.cases, c)
	return nil
}

func (j *junitWriter) Flush() error {
	doc := junitSuites{Tests: len(j.cases), Failures: j.fails, Suites: []junitSuite{{
		Name: j.o.Tool, Tests: len(j.cases), Failures: j.fails, Cases: j.cases}}}
	if _, err := io.WriteString(j.w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(j.w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "\n")
	return err
}

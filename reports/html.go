package reports

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// report.html is one self-contained page: inline CSS, no scripts, no
// external assets, so it renders from an artifact download or an e-mail
// attachment and can be archived with a submission.
//
//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"lower":  func(s Status) string { return strings.ToLower(string(s)) },
	"join":   strings.Join,
	"dur":    formatDuration,
	"pretty": prettyJSON,
}).Parse(htmlSource))

// HTMLRunMeta is the name of the meta element that carries the run ID, so
// a verifier can match report.html to results.json.
const HTMLRunMeta = "cnab-conformance-run"

type htmlCheck struct {
	C      Check
	Anchor string
	Open   bool
	Links  []htmlLink
}

type htmlLink struct{ ID, URL string }

type htmlGroup struct {
	Profile string
	Checks  []htmlCheck
}

type htmlFailing struct {
	htmlCheck
	Message string
}

type htmlData struct {
	R       Results
	Start   string
	Groups  []htmlGroup
	Failing []htmlFailing
}

// WriteHTML writes report.html.
func WriteHTML(w io.Writer, r Results) error {
	d := htmlData{R: r, Start: r.StartTime.UTC().Format("2006-01-02 15:04:05 MST")}
	idx := map[string]int{}
	for i, c := range r.Checks {
		hc := htmlCheck{C: c, Anchor: fmt.Sprintf("check-%d", i+1), Open: c.Status == StatusFail || c.Status == StatusError}
		for _, id := range c.Rules {
			if rule, ok := catalog.Lookup(id); ok && strings.HasPrefix(rule.Link, "https://") {
				hc.Links = append(hc.Links, htmlLink{ID: id, URL: rule.Link})
			}
		}
		p := c.Profile
		if p == "" {
			p = "unprofiled"
		}
		gi, ok := idx[p]
		if !ok {
			gi = len(d.Groups)
			idx[p] = gi
			d.Groups = append(d.Groups, htmlGroup{Profile: p})
		}
		d.Groups[gi].Checks = append(d.Groups[gi].Checks, hc)
		if hc.Open {
			msg := c.Reason
			if c.Failure != nil && c.Failure.Message != "" {
				msg = headline(c.Failure.Message)
			}
			d.Failing = append(d.Failing, htmlFailing{htmlCheck: hc, Message: msg})
		}
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, d); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// formatDuration rounds for reading: milliseconds under a minute, seconds above.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

func prettyJSON(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// githubWriter prints GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request's files:
// ::error file=F,line=L,col=C,title=RULE::message
type githubWriter struct {
	w  io.Writer
	bw *bufio.Writer
}

var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func (g *githubWriter) Write(r validator.Result) error {
	if g.bw == nil {
		g.bw = bufio.NewWriter(g.w)
	}
	for _, f := range r.Findings {
		cmd := "notice"
		switch f.Severity {
		case validator.Error:
			cmd = "error"
		case validator.Warning:
			cmd = "warning"
		}
		props := "file=" + ghProperty.Replace(f.File)
		if f.Line > 0 {
			props += fmt.Sprintf(",line=%d,col=%d", f.Line, f.Column)
		}
		props += ",title=" + ghProperty.Replace(f.Rule)
		msg := f.Message
		if f.Pointer != "" {
			msg += " (at " + f.Pointer + ")"
		}
		if f.Hint != "" {
			msg += "\nHint: " + f.Hint
		}
		if _, err := fmt.Fprintf(g.bw, "::%s %s::%s\n", cmd, props, ghData.Replace(msg)); err != nil {
			return err
		}
	}
	return nil
}

func (g *githubWriter) Flush() error {
	if g.bw == nil {
		return nil
	}
	return g.bw.Flush()
}

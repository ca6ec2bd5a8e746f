package output

import (
	"bufio"
	"io"
	"strconv"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// textWriter prints "file:line:col: severity RULE: message" and an indented
// hint line, the shape compilers use so editors can jump to the spot.
type textWriter struct {
	w  io.Writer
	bw *bufio.Writer
}

func (t *textWriter) Write(r validator.Result) error {
	if t.bw == nil {
		t.bw = bufio.NewWriterSize(t.w, 64<<10)
	}
	var line []byte
	for _, f := range r.Findings {
		line = line[:0]
		line = append(line, f.File...)
		line = append(line, ':')
		line = strconv.AppendInt(line, int64(f.Line), 10)
		line = append(line, ':')
		line = strconv.AppendInt(line, int64(f.Column), 10)
		line = append(line, ": "...)
		line = append(line, f.Severity.String()...)
		line = append(line, ' ')
		line = append(line, f.Rule...)
		line = append(line, ": "...)
		line = append(line, f.Message...)
		if f.Pointer != "" {
			line = append(line, " (at "...)
			line = append(line, f.Pointer...)
			line = append(line, ')')
		}
		line = append(line, '\n')
		if f.Hint != "" {
			line = append(line, "    hint: "...)
			line = append(line, f.Hint...)
			line = append(line, '\n')
		}
		if _, err := t.bw.Write(line); err != nil {
			return err
		}
	}
	return nil
}

func (t *textWriter) Flush() error {
	if t.bw == nil {
		return nil
	}
	return t.bw.Flush()
}

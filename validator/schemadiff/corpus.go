package schemadiff

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Verdicts of a corpus document.
const (
	Valid   = "valid"
	Invalid = "invalid"
)

// Finding is what a Checker reports: the part of a validator finding a flip
// needs.
type Finding struct {
	Rule    string
	Pointer string
	Message string
	Error   bool // error severity: it makes the document invalid
}

// Checker validates one document under one side of the diff. side is the
// name the side was given (a spec version or a schema folder).
type Checker func(file string, data []byte, side string) ([]Finding, error)

// maxCorpusFile bounds the size of one corpus document read.
const maxCorpusFile = 10 << 20

// Corpus validates every *.json file under dir with check under oldSide and
// newSide, and returns the documents whose verdict differs (see flip for
// what a verdict is). Each flip names the error finding that caused it.
func Corpus(dir, oldSide, newSide string, check Checker) ([]Flip, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".expected.json") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var flips []Flip
	for _, p := range files {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.Size() > maxCorpusFile {
			return nil, fmt.Errorf("%s: larger than %d bytes", p, maxCorpusFile)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		before, err := check(rel, data, oldSide)
		if err != nil {
			return nil, fmt.Errorf("%s under %s: %w", rel, oldSide, err)
		}
		after, err := check(rel, data, newSide)
		if err != nil {
			return nil, fmt.Errorf("%s under %s: %w", rel, newSide, err)
		}
		if f, ok := flip(rel, before, after); ok {
			flips = append(flips, f)
		}
	}
	return flips, nil
}

func findingKey(f Finding) string { return f.Rule + "\x00" + f.Pointer }

// flip compares the two sides' error findings. Errors both sides report (same
// rule at the same pointer) are set aside: the schema change cannot be blamed
// for them, and they would hide the flip (a 2019 bundle fails today's
// semantic rules under both drafts). A side is then invalid when it has an
// error of its own; the flip names the first such error.
func flip(file string, before, after []Finding) (Flip, bool) {
	errs := func(fs []Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			if f.Error {
				m[findingKey(f)] = true
			}
		}
		return m
	}
	eb, ea := errs(before), errs(after)
	own := func(fs []Finding, other map[string]bool) (Finding, bool) {
		for _, f := range fs {
			if f.Error && !other[findingKey(f)] {
				return f, true
			}
		}
		return Finding{}, false
	}
	cb, badBefore := own(before, ea)
	ca, badAfter := own(after, eb)
	if badBefore == badAfter {
		return Flip{}, false
	}
	fl := Flip{File: file, Before: Valid, After: Invalid}
	cause := ca
	if badBefore {
		fl.Before, fl.After, cause = Invalid, Valid, cb
	}
	fl.Rule = cause.Rule
	fl.Message = cause.Message
	if cause.Pointer != "" {
		fl.Message = cause.Pointer + ": " + cause.Message
	}
	return fl, true
}

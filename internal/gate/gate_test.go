package gate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	head = "1111111111111111111111111111111111111111"
	old  = "0000000000000000000000000000000000000000"
)

var testMaintainers = []Maintainer{
	{Name: "Ada", Handle: "ada"},
	{Name: "Bo", Handle: "Bo"},
	{Name: "Cy", Handle: "cy"},
}

// rv builds a review submitted `minute` minutes into the day.
func rv(login, state, commit string, minute int) Review {
	return Review{
		User:        user{Login: login},
		State:       state,
		CommitID:    commit,
		SubmittedAt: time.Date(2026, 11, 1, 10, minute, 0, 0, time.UTC),
	}
}

func TestEvaluate(t *testing.T) {
	cases := []struct {
		name       string
		reviews    []Review
		author     string
		required   int
		allowStale bool
		pass       bool
		counted    []string
		blocking   []string
	}{
		{
			name:    "two maintainers approve the head",
			reviews: []Review{rv("ada", Approved, head, 1), rv("bo", Approved, head, 2)},
			pass:    true, counted: []string{"ada", "bo"},
		},
		{
			name:    "one approval is not enough",
			reviews: []Review{rv("ada", Approved, head, 1)},
			counted: []string{"ada"},
		},
		{
			name:    "the same maintainer approving twice counts once",
			reviews: []Review{rv("ada", Approved, head, 1), rv("ada", Approved, head, 2)},
			counted: []string{"ada"},
		},
		{
			name:    "non-maintainer approvals do not count",
			reviews: []Review{rv("ada", Approved, head, 1), rv("stranger", Approved, head, 2)},
			counted: []string{"ada"},
		},
		{
			name:    "the author's own approval never counts",
			author:  "bo",
			reviews: []Review{rv("ada", Approved, head, 1), rv("bo", Approved, head, 2)},
			counted: []string{"ada"},
		},
		{
			name:    "author compared case-insensitively",
			author:  "BO",
			reviews: []Review{rv("ada", Approved, head, 1), rv("bo", Approved, head, 2)},
			counted: []string{"ada"},
		},
		{
			name:    "handles compared case-insensitively",
			reviews: []Review{rv("ADA", Approved, head, 1), rv("bo", Approved, head, 2)},
			pass:    true, counted: []string{"ADA", "bo"},
		},
		{
			name:     "changes requested blocks even with enough approvals",
			reviews:  []Review{rv("ada", Approved, head, 1), rv("bo", Approved, head, 2), rv("cy", ChangesRequested, head, 3)},
			counted:  []string{"ada", "bo"},
			blocking: []string{"cy"},
		},
		{
			name:    "a later approval supersedes requested changes",
			reviews: []Review{rv("cy", ChangesRequested, old, 1), rv("ada", Approved, head, 2), rv("cy", Approved, head, 3)},
			pass:    true, counted: []string{"cy", "ada"},
		},
		{
			name:     "a later comment does not lift requested changes",
			reviews:  []Review{rv("cy", ChangesRequested, head, 1), rv("ada", Approved, head, 2), rv("bo", Approved, head, 3), rv("cy", Commented, head, 4)},
			counted:  []string{"ada", "bo"},
			blocking: []string{"cy"},
		},
		{
			name:    "a later comment keeps an approval",
			reviews: []Review{rv("ada", Approved, head, 1), rv("ada", Commented, head, 2), rv("bo", Approved, head, 3)},
			pass:    true, counted: []string{"ada", "bo"},
		},
		{
			name:    "a dismissed review is removed",
			reviews: []Review{rv("ada", Approved, head, 1), rv("bo", Approved, head, 2), rv("bo", Dismissed, head, 3)},
			counted: []string{"ada"},
		},
		{
			name:    "dismissed requested changes no longer block",
			reviews: []Review{rv("cy", ChangesRequested, head, 1), rv("cy", Dismissed, head, 2), rv("ada", Approved, head, 3), rv("bo", Approved, head, 4)},
			pass:    true, counted: []string{"ada", "bo"},
		},
		{
			name:    "stale approvals do not count by default",
			reviews: []Review{rv("ada", Approved, old, 1), rv("bo", Approved, head, 2)},
			counted: []string{"bo"},
		},
		{
			name:       "stale approvals count with allow-stale",
			reviews:    []Review{rv("ada", Approved, old, 1), rv("bo", Approved, head, 2)},
			allowStale: true,
			pass:       true, counted: []string{"ada", "bo"},
		},
		{
			name:     "requested changes on an old commit still block",
			reviews:  []Review{rv("cy", ChangesRequested, old, 1), rv("ada", Approved, head, 2), rv("bo", Approved, head, 3)},
			counted:  []string{"ada", "bo"},
			blocking: []string{"cy"},
		},
		{
			name:     "required can be raised",
			reviews:  []Review{rv("ada", Approved, head, 1), rv("bo", Approved, head, 2)},
			required: 3,
			counted:  []string{"ada", "bo"},
		},
		{
			name:     "required can be lowered",
			reviews:  []Review{rv("ada", Approved, head, 1)},
			required: 1,
			pass:     true, counted: []string{"ada"},
		},
		{
			name:    "pending draft reviews are ignored",
			reviews: []Review{rv("ada", Approved, head, 1), rv("bo", Pending, head, 2)},
			counted: []string{"ada"},
		},
		{
			name: "reviews are ordered by submission time, not file order",
			// cy's approval at minute 5 supersedes the request at minute 1
			reviews: []Review{rv("cy", Approved, head, 5), rv("ada", Approved, head, 2), rv("cy", ChangesRequested, head, 1)},
			pass:    true, counted: []string{"cy", "ada"},
		},
		{
			name:    "no reviews",
			counted: nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Evaluate(Input{Maintainers: testMaintainers, Reviews: tc.reviews, Author: tc.author, Head: head, Required: tc.required, AllowStale: tc.allowStale})
			if d.Pass != tc.pass {
				t.Errorf("pass = %v, want %v (%s)", d.Pass, tc.pass, d.Verdict())
			}
			if got := logins(d.Counted); strings.Join(got, ",") != strings.Join(tc.counted, ",") {
				t.Errorf("counted = %v, want %v", got, tc.counted)
			}
			if got := logins(d.Blocking); strings.Join(got, ",") != strings.Join(tc.blocking, ",") {
				t.Errorf("blocking = %v, want %v", got, tc.blocking)
			}
			if d.Approvals != len(d.Counted) {
				t.Errorf("approvals = %d, counted %d", d.Approvals, len(d.Counted))
			}
			// Everyone who reviewed is accounted for exactly once.
			seen := map[string]bool{}
			for _, r := range append(append(append([]Reason{}, d.Counted...), d.Blocking...), d.NotCounted...) {
				if seen[strings.ToLower(r.Login)] {
					t.Errorf("%s appears twice in the decision", r.Login)
				}
				seen[strings.ToLower(r.Login)] = true
				if r.Reason == "" {
					t.Errorf("%s has no reason", r.Login)
				}
			}
			for _, r := range tc.reviews {
				if !seen[strings.ToLower(r.User.Login)] {
					t.Errorf("reviewer %s is missing from the decision", r.User.Login)
				}
			}
		})
	}
}

func logins(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Login)
	}
	return out
}

func TestParseMaintainers(t *testing.T) {
	cases := []struct {
		file    string
		handles []string
		errLine int
		errHas  string
	}{
		{file: "maintainers.md", handles: []string{"ada-ex", "BoSample", "cyfix"}},
		{file: "maintainers-empty.md", handles: nil},
		{file: "maintainers-badrow.md", errLine: 6, errHas: "2 cells, the header has 3"},
		{file: "maintainers-dup.md", errLine: 6, errHas: "listed twice (first on line 5)"},
		{file: "maintainers-nosection.md", errHas: `no "## Maintainers" section`},
		{file: "maintainers-badheader.md", errLine: 3, errHas: `lacks the "github" column`},
		{file: "maintainers-dupheader.md", errLine: 3, errHas: `names the "GitHub" column twice`},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ms, err := ParseMaintainers(tc.file, f)
			if tc.errHas != "" {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("err = %v, want a ParseError containing %q", err, tc.errHas)
				}
				if pe.Line != tc.errLine || !strings.Contains(pe.Msg, tc.errHas) {
					t.Fatalf("err = %v, want line %d and %q", err, tc.errLine, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Handle)
			}
			if strings.Join(got, ",") != strings.Join(tc.handles, ",") {
				t.Fatalf("handles = %v, want %v (emeritus must not count)", got, tc.handles)
			}
		})
	}
}

func TestParseReviews(t *testing.T) {
	cases := []struct {
		name    string
		data    string
		errLine int
		errHas  string
	}{
		{name: "ok", data: `[{"id":1,"user":{"login":"a"},"state":"APPROVED","commit_id":"x","submitted_at":"2026-01-01T00:00:00Z"}]`},
		{name: "empty list", data: `[]`},
		{name: "trailing comma", data: "[\n{\"id\":1},\n]", errLine: 3, errHas: "malformed JSON"},
		{name: "not a list", data: "{\n\"id\": 1}", errLine: 1, errHas: "unexpected JSON object"},
		{name: "wrong type", data: "[\n{\"id\": \"one\"}]", errLine: 2, errHas: "unexpected JSON string"},
		{name: "unknown state", data: `[{"id":1,"user":{"login":"a"},"state":"LGTM","commit_id":"x","submitted_at":"2026-01-01T00:00:00Z"}]`, errHas: `unknown state "LGTM"`},
		{name: "no login", data: `[{"id":1,"state":"APPROVED","submitted_at":"2026-01-01T00:00:00Z"}]`, errHas: "no user.login"},
		{name: "no time", data: `[{"id":1,"user":{"login":"a"},"state":"APPROVED"}]`, errHas: "no submitted_at"},
		{name: "empty file", data: ``, errHas: "malformed JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseReviews("r.json", []byte(tc.data))
			if tc.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(pe.Msg, tc.errHas) || (tc.errLine != 0 && pe.Line != tc.errLine) {
				t.Fatalf("err = %v, want line %d and %q", err, tc.errLine, tc.errHas)
			}
		})
	}
}

// The parsers read files users hand in; whatever the bytes, they return a
// value or a ParseError, never panic.
func FuzzParseReviews(f *testing.F) {
	for _, name := range []string{"reviews-pass.json", "reviews-one.json", "reviews-malformed.json", "pr.json"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ParseReviews("f.json", data); err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a ParseError: %v", err)
			}
		}
		_, _ = ParsePullRequest("f.json", data)
	})
}

func FuzzParseMaintainers(f *testing.F) {
	for _, name := range []string{"maintainers.md", "maintainers-empty.md", "maintainers-badrow.md", "maintainers-dup.md"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := ParseMaintainers("m.md", strings.NewReader(string(data)))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a ParseError: %v", err)
			}
			return
		}
		for _, m := range ms {
			if !validLogin(m.Handle) {
				t.Fatalf("accepted invalid handle %q", m.Handle)
			}
		}
	})
}

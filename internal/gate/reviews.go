package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Review states as the GitHub REST API spells them.
const (
	Approved         = "APPROVED"
	ChangesRequested = "CHANGES_REQUESTED"
	Commented        = "COMMENTED"
	Dismissed        = "DISMISSED"
	Pending          = "PENDING" // a draft review; never submitted, never counts
)

// Review is the part of a GitHub pull request review the gate reads.
type Review struct {
	ID          int64     `json:"id"`
	User        user      `json:"user"`
	State       string    `json:"state"`
	CommitID    string    `json:"commit_id"`
	SubmittedAt time.Time `json:"submitted_at"`
}

type user struct {
	Login string `json:"login"`
}

// PullRequest is the part of a GitHub pull request object the gate reads.
type PullRequest struct {
	User user `json:"user"`
	Head struct {
		SHA string `json:"sha"`
	} `json:"head"`
}

// ParseReviews reads a JSON array of reviews (GET /repos/O/R/pulls/N/reviews).
func ParseReviews(file string, data []byte) ([]Review, error) {
	var rs []Review
	if err := decodeJSON(file, data, &rs); err != nil {
		return nil, err
	}
	for i, r := range rs {
		if r.User.Login == "" {
			return nil, &ParseError{file, 0, fmt.Sprintf("review %d (id %d) has no user.login", i, r.ID)}
		}
		switch r.State {
		case Approved, ChangesRequested, Commented, Dismissed, Pending:
		default:
			return nil, &ParseError{file, 0, fmt.Sprintf("review %d (id %d) by %s has unknown state %q (want APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING)", i, r.ID, r.User.Login, r.State)}
		}
		if r.State != Pending && r.SubmittedAt.IsZero() {
			return nil, &ParseError{file, 0, fmt.Sprintf("review %d (id %d) by %s has no submitted_at", i, r.ID, r.User.Login)}
		}
	}
	return rs, nil
}

// ParsePullRequest reads a pull request object (GET /repos/O/R/pulls/N).
func ParsePullRequest(file string, data []byte) (PullRequest, error) {
	var pr PullRequest
	err := decodeJSON(file, data, &pr)
	return pr, err
}

// decodeJSON decodes strictly enough to catch garbage and turns syntax and
// type errors into a ParseError with the line they occur on.
func decodeJSON(file string, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &ParseError{file, lineOf(data, syn.Offset), "malformed JSON: " + syn.Error()}
	case errors.As(err, &typ):
		where := typ.Field
		if where == "" {
			where = "top level"
		}
		return &ParseError{file, lineOf(data, typ.Offset), fmt.Sprintf("unexpected JSON %s at %s (want %s)", typ.Value, where, typ.Type)}
	}
	return &ParseError{file, 0, "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

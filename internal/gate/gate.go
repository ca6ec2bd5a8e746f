package gate

import (
	"fmt"
	"sort"
	"strings"
)

// Input is everything the gate decides on.
type Input struct {
	Maintainers []Maintainer
	Reviews     []Review
	Author      string // pull request author's login
	Head        string // head commit SHA
	Required    int    // approvals needed; 0 means 2
	AllowStale  bool   // count approvals given on earlier commits
}

// Decision is the gate's verdict and the reasons behind it.
type Decision struct {
	Pass       bool     `json:"pass"`
	Required   int      `json:"required"`
	Approvals  int      `json:"approvals"`
	Counted    []Reason `json:"counted"`    // maintainers whose approval counts
	NotCounted []Reason `json:"notCounted"` // everyone else who reviewed, and why
	Blocking   []Reason `json:"blocking"`   // maintainers whose requested changes stand
}

// Reason explains one reviewer's part in the decision.
type Reason struct {
	Login  string `json:"login"`
	Reason string `json:"reason"`
}

// Verdict is the one-line summary.
func (d Decision) Verdict() string {
	names := func(rs []Reason) string {
		ls := make([]string, len(rs))
		for i, r := range rs {
			ls[i] = r.Login
		}
		return strings.Join(ls, ", ")
	}
	switch {
	case len(d.Blocking) > 0:
		return fmt.Sprintf("FAIL: changes requested by maintainer(s) %s; %d of %d required maintainer approvals", names(d.Blocking), d.Approvals, d.Required)
	case !d.Pass:
		return fmt.Sprintf("FAIL: %d of %d required maintainer approvals", d.Approvals, d.Required)
	}
	return fmt.Sprintf("PASS: %d of %d required maintainer approvals (%s)", d.Approvals, d.Required, names(d.Counted))
}

// Evaluate applies the review rule. Each maintainer counts once, by their
// latest review that changes state: APPROVED counts, CHANGES_REQUESTED blocks
// until a later review of theirs supersedes it, COMMENTED leaves the earlier
// state as it was, DISMISSED clears it. The author never counts. Unless
// AllowStale is set, only approvals of the head commit count.
func Evaluate(in Input) Decision {
	required := in.Required
	if required <= 0 {
		required = 2
	}
	maint := map[string]Maintainer{}
	for _, m := range in.Maintainers {
		maint[strings.ToLower(m.Handle)] = m
	}
	author := strings.ToLower(in.Author)

	// Reviews in the order they were submitted; the API already returns them
	// so, but saved files may not be, and ties keep their file order.
	reviews := append([]Review(nil), in.Reviews...)
	sort.SliceStable(reviews, func(i, j int) bool { return reviews[i].SubmittedAt.Before(reviews[j].SubmittedAt) })

	type state struct {
		login  string // as spelled in the latest review
		review *Review
	}
	latest := map[string]*state{}
	var order []string // first-review order, for stable output
	for i := range reviews {
		r := &reviews[i]
		key := strings.ToLower(r.User.Login)
		st, ok := latest[key]
		if !ok {
			st = &state{}
			latest[key] = st
			order = append(order, key)
		}
		st.login = r.User.Login
		switch r.State {
		case Approved, ChangesRequested:
			st.review = r
		case Dismissed:
			st.review = nil
		case Commented, Pending:
			// leaves the earlier state as it was
		}
	}

	d := Decision{Required: required, Counted: []Reason{}, NotCounted: []Reason{}, Blocking: []Reason{}}
	for _, key := range order {
		st := latest[key]
		_, isMaint := maint[key]
		r := st.review
		switch {
		case key == author:
			d.NotCounted = append(d.NotCounted, Reason{st.login, "is the pull request's author"})
		case !isMaint:
			d.NotCounted = append(d.NotCounted, Reason{st.login, "is not a maintainer listed in MAINTAINERS.md"})
		case r == nil:
			d.NotCounted = append(d.NotCounted, Reason{st.login, "has no standing approval (only comments, or their review was dismissed)"})
		case r.State == ChangesRequested:
			d.Blocking = append(d.Blocking, Reason{st.login, fmt.Sprintf("requested changes at %s on %s", r.SubmittedAt.UTC().Format("2006-01-02T15:04:05Z"), short(r.CommitID))})
		case r.CommitID != in.Head && !in.AllowStale:
			d.NotCounted = append(d.NotCounted, Reason{st.login, fmt.Sprintf("approved %s, not the head commit %s (re-approve, or pass --allow-stale)", short(r.CommitID), short(in.Head))})
		default:
			how := "approved the head commit"
			if r.CommitID != in.Head {
				how = fmt.Sprintf("approved %s (stale approvals allowed)", short(r.CommitID))
			}
			d.Counted = append(d.Counted, Reason{st.login, how})
		}
	}
	d.Approvals = len(d.Counted)
	d.Pass = d.Approvals >= required && len(d.Blocking) == 0
	return d
}

func short(sha string) string {
	if sha == "" {
		return "(no commit)"
	}
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

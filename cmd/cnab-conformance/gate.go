package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/internal/gate"
)

func init() {
	commands.Add(cli.Command{
		Name:    "gate",
		Summary: "merge gates: 'gate lgtm' checks a pull request has two maintainer approvals",
		Run:     runGate,
	})
}

const gateUsage = `Usage: cnab-conformance gate lgtm --maintainers MAINTAINERS.md --reviews reviews.json
         (--pr pr.json | --author LOGIN --head SHA) [--required N] [--allow-stale] [--format text|json]

Decides whether a pull request has LGTM from enough maintainers (default 2).

Inputs are saved GitHub REST API responses, so no token or network is needed:
  reviews.json   GET /repos/OWNER/REPO/pulls/N/reviews  (a list; user.login, state, commit_id, submitted_at)
  pr.json        GET /repos/OWNER/REPO/pulls/N          (user.login is the author, head.sha the head commit)
For example:
  gh api repos/OWNER/REPO/pulls/N/reviews > reviews.json
  gh api repos/OWNER/REPO/pulls/N > pr.json
  cnab-conformance gate lgtm --maintainers MAINTAINERS.md --reviews reviews.json --pr pr.json

Rules: each maintainer in the MAINTAINERS.md table counts once, by their latest review;
APPROVED counts; CHANGES_REQUESTED blocks until a later review of theirs supersedes it;
COMMENTED keeps their earlier state; DISMISSED clears it; the author's own approval never
counts; only approvals of the head commit count unless --allow-stale; logins compare
case-insensitively.

Exit status: 0 pass, 1 not enough approvals (or changes requested), 2 bad input.

Flags:
`

func runGate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "lgtm" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, gateUsage)
			return cli.ExitOK
		}
		fmt.Fprint(stderr, "cnab-conformance gate: the only gate is 'lgtm'\n\n"+gateUsage)
		return cli.ExitUsage
	}
	fs := flag.NewFlagSet("gate lgtm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	maintainers := fs.String("maintainers", "MAINTAINERS.md", "the maintainer table `file`")
	reviews := fs.String("reviews", "", "the pull request's reviews as `JSON` from the GitHub API")
	prFile := fs.String("pr", "", "the pull request object as `JSON` from the GitHub API")
	author := fs.String("author", "", "pull request author `login` (overrides --pr)")
	head := fs.String("head", "", "head commit `SHA` (overrides --pr)")
	required := fs.Int("required", 2, "maintainer approvals `N` needed")
	allowStale := fs.Bool("allow-stale", false, "count approvals given on earlier commits")
	format := fs.String("format", "text", "output `format`: text or json")
	fs.Usage = func() { fmt.Fprint(stderr, gateUsage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return cli.ExitOK
		}
		return cli.ExitUsage
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "cnab-conformance gate lgtm: "+format+"\n", a...)
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q (all inputs are flags; see -h)", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return bad("--format must be text or json, not %q", *format)
	}
	if *required < 1 {
		return bad("--required must be at least 1, not %d", *required)
	}
	if *reviews == "" {
		return bad("--reviews is required (the pull request's reviews as the GitHub API returns them)")
	}
	if *prFile == "" && (*author == "" || *head == "") {
		return bad("give --pr, or both --author and --head")
	}

	mf, err := os.Open(*maintainers)
	if err != nil {
		return bad("%v", err)
	}
	ms, err := gate.ParseMaintainers(*maintainers, mf)
	mf.Close()
	if err != nil {
		return bad("%v", err)
	}
	data, err := os.ReadFile(*reviews)
	if err != nil {
		return bad("%v", err)
	}
	rs, err := gate.ParseReviews(*reviews, data)
	if err != nil {
		return bad("%v", err)
	}
	in := gate.Input{Maintainers: ms, Reviews: rs, Required: *required, AllowStale: *allowStale}
	if *prFile != "" {
		data, err := os.ReadFile(*prFile)
		if err != nil {
			return bad("%v", err)
		}
		pr, err := gate.ParsePullRequest(*prFile, data)
		if err != nil {
			return bad("%v", err)
		}
		in.Author, in.Head = pr.User.Login, pr.Head.SHA
	}
	if *author != "" {
		in.Author = *author
	}
	if *head != "" {
		in.Head = *head
	}
	if in.Author == "" || in.Head == "" {
		return bad("the pull request's author (user.login) and head commit (head.sha) are both needed; %s lacks one (or pass --author/--head)", *prFile)
	}

	d := gate.Evaluate(in)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		out := struct {
			Verdict string `json:"verdict"`
			gate.Decision
		}{d.Verdict(), d}
		if err := enc.Encode(out); err != nil {
			return bad("%v", err)
		}
	} else {
		fmt.Fprintln(stdout, d.Verdict())
		for _, r := range d.Counted {
			fmt.Fprintf(stdout, "  counted:     %s %s\n", r.Login, r.Reason)
		}
		for _, r := range d.Blocking {
			fmt.Fprintf(stdout, "  blocking:    %s %s\n", r.Login, r.Reason)
		}
		for _, r := range d.NotCounted {
			fmt.Fprintf(stdout, "  not counted: %s %s\n", r.Login, r.Reason)
		}
		if len(ms) == 0 {
			fmt.Fprintf(stdout, "  note: %s lists no maintainers yet, so no approval can count\n", *maintainers)
		}
	}
	if !d.Pass {
		return cli.ExitFindings
	}
	return cli.ExitOK
}

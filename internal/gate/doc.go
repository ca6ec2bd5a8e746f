// Package gate decides whether a pull request may merge under the project's
// review rule: LGTM from at least two maintainers listed in MAINTAINERS.md,
// not counting the author. It reads the maintainer table and the pull
// request's reviews exactly as the GitHub REST API returns them, so CI can
// feed it saved API responses without any token or network access.
package gate

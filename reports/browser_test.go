package reports

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The HTML report is checked in a real headless browser: it must render,
// show the verdict and the failing checks. The screenshots are kept under
// reports/out/ (git-ignored) as test artifacts for people to look at.

const screenshotDir = "out"

// chromium finds a headless-capable Chromium. CHROMIUM overrides the search.
// Without one the test skips locally and fails in CI (CI=true), where
// .ci/run installs Debian's chromium package.
func chromium(t *testing.T) string {
	t.Helper()
	names := []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	if env := os.Getenv("CHROMIUM"); env != "" {
		names = []string{env}
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no Chromium found (tried %s) and CI=true: install Debian's chromium package (apt-get install -y chromium)", strings.Join(names, ", "))
	}
	t.Skipf("no Chromium found (tried %s): install Debian's chromium package (apt-get install -y chromium) to run the browser test", strings.Join(names, ", "))
	return ""
}

// runChromium runs one headless command and returns stdout.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
		"--no-first-run", "--disable-extensions", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, lastLines(stderr.String(), 20))
	}
	return stdout.Bytes()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	out, err := filepath.Abs(screenshotDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		r         Results
		certified bool
		// banner colour expected near the top of the page
		banner [3]uint8
	}{
		{"mixed", syntheticResults(), false, [3]uint8{0xcf, 0x22, 0x2e}},
		{"passing", passingResults(), true, [3]uint8{0x1a, 0x7f, 0x37}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := filepath.Join(out, "report-"+tt.name+".html")
			shot := filepath.Join(out, "report-"+tt.name+".png")
			if err := os.WriteFile(page, render(t, tt.r, "html", ""), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Remove(shot)
			url := "file://" + filepath.ToSlash(page)

			// One browser start renders the page, prints the DOM and takes the screenshot.
			dom := string(runChromium(t, bin, "--dump-dom", "--screenshot="+shot, "--window-size=1280,1600", url))
			verdict := regexp.MustCompile(`<div id="verdict" class="banner ([a-z-]+)" data-certified="(true|false)">\s*([A-Z ]+)`).FindStringSubmatch(dom)
			if verdict == nil {
				t.Fatalf("the rendered DOM has no verdict banner:\n%s", lastLines(dom, 5))
			}
			wantWord := "NOT CERTIFIED"
			if tt.certified {
				wantWord = "CERTIFIED"
			}
			if strings.TrimSpace(verdict[3]) != wantWord || verdict[2] != map[bool]string{true: "true", false: "false"}[tt.certified] {
				t.Errorf("banner says %q (data-certified=%s), want %q", verdict[3], verdict[2], wantWord)
			}
			for _, v := range tt.r.Verdicts {
				row := `<tr data-profile="` + v.Profile + `" data-certified="` + map[bool]string{true: "true", false: "false"}[v.Certified] + `">`
				if !strings.Contains(dom, row) {
					t.Errorf("profile row %s missing from the DOM", row)
				}
			}
			failing := tt.r.Failing()
			if got := strings.Count(dom, `data-status="Fail"`) + strings.Count(dom, `data-status="Error"`); got != len(failing) {
				t.Errorf("DOM shows %d failing or erroring checks, want %d", got, len(failing))
			}
			if len(failing) > 0 && !strings.Contains(dom, `id="failing"`) {
				t.Error("no failing-checks section in the DOM")
			}
			for _, c := range failing {
				if !strings.Contains(dom, htmlEscape(c.Name)) {
					t.Errorf("failing check %q not rendered", c.Name)
				}
			}

			f, err := os.Open(shot)
			if err != nil {
				t.Fatalf("no screenshot: %v", err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatalf("screenshot is not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 1600 {
				t.Errorf("screenshot is %dx%d, want 1280x1600", b.Dx(), b.Dy())
			}
			if !hasColour(img, image.Rect(0, 0, 1280, 300), tt.banner) {
				t.Errorf("the verdict banner colour %x is not in the top of the screenshot", tt.banner)
			}
			t.Logf("screenshot: %s", shot)
		})
	}
}

// hasColour reports whether some pixel in r has the colour c (within a small tolerance).
func hasColour(img image.Image, r image.Rectangle, c [3]uint8) bool {
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d > -6 && d < 6 }
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if near(cr, c[0]) && near(cg, c[1]) && near(cb, c[2]) {
				return true
			}
		}
	}
	return false
}

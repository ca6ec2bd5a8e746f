// Command benchcorpus writes the validator benchmark corpus, N bundle.json
// files of about 2 KB (see package benchdata), and optionally times a whole
// cnab-validate process on it:
//
//	go run ./validator/internal/benchcorpus -n 10000 -out DIR
//	go run ./validator/internal/benchcorpus -n 10000 -out DIR -run bin/cnab-validate -repeat 5
//
// With -run it reports, for the best of -repeat runs, files per second
// (wall clock), CPU time, and the peak resident set size of the process
// (getrusage of the child), and fails when the process exits non-zero or
// prints findings.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/cnab-conformance/cnab-conformance/validator/internal/benchdata"
)

func main() {
	n := flag.Int("n", 10000, "number of bundle files")
	out := flag.String("out", "", "folder to write (created if missing; files are rewritten)")
	run := flag.String("run", "", "cnab-validate binary to time on the folder")
	repeat := flag.Int("repeat", 3, "timed runs; the best is reported")
	flag.Parse()
	if *out == "" || *n < 1 || *repeat < 1 {
		fmt.Fprintln(os.Stderr, "usage: benchcorpus -n N -out DIR [-run BINARY [-repeat R]]")
		os.Exit(2)
	}
	if err := write(*n, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *run == "" {
		return
	}
	var best time.Duration
	var bestCPU, minCPU time.Duration
	var peak int64
	for range *repeat {
		wall, cpu, rss, err := timeRun(*run, *out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if best == 0 || wall < best {
			best, bestCPU = wall, cpu
		}
		if minCPU == 0 || cpu < minCPU {
			minCPU = cpu
		}
		peak = max(peak, rss)
	}
	fmt.Printf("cnab-validate on %d files (%d CPUs): %.0f files/s (best of %d: %.3f s wall, %.3f s CPU), peak RSS %.1f MB\n",
		*n, runtime.NumCPU(), float64(*n)/best.Seconds(), *repeat, best.Seconds(), bestCPU.Seconds(), float64(peak)/(1<<20))
	// On a shared machine wall time depends on the other load; CPU time per
	// file (user+sys, least of the runs) does not, and 2 cores fully used
	// give 2 s of CPU per second.
	nsPerFile := float64(minCPU.Nanoseconds()) / float64(*n)
	fmt.Printf("CPU per file: %.1f µs (least of %d runs: %.3f s user+sys); %d CPUs fully used would give %.0f files/s\n",
		nsPerFile/1e3, *repeat, minCPU.Seconds(), runtime.NumCPU(), float64(runtime.NumCPU())*1e9/nsPerFile)
}

func write(n int, out string) error {
	total := 0
	for i := range n {
		b := benchdata.Bundle(i)
		total += len(b)
		// 100 files per folder keeps directory listings short.
		dir := filepath.Join(out, fmt.Sprintf("%03d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("bundle-%05d.json", i)), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d files, %d bytes on average, to %s\n", n, total/n, out)
	return nil
}

// timeRun runs the binary once and returns wall time, CPU time and peak RSS.
func timeRun(bin, dir string) (time.Duration, time.Duration, int64, error) {
	cmd := exec.Command(bin, dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%s %s: %v\n%s%s", bin, dir, err, stdout.String(), stderr.String())
	}
	if stdout.Len() > 0 {
		return 0, 0, 0, fmt.Errorf("the benchmark corpus should be clean, but %s printed:\n%.2000s", bin, stdout.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return wall, 0, 0, nil
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, ru.Maxrss * 1024, nil // Maxrss is in KiB on Linux
}

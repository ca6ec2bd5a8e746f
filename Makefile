# cnab-conformance. `make conformance` runs the suite against the bundled
# reference tool; `make test` runs everything CI runs.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go
BIN := bin
REPORTS := reports/out
# Fuzz time per target for `make fuzz` (go test -fuzztime syntax).
FUZZTIME ?= 20s
BENCH_FILES ?= 10000

.PHONY: all build test test-unit test-suites conformance bench fuzz lint coverage clean

all: build

build:
	@mkdir -p $(BIN)
	$(GO) build -trimpath -o $(BIN)/ ./cmd/cnab-validate ./cmd/cnab-conformance
	$(GO) build -trimpath -o $(BIN)/cnab-ref ./fixtures/tools/reference
	CGO_ENABLED=0 GOOS=linux $(GO) build -trimpath -o $(BIN)/cnab-probe ./fixtures/tools/probe

# Everything CI runs: lint, unit tests (with -race), the validator corpus and
# the suites' self-test (reference tool + every mutant).
test: lint build test-unit test-suites

test-unit:
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/suites$$')

test-suites:
	$(GO) test -count=1 -timeout 15m ./suites/

# The main job: every profile against the reference tool, reports in reports/out/.
conformance: build
	@mkdir -p $(REPORTS)
	$(BIN)/cnab-conformance run --tool fixtures/adapters/reference.yaml \
		--profile smoke,registry,runtime,archive --report-dir $(REPORTS)

# Whole-process validator throughput (files/s, CPU, peak RSS) on a generated
# corpus of 2 KB bundles, then the in-process Go benchmarks.
bench:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/cnab-validate ./cmd/cnab-validate
	dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(GO) run ./validator/internal/benchcorpus -n $(BENCH_FILES) -out "$$dir" -run $(BIN)/cnab-validate -repeat 5
	$(GO) test ./validator/ ./validator/internal/jsontree/ -run '^$$' -bench . -benchmem -benchtime 2s

fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

coverage: build
	$(BIN)/cnab-conformance rules --coverage --format markdown > docs/coverage.md

clean:
	rm -rf $(BIN) $(REPORTS)

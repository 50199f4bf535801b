# ipcsim - build, run, test.
#
#   make run     install what is missing, build, run a lecture scenario with its diagrams
#   make test    build and run every test: unit (Criterion, simulator only), scenarios,
#                the host tests (tests/host/: differential vs host kernel, host backend,
#                comparer), `ipcsim check` of every scenario against the host kernel
#   make asan    the same tests under AddressSanitizer + UBSan, in build-asan/
#   make bench   simulator vs host kernel, as a ratio
#   make deps    apt-get install what a fresh Debian machine lacks (only where missing)
#
# Sources are found by wildcard: a new .c file needs no edit here.
# Put local overrides (CC, extra flags) in config.mak, not here.

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wundef -Wmissing-prototypes -Wstrict-prototypes \
           -Wno-unused-parameter
# json-c: the JSON of `ipcsim check --json` (a library, not a hand-rolled writer).
JSON_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null || echo -I/usr/include/json-c)
JSON_LIBS   := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -Isim $(JSON_CFLAGS) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS += $(EXTRA_LDFLAGS) $(JSON_LIBS)
-include config.mak

LIB_SRC   := $(sort $(wildcard sim/*/*.c))
CLI_SRC   := $(sort $(wildcard tools/cli/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c tests/lib/*.c))
HOST_SRC  := $(sort $(wildcard tests/host/*.c))
BENCH_SRC := $(sort $(wildcard tools/bench/*.c))
# The HTML trace's page: web/* embedded as C arrays (tools/embed.sh).
WEB_SRC   := web/trace.html web/trace.css web/trace_svg.js web/trace.js
GEN_OBJ   := $(BUILD)/gen/web_assets.o

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)
HOST_OBJ  := $(HOST_SRC:%.c=$(BUILD)/%.o)
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o)

LIB   := $(BUILD)/libipcsim.a
CLI   := $(BUILD)/ipcsim
UNIT  := $(BUILD)/tests/unit-tests
HOSTT := $(BUILD)/tests/host-tests
BENCH := $(BUILD)/bench

LECTURE ?= scenarios/msgrcv_table.scn

.PHONY: all deps run test test-unit test-scenarios test-interactive test-host test-check \
        test-trace test-browser test-golden golden asan bench clean

all: $(CLI)

deps:
	@missing=""; \
	for p in build-essential uthash-dev libcriterion-dev pkg-config libedit-dev tmux \
	         libjson-c-dev chromium; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi
	@# the HTML trace's browser test and the schema check: pinned by package-lock.json
	@[ -d tests/browser/node_modules/playwright-core ] || \
	  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

$(LIB): $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(CLI): $(CLI_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDFLAGS) -ledit

$(UNIT): $(UNIT_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(UNIT_OBJ) $(LIB) $(LDFLAGS) -lcriterion

$(HOSTT): $(HOST_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(HOST_OBJ) $(LIB) $(LDFLAGS) -lcriterion

$(BENCH): $(BENCH_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(BENCH_OBJ) $(LIB) $(LDFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/web_assets.c: $(WEB_SRC) tools/embed.sh
	@mkdir -p $(@D)
	sh tools/embed.sh $@ web_trace_html=web/trace.html web_trace_css=web/trace.css \
	  web_trace_svg_js=web/trace_svg.js web_trace_js=web/trace.js

$(GEN_OBJ): $(BUILD)/gen/web_assets.c
	$(CC) $(CFLAGS) -c -o $@ $<

run: deps $(CLI)
	./$(CLI) run --show=each $(LECTURE)

# The test command of the README.  Each part exits non-zero on failure.
test: deps test-unit test-scenarios test-golden test-interactive test-host test-check test-trace test-browser

test-unit: $(UNIT)
	./$(UNIT) --jobs 2

test-scenarios: $(CLI)
	BUILD=$(BUILD) sh tests/run_scenarios.sh

# run/record/trace output of every scenario, byte for byte, against tests/golden/.
test-golden: $(CLI)
	BUILD=$(BUILD) sh tests/golden.sh

# Rewrite tests/golden/ after a deliberate change of output (review it in git diff).
golden: $(CLI)
	BUILD=$(BUILD) sh tests/golden.sh --update

# ipcsim step and repl on a terminal (tmux panes) and in line mode (pipes).
test-interactive: $(CLI)
	BUILD=$(BUILD) sh tests/run_interactive.sh

# Everything that needs the real kernel (root, private IPC namespaces): the
# differential test, the host backend, the comparer of `ipcsim check`.
test-host: $(HOSTT)
	./$(HOSTT) --jobs 1

# ipcsim trace: a JSON trace and an HTML page of every scenario, checked
# against docs/trace.schema.json (pages and traces left in $(BUILD)/trace/).
test-trace: $(CLI)
	BUILD=$(BUILD) sh tests/run_traces.sh

# The HTML pages in Debian's Chromium, headless, opened from disk;
# screenshots in $(BUILD)/browser/.
test-browser: test-trace
	BUILD=$(BUILD) sh tests/browser/run.sh

# `ipcsim check` over every scenario (all agree, or are skipped for a
# documented reason), and check killed mid-run leaves nothing behind.
test-check: $(CLI)
	BUILD=$(BUILD) sh tests/check_scenarios.sh
	BUILD=$(BUILD) sh tests/check_kill.sh

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" EXTRA_CFLAGS="-DIPCSIM_CHECK_INVARIANTS" \
	  test-unit test-scenarios test-golden test-interactive test-host test-check test-trace

bench: $(BENCH)
	./$(BENCH)

clean:
	rm -rf build build-asan

-include $(GEN_OBJ:.o=.d)
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(HOST_OBJ:.o=.d) $(BENCH_OBJ:.o=.d)

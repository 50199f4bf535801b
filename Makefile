# ipcsim - build, run, test.
#
#   make run     install what is missing, build, run the lecture scenario (one diagram), say what next
#   make test    build and run every test: unit (Criterion, simulator only), scenarios, the
#                host tests (tests/host/: differential vs host kernel, host backend, comparer,
#                sandbox), `ipcsim check` of every scenario against the host kernel
#   make asan    the same tests under AddressSanitizer + UBSan, in build-asan/
#   make bench   simulator vs host kernel, as ratios (medians of alternating rounds) and
#                callgrind instruction counts; whole commands (bench-scale)
#   make install the ipcsim command, libipcsim (.a, .so), its headers, ipcsim.pc and the
#                man page under PREFIX (/usr/local); DESTDIR stages it.  make uninstall
#   make deps    apt-get install what a fresh Debian machine lacks (only where missing)
#
# Sources are found by wildcard: a new .c file needs no edit here.
# Put local overrides (CC, extra flags) in config.mak, not here.

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wundef -Wmissing-prototypes -Wstrict-prototypes \
           -Wno-unused-parameter -Werror=implicit-function-declaration -Werror=int-conversion
# json-c: the JSON of `ipcsim check --json` (a library, not a hand-rolled writer).
JSON_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null || echo -I/usr/include/json-c)
JSON_LIBS   := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -Isim $(JSON_CFLAGS) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS += $(EXTRA_LDFLAGS) $(JSON_LIBS)
comma   := ,
OBJCOPY ?= objcopy
# Where `make install` puts things; DESTDIR (empty) is prepended to each, for staging.
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
-include config.mak

# The library's version is IPCSIM_VERSION of its umbrella header (one place
# to change it); the shared library's soname carries the major number.
VERSION  := $(shell sed -n 's/^.define IPCSIM_VERSION "\(.*\)"/\1/p' include/ipcsim/ipcsim.h)
SO_MAJOR := $(firstword $(subst ., ,$(VERSION)))

# sim/preload/ is not part of the library: it is libipcsim-preload.so, which
# lives in the programs `ipcsim exec` runs and links nothing of the simulator.
LIB_SRC   := $(sort $(filter-out sim/preload/%,$(wildcard sim/*/*.c)))
PRELOAD_SRC := $(sort $(wildcard sim/preload/*.c))
CLI_SRC   := $(sort $(wildcard tools/cli/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c tests/lib/*.c))
HOST_SRC  := $(sort $(wildcard tests/host/*.c))
# The random differential test's worker program (tests/host/diff_pool.h):
# its main, and the host tests' files that make no Criterion call.
DIFFW_SRC := tests/host/worker/diff_worker.c \
             $(filter-out tests/host/test_% tests/host/diff_expect.c tests/host/diff_random.c,$(HOST_SRC))
CHECK_SRC := $(sort $(wildcard tests/check/*.c))
# Linked into every Criterion program: libgit2 started lazily (see the file).
CRIT_SRC  := tests/criterion/git_lazy.c
BENCH_SRC := $(sort $(wildcard tools/bench/*.c))
# Whole commands (a million-line run, a long trace, start-up): its own program.
SCALE_SRC := tools/bench/scale/scale.c
# The HTML trace's page: web/* embedded as C arrays (tools/embed.sh).
WEB_SRC   := web/trace.html web/trace.css web/trace_state.js web/trace_svg.js web/trace.js
GEN_OBJ   := $(BUILD)/gen/web_assets.o

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)
HOST_OBJ  := $(HOST_SRC:%.c=$(BUILD)/%.o)
DIFFW_OBJ := $(DIFFW_SRC:%.c=$(BUILD)/%.o)
CHECK_OBJ := $(CHECK_SRC:%.c=$(BUILD)/%.o)
CRIT_OBJ  := $(CRIT_SRC:%.c=$(BUILD)/%.o)
# libgit2 loaded only for a diff (tests/criterion/git_lazy.c): libcriterion's
# libgit2 (its name and, from the compiler's search path, its full path) is
# replaced at load time by an empty library of the same name in
# $(CRIT_STUBDIR), found first through the programs' DT_RPATH (which, unlike
# DT_RUNPATH, also serves the libraries' own dependencies).  Where either is
# not found, libgit2 is loaded as before.
CRIT_GIT2      := $(shell readelf -d "$$($(CC) -print-file-name=libcriterion.so)" 2>/dev/null | \
                    sed -n 's/.*(NEEDED).*\[\(libgit2\.so[^]]*\)\].*/\1/p')
CRIT_GIT2_PATH := $(if $(CRIT_GIT2),$(filter /%,$(shell $(CC) -print-file-name=$(CRIT_GIT2))))
CRIT_STUBDIR   := $(BUILD)/tests/crit-stub
CRIT_STUB      := $(if $(CRIT_GIT2_PATH),$(CRIT_STUBDIR)/$(CRIT_GIT2))
CRIT_LDFLAGS   := $(if $(CRIT_STUB),-Wl$(comma)--disable-new-dtags$(comma)-rpath$(comma)'$$ORIGIN/crit-stub')
$(CRIT_OBJ): CFLAGS += $(if $(CRIT_STUB),-DCRIT_LIBGIT2='"$(CRIT_GIT2_PATH)"')
# The tests' own code (60 files, a third of the build's compiling) at -O1:
# it compiles in two thirds of the time of -O2 and keeps -Wall's warnings
# that need the optimizer; the library and programs under test keep OPT.
# An OPT given to make (make asan's) applies to them too.
TEST_OPT ?= -O1 -g
$(UNIT_OBJ) $(HOST_OBJ) $(DIFFW_OBJ) $(CHECK_OBJ) $(CRIT_OBJ): OPT = $(TEST_OPT)
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o)

# libipcsim.a and libipcsim.so are the public library: they export only the
# API of include/ipcsim/ (the prefixes listed in ipcsim/ipcsim.h).  The unit
# and differential tests reach into the layers (sim/*/*_int.h), so they link
# LIB_INT, a plain archive of the same objects, where hidden symbols still link.
LIB     := $(BUILD)/libipcsim.a
LIB_INT := $(BUILD)/libipcsim-internal.a
SO_NAME := libipcsim.so.$(SO_MAJOR)
SO      := $(BUILD)/libipcsim.so.$(VERSION)
CLI   := $(BUILD)/ipcsim
UNIT  := $(BUILD)/tests/unit-tests
HOSTT := $(BUILD)/tests/host-tests
DIFFW := $(BUILD)/tests/diff-worker
# ipcsim check's comparer against the host, over wrong simulator models
CHECKT := $(BUILD)/tests/check-tests
BENCH := $(BUILD)/bench
BENCH_SCALE := $(BUILD)/bench-scale
PRELOAD := $(BUILD)/libipcsim-preload.so

LECTURE ?= scenarios/msgrcv_table.scn

.PHONY: all deps deps-run test-programs run test test-unit test-scenarios test-interactive test-grade \
        test-host test-diff test-check test-trace test-browser test-golden golden test-layers test-lib \
        test-output test-limits test-docs test-exec test-explore asan fuzz bench \
        clean install uninstall FORCE

all: $(CLI) $(LIB) $(SO) $(PRELOAD)

# What building and running need (make run), and what the tests need
# besides (make test): a newcomer's `make run` installs a compiler and four
# small libraries, not a browser.  Only what is missing is installed; npm
# is looked for as a command, since a machine may have its own Node.
RUN_DEPS  := build-essential pkg-config uthash-dev libjson-c-dev libedit-dev
TEST_DEPS := libcriterion-dev tmux chromium groff-base man-db valgrind python3-jsonschema libxml2-utils perl gcc-multilib
define apt_install_missing
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(2) \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps-run:
	$(call apt_install_missing,$(RUN_DEPS),)

deps: deps-run
	$(call apt_install_missing,$(TEST_DEPS),command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm";)
	@# the HTML trace's browser test and the schema check: pinned by package-lock.json
	@[ -d tests/browser/node_modules/playwright-core ] || \
	  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# Library objects are position-independent (they also make libipcsim.so) and
# hidden unless declared otherwise: the public headers wrap their
# declarations in `#pragma GCC visibility push(default)` ... `pop`.
LIB_CFLAGS := -fPIC -fvisibility=hidden
# They depend on the command that compiles them, kept in a file rewritten only
# when it changes: an object of an older build (without -fPIC, or exporting
# everything) is rebuilt, never linked into the libraries.
LIB_STAMP  := $(BUILD)/lib-cflags
$(LIB_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CFLAGS) $(LIB_CFLAGS)' | cmp -s - $@ || \
	  echo '$(CC) $(CFLAGS) $(LIB_CFLAGS)' >$@
FORCE:

# The partial link takes what every `run` executes first (the simulated
# kernel, the scenario interpreter, the drawing, the shell) so that it lies
# in few 64 KiB windows of the static command: the kernel maps a program's
# file 16 pages per page fault, and start-up pays per fault (see
# tools/link/startup.ld for the C library's part).
LIB_HOT        := types backend kernel render script shell
LIB_HOT_OBJ    := $(foreach d,$(LIB_HOT),$(filter $(BUILD)/sim/$(d)/%,$(LIB_OBJ)))
LIB_LINK_ORDER := $(LIB_HOT_OBJ) $(filter-out $(LIB_HOT_OBJ),$(LIB_OBJ)) $(GEN_OBJ)

# Visibility alone hides nothing in an archive (the static linker ignores
# it), so libipcsim.a holds one object: a partial link (ld -r) of the whole
# library, which resolves its internal references, then objcopy makes every
# hidden symbol local.  A program that links it may define its own `eval`.
$(LIB): $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(@D)
	$(LD) -r -o $(BUILD)/libipcsim-all.o $(LIB_LINK_ORDER)
	$(OBJCOPY) --localize-hidden $(BUILD)/libipcsim-all.o
	rm -f $@
	$(AR) rcs $@ $(BUILD)/libipcsim-all.o

$(LIB_INT): $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# -z defs: every symbol the library needs comes from a library it names
# (json-c, libc), so programs linking it need only -lipcsim.  The links
# libipcsim.so.MAJOR (the soname) and libipcsim.so (for -lipcsim) sit beside it.
$(SO): $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SO_NAME) -Wl,-z,defs -o $@ $^ $(LDFLAGS)
	ln -sf $(notdir $@) $(BUILD)/$(SO_NAME)
	ln -sf $(SO_NAME) $(BUILD)/libipcsim.so

# The command line and the benchmark use only the public API: they link the
# public library, so a use of an internal function fails to link.
# The command is linked statically: every command started the dynamic loader
# and paged in json-c, libedit, libtinfo, libbsd and libmd (twice the time of
# /bin/true to run a 30-line lesson); static, it starts as fast as /bin/true.
# The linker warns that libedit's ~user file-name completion (repl, step)
# needs glibc's NSS libraries at run time: they are there on Debian, and
# without them only that completion finds no user.  The sanitizers cannot
# link statically: `make asan` and `make fuzz` set CLI_STATIC empty.
CLI_STATIC ?= -static
# Link options of the programs only, not of the libraries (make asan sets them).
EXE_LDFLAGS ?=
CLI_LIBS   := -ledit -ltinfo -lbsd -lmd
# Static, the C library's start-up code is gathered in a few pages (the
# file says why); a dynamic link (the sanitizers') has no libc.a to order.
CLI_LAYOUT := tools/link/startup.ld
$(CLI): $(CLI_OBJ) $(LIB) $(CLI_LAYOUT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CLI_STATIC) $(EXE_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDFLAGS) $(CLI_LIBS) \
	  $(if $(CLI_STATIC),-Wl$(comma)-T$(comma)$(CLI_LAYOUT))

# The preload library: hidden by default, only the interposed functions
# exported (PRELOAD_EXPORT); never sanitized (it is loaded into programs
# built without the sanitizers' runtime), and never the library's objects.
$(PRELOAD): $(PRELOAD_SRC) $(wildcard sim/preload/*.h)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -Isim -fPIC -fvisibility=hidden -shared \
	  -Wl,-z,defs -o $@ $(PRELOAD_SRC)

$(UNIT): $(UNIT_OBJ) $(CRIT_OBJ) $(CRIT_STUB) $(LIB_INT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(EXE_LDFLAGS) $(CRIT_LDFLAGS) -o $@ $(UNIT_OBJ) $(CRIT_OBJ) $(LIB_INT) $(LDFLAGS) -lcriterion

$(HOSTT): $(HOST_OBJ) $(CRIT_OBJ) $(CRIT_STUB) $(LIB_INT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(EXE_LDFLAGS) $(CRIT_LDFLAGS) -o $@ $(HOST_OBJ) $(CRIT_OBJ) $(LIB_INT) $(LDFLAGS) -lcriterion

# Linked statically like the command (CLI_STATIC): every process of the
# differential test is a fork of it, and a small static image forks cheaply.
$(DIFFW): $(DIFFW_OBJ) $(LIB_INT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CLI_STATIC) $(EXE_LDFLAGS) -o $@ $(DIFFW_OBJ) $(LIB_INT) $(LDFLAGS)

$(CHECKT): $(CHECK_OBJ) $(CRIT_OBJ) $(CRIT_STUB) $(LIB_INT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(EXE_LDFLAGS) $(CRIT_LDFLAGS) -o $@ $(CHECK_OBJ) $(CRIT_OBJ) $(LIB_INT) $(LDFLAGS) -lcriterion

# The empty stand-in for libgit2 (CRIT_GIT2 above): no code, its name only.
$(CRIT_STUB):
	@mkdir -p $(@D)
	echo 'typedef int crit_stub_empty;' | $(CC) -x c -shared -fPIC -Wl,-soname,$(CRIT_GIT2) -o $@ -

$(BENCH): $(BENCH_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(EXE_LDFLAGS) -o $@ $(BENCH_OBJ) $(LIB) $(LDFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The library's objects (this pattern is the more specific one: make prefers it).
$(BUILD)/sim/%.o: sim/%.c $(LIB_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(BUILD)/gen/web_assets.c: $(WEB_SRC) tools/embed.sh
	@mkdir -p $(@D)
	sh tools/embed.sh $@ web_trace_html=web/trace.html web_trace_css=web/trace.css \
	  web_trace_state_js=web/trace_state.js web_trace_svg_js=web/trace_svg.js \
	  web_trace_js=web/trace.js

$(GEN_OBJ): $(BUILD)/gen/web_assets.c $(LIB_STAMP)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

# The lecture on one or two screens: its steps, the kernel drawn where the
# scenario says `show`, the summary, then what to try next.
run: deps-run $(CLI)
	./$(CLI) run $(LECTURE)
	@echo
	@echo "next:"
	@echo "  ./$(CLI) step $(LECTURE)"
	@echo "      one step at a time, forward and back, the kernel drawn after each"
	@echo "  ./$(CLI) trace $(LECTURE) --html lecture.html"
	@echo "      the same as one page to open in a browser"
	@echo "  ./$(CLI) repl"
	@echo "      type calls yourself and watch the kernel change"
	@echo "  man ./docs/ipcsim.1              every command and option"
	@echo "  docs/scenario-language.md        the language; scenarios/ holds 34 lessons"

# The test command of the README.  Every program the tests need is built
# first, in parallel (one job per processor); then the test groups run side
# by side, TEST_JOBS at a time, the longest first (tests/run_groups.sh: make
# -k --output-sync, so each group's output is printed whole when it ends,
# a failing group names itself in make's "*** [Makefile:N: test-X] Error 1"
# and does not stop the others; the last line counts the groups that passed
# and failed).  A new group is one more name in TESTS (and in ASAN_SKIP if
# the sanitizers add nothing to it); `make TEST_JOBS=1 test` runs them one
# after another.
NPROC     := $(shell nproc 2>/dev/null || echo 2)
TEST_JOBS ?= $(shell echo $$(( $(NPROC) + 1 )))
TESTS := test-diff test-host test-browser test-grade test-exec test-unit test-explore test-check test-limits \
         test-lib test-docs test-golden test-scenarios test-interactive test-output test-layers \
         test-trace
TEST_RUN = sh tests/run_groups.sh $(1)/test-groups.log $(MAKE) --no-print-directory -j$(TEST_JOBS)
test: deps
	@$(MAKE) --no-print-directory -j$(NPROC) test-programs
	@$(call TEST_RUN,$(BUILD)) -- $(TESTS)

test-programs: $(CLI) $(LIB) $(SO) $(PRELOAD) $(UNIT) $(HOSTT) $(DIFFW) $(CHECKT)

test-unit: $(UNIT)
	./$(UNIT) --jobs 2

test-scenarios: $(CLI)
	BUILD=$(BUILD) sh tests/run_scenarios.sh
	BUILD=$(BUILD) sh tests/cli_errors.sh

# A result that cannot be written (full disk, /dev/full, closed stdout, a
# reader gone) is an error or SIGPIPE, never exit 0 or a cut file.
test-output: $(CLI)
	BUILD=$(BUILD) sh tests/output_faults.sh

# ipcsim quiz and grade: the exercises' samples scored as worked out by hand,
# the reports against their schemas (JSON Schema, JUnit XSD, prove), a
# thousand hostile submissions in one call.
test-grade: $(CLI)
	BUILD=$(BUILD) sh tests/grade.sh

# --max-steps, --max-procs, --max-time, --max-output, --max-memory.
test-limits: $(CLI)
	BUILD=$(BUILD) sh tests/limits.sh

# The documentation stands alone and stays true: nothing outside the repository
# named, links and tables whole, the man page clean and complete, every example
# of docs/scenario-language.md run, `make run` within two screens.
test-docs: $(CLI)
	BUILD=$(BUILD) sh tests/check_docs.sh

# ipcsim explore: the lessons' end states worked out by hand, every witness
# replayed by run, the options and their errors.
test-explore: $(CLI)
	BUILD=$(BUILD) sh tests/explore.sh

# Every #include of include/ipcsim, sim/ and tools/ points down the README's layer table.
test-layers:
	sh tests/check_layers.sh

# libipcsim as an outside program sees it: the symbols libipcsim.a and
# libipcsim.so export (nm: only the documented prefixes, exactly the public
# API), each public header compiled alone with -Iinclude, and a small program
# built with pkg-config against `make install DESTDIR=...`, static and shared.
test-lib: $(CLI) $(LIB) $(SO) $(LIB_INT) $(PRELOAD)
	BUILD=$(BUILD) CC="$(CC)" MAKE="$(MAKE)" SAN_LDFLAGS="$(EXTRA_LDFLAGS)" \
	  sh tests/library/check_library.sh

# run/record/trace output of every scenario, byte for byte, against tests/golden/.
test-golden: $(CLI)
	BUILD=$(BUILD) sh tests/golden.sh

# Rewrite tests/golden/ after a deliberate change of output (review it in git diff).
golden: $(CLI)
	BUILD=$(BUILD) sh tests/golden.sh --update

# ipcsim exec: tests/programs/ under exec and on the real kernel, their
# records replayed, kernel-free under an ENOSYS filter, deadlock, syscalls
# stopped, killing exec leaves nothing; C programs graded (grade --exec).
test-exec: $(CLI) $(PRELOAD)
	BUILD=$(BUILD) sh tests/exec_programs.sh
	BUILD=$(BUILD) sh tests/grade_exec.sh

# ipcsim step and repl on a terminal (tmux panes) and in line mode (pipes).
test-interactive: $(CLI)
	BUILD=$(BUILD) sh tests/run_interactive.sh

# Everything that needs the real kernel (root, private IPC namespaces): the
# differential test, the host backend, the comparer of `ipcsim check`.
# Two groups, so that the test runner spreads them: the generated sequences
# of the differential test (test-diff: 1,200, on IPCSIM_DIFF_JOBS workers)
# and every other test of the host (test-host).
test-host: $(HOSTT)
	./$(HOSTT) --jobs 1 --filter '!(diff_random*)/*'

test-diff: $(HOSTT) $(DIFFW)
	./$(HOSTT) --jobs 1 --filter 'diff_random*/*'

# ipcsim trace: a JSON trace and an HTML page of every scenario, checked
# against docs/trace.schema.json (pages and traces left in $(BUILD)/trace/).
test-trace: $(CLI)
	BUILD=$(BUILD) sh tests/run_traces.sh

# The HTML pages in Debian's Chromium, headless, opened from disk;
# screenshots in $(BUILD)/browser/.
test-browser: test-trace
	BUILD=$(BUILD) sh tests/browser/run.sh

# `ipcsim check` over every scenario (all agree, or are skipped for a
# documented reason), the `$` lines naming the scenario's pids and keys
# (tests/check/: they agree, and a wrong maps model is caught), check killed
# mid-run leaves nothing behind, and a hostile scenario reaches nothing (the
# sandbox, the budget).
test-check: $(CLI) $(CHECKT)
	BUILD=$(BUILD) sh tests/check_scenarios.sh
	BUILD=$(BUILD) sh tests/explore.sh --check
	BUILD=$(BUILD) sh tests/check_shell.sh
	./$(CHECKT) --jobs 1
	BUILD=$(BUILD) sh tests/check_kill.sh
	BUILD=$(BUILD) sh tests/check_sandbox.sh

# The sanitized programs start hundreds of times (each Criterion test, each
# command of the scripts), and two things made every start dear:
# - a position-independent executable: the dynamic loader relocates ~110,000
#   pointers of ASan's instrumented data at each start (-no-pie: none);
# - libubsan.so's 6 MB of zeroed data, which LeakSanitizer reads through at
#   every exit (-static-libubsan: the program takes only the handlers it
#   calls, 0.6 MB).
# Together a third of the CPU of each start (an `ipcsim run`: 144 -> 100 ms).
# Only the executables: libipcsim.so keeps the shared runtimes.
ASAN_FLAGS := BUILD=build-asan CLI_STATIC= EXE_LDFLAGS="-no-pie -static-libubsan" \
  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
  EXTRA_LDFLAGS="-fsanitize=address,undefined" EXTRA_CFLAGS="-DIPCSIM_CHECK_INVARIANTS"
# Groups whose programs the sanitizers add nothing to: shell scripts over
# the source tree, and the browser (the pages are those of make test).
ASAN_SKIP := test-layers test-docs test-browser
asan:
	@$(MAKE) --no-print-directory $(ASAN_FLAGS) -j$(NPROC) test-programs
	@$(call TEST_RUN,build-asan) $(ASAN_FLAGS) -- $(filter-out $(ASAN_SKIP),$(TESTS))

# libFuzzer over the parser and the interpreter (tests/fuzz/), built with
# clang under ASan+UBSan with the kernel's invariant checker, for FUZZ_TIME
# seconds; any finding fails.  CI runs it for 60 s.
FUZZ_TIME  ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ       := $(BUILD)/fuzz/fuzz-scenario
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CLI_STATIC= \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" EXTRA_CFLAGS="-DIPCSIM_CHECK_INVARIANTS" \
	  $(FUZZ_BUILD)/fuzz/fuzz-scenario
	BUILD=$(FUZZ_BUILD) FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh

$(FUZZ): tests/fuzz/fuzz_scenario.c $(LIB_INT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_INT) $(LDFLAGS)

# Alternating host/simulator rounds, medians and spread, and callgrind's
# instructions per pair (valgrind, installed here when missing).
bench: $(BENCH) $(BENCH_SCALE) $(CLI)
	$(call apt_install_missing,valgrind,)
	./$(BENCH)
	BUILD=$(BUILD) sh tools/bench/grade_bench.sh
	./$(BENCH_SCALE) $(CLI) $(LECTURE)

$(BENCH_SCALE): $(SCALE_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

# ipcsim.pc is written here, with the paths of this install: prefix-relative
# where they lie under PREFIX.  json-c is private: the headers never show it,
# only a static link needs it.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
install: $(CLI) $(LIB) $(SO) $(PRELOAD)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/ipcsim $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/ipcsim
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libipcsim.a
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/$(notdir $(SO))
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libipcsim.so
	install -m 644 include/ipcsim/*.h $(DESTDIR)$(INCLUDEDIR)/ipcsim/
	@# where `ipcsim exec` looks for it: ../lib/ipcsim/ of the binary
	install -d $(DESTDIR)$(LIBDIR)/ipcsim
	install -m 755 $(PRELOAD) $(DESTDIR)$(LIBDIR)/ipcsim/libipcsim-preload.so
	install -m 644 docs/ipcsim.1 $(DESTDIR)$(MANDIR)/man1/ipcsim.1
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(call pc_path,$(LIBDIR))' \
	  'includedir=$(call pc_path,$(INCLUDEDIR))' '' 'Name: ipcsim' \
	  'Description: a user-space simulator of System V IPC (message queues, shared memory, semaphores)' \
	  'Version: $(VERSION)' 'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lipcsim' \
	  'Libs.private: $(strip $(JSON_LIBS))' >$(DESTDIR)$(PKGCONFIGDIR)/ipcsim.pc
	@# a real install (not staged) into the linker's cache, as root
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && command -v ldconfig >/dev/null; then \
	  ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipcsim $(DESTDIR)$(LIBDIR)/libipcsim.a \
	  $(DESTDIR)$(LIBDIR)/$(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SO_NAME) \
	  $(DESTDIR)$(LIBDIR)/libipcsim.so $(DESTDIR)$(PKGCONFIGDIR)/ipcsim.pc \
	  $(DESTDIR)$(MANDIR)/man1/ipcsim.1 \
	  $(addprefix $(DESTDIR)$(INCLUDEDIR)/ipcsim/,$(notdir $(wildcard include/ipcsim/*.h)))
	rm -f $(DESTDIR)$(LIBDIR)/ipcsim/libipcsim-preload.so
	rmdir $(DESTDIR)$(LIBDIR)/ipcsim 2>/dev/null || true
	rmdir $(DESTDIR)$(INCLUDEDIR)/ipcsim 2>/dev/null || true

clean:
	rm -rf build build-asan build-fuzz

-include $(GEN_OBJ:.o=.d)
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(HOST_OBJ:.o=.d) $(CHECK_OBJ:.o=.d) $(BENCH_OBJ:.o=.d)
-include $(SCALE_SRC:%.c=$(BUILD)/%.d)

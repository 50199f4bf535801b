/*
 * ipcsim/ipcsim.h - libipcsim, the whole public API in one include, and its
 * version.
 *
 *     #include <ipcsim/ipcsim.h>
 *     cc prog.c $(pkg-config --cflags --libs ipcsim)
 *
 * The headers need nothing but -I<prefix>/include (no feature macros, no
 * json-c include path) and define no feature macros of their own: a program
 * that wants POSIX or GNU extensions defines _POSIX_C_SOURCE / _GNU_SOURCE
 * itself, before its first include, as usual.
 *
 * Exported names.  libipcsim.so and libipcsim.a export exactly the functions
 * and objects declared in the include/ipcsim/ headers, and every one of them
 * starts with one of these prefixes (tests/library/check_library.sh reads
 * the next line and fails the build on any other exported symbol):
 *
 * Exported prefixes: sim_ shell_ backend_ compare_ render_ strace_ script_ trace_ grade_ explore_ ipcsim_
 *
 *     sim_       the simulated kernel (kernel.h, kernel_shm.h, kernel_sem.h)
 *     shell_     the simulated shell commands (shell.h)
 *     backend_   the backend interface and its three backends: simulated,
 *                host, comparing (backend.h, host.h, compare.h)
 *     compare_   the report of `ipcsim check` (compare.h)
 *     render_    the diagrams (render.h)
 *     strace_    the strace-style printer of call results and the field
 *                lists of the IPC structures (strace.h)
 *     script_    parser, interpreter, record, stepper, repl (script.h, session.h)
 *     trace_     the JSON / HTML trace (trace.h)
 *     grade_     exercises, answer keys, grading and its reports (grade.h)
 *     ipcsim_    the library itself (this header)
 *
 * Everything else in the library (the interpreter's `eval`, the parser's
 * `parse_line`, ...) is hidden: local symbols in libipcsim.a, absent from
 * libipcsim.so's dynamic symbol table, so a program may define the same
 * names.  Public headers open `#pragma GCC visibility push(default)` after
 * their #includes and close it before their #endif; the library is compiled
 * with -fvisibility=hidden (see the Makefile).
 */
#ifndef IPCSIM_IPCSIM_H
#define IPCSIM_IPCSIM_H

#include "ipcsim/types.h"
#include "ipcsim/ipc_types.h"
#include "ipcsim/kernel.h"
#include "ipcsim/kernel_shm.h"
#include "ipcsim/kernel_sem.h"
#include "ipcsim/shell.h"
#include "ipcsim/backend.h"
#include "ipcsim/render.h"
#include "ipcsim/strace.h"
#include "ipcsim/host.h"
#include "ipcsim/sandbox.h"
#include "ipcsim/compare.h"
#include "ipcsim/script.h"
#include "ipcsim/session.h"
#include "ipcsim/sched.h"
#include "ipcsim/trace.h"
#include "ipcsim/grade.h"
#include "ipcsim/explore.h"
#include "ipcsim/exec.h"

/* The version of these headers (the Makefile reads IPCSIM_VERSION from
 * here for the shared library's name and ipcsim.pc).  The shared library's
 * soname carries the major number. */
#define IPCSIM_VERSION_MAJOR 0
#define IPCSIM_VERSION_MINOR 1
#define IPCSIM_VERSION_PATCH 0
#define IPCSIM_VERSION "0.1.0"

#pragma GCC visibility push(default)

/* The version of the library actually linked (IPCSIM_VERSION when it was
 * built), to compare with the headers' IPCSIM_VERSION. */
const char *ipcsim_version(void);

#pragma GCC visibility pop

#endif

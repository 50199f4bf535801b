/*
 * git_lazy.c - libgit2 loaded and started only when a Criterion assertion
 * needs a diff, linked into every Criterion test program (unit, host, check).
 *
 * Why: Criterion runs each test in a process of its own, a new exec of the
 * test program (some 560 per `make test`, as many per `make asan`), although
 * libgit2 serves Criterion only to print the diff of a failed eq(str, ...)
 * (git_diff_buffers).  Two costs were paid at every start:
 * - git_libgit2_init parses the machine's whole CA bundle (libgit2's TLS
 *   backend): a fifth of an empty test's cost (36 -> 26 ms per test);
 * - the dynamic loader maps and relocates libgit2 and the 15 libraries it
 *   needs (TLS, Kerberos, SSH, OpenSSL's libcrypto, ...): 16 of the 23
 *   libraries of a test process, half of what is left (27 -> 14.5 ms).
 *
 * How: these three definitions in the program come before libgit2's in the
 * dynamic linker's search order, so Criterion's calls reach them: init does
 * nothing, the first diff starts the real libgit2 and makes it, and
 * shutdown stops it only when it was started.  Where the Makefile found
 * the real library (CRIT_LIBGIT2, its full path), the test programs are
 * linked to find an empty library of the same name first
 * ($(BUILD)/tests/crit-stub/), which satisfies libcriterion's dependency,
 * and the real one is loaded here by its path at the first diff; otherwise
 * the real one is loaded with Criterion and found with RTLD_NEXT.  A failed
 * assertion prints the same diff as before; nothing else changes.
 */
#include <dlfcn.h>
#include <stddef.h>

/* libgit2's prototypes (git2/global.h, git2/diff.h), without its headers,
 * which Debian ships only in libgit2-dev; the option and callback types
 * are pointers, passed through as they come. */
int git_libgit2_init(void);
int git_libgit2_shutdown(void);
int git_diff_buffers(const void *old_buffer, size_t old_len, const char *old_as_path,
                     const void *new_buffer, size_t new_len, const char *new_as_path,
                     const void *options, void *file_cb, void *binary_cb, void *hunk_cb,
                     void *line_cb, void *payload);

typedef int (*git_fn)(void);
typedef int (*git_diff_fn)(const void *, size_t, const char *, const void *, size_t,
                           const char *, const void *, void *, void *, void *, void *, void *);

/* 1 once the real libgit2 has been started (a test process is one thread). */
static int started;

/* Where the real libgit2's functions are looked up: NULL when it cannot be
 * loaded. */
static void *real_git2(void)
{
#ifdef CRIT_LIBGIT2
	static void *lib;

	if (lib == NULL)
		lib = dlopen(CRIT_LIBGIT2, RTLD_NOW | RTLD_LOCAL);
	return lib;
#else
	return RTLD_NEXT;
#endif
}

int git_libgit2_init(void)
{
	return 1; /* as if started: the first diff starts it */
}

int git_libgit2_shutdown(void)
{
	git_fn real;

	if (!started || real_git2() == NULL)
		return 0;
	real = (git_fn)dlsym(real_git2(), "git_libgit2_shutdown");
	if (real == NULL)
		return 0;
	started = 0;
	return real();
}

int git_diff_buffers(const void *old_buffer, size_t old_len, const char *old_as_path,
                     const void *new_buffer, size_t new_len, const char *new_as_path,
                     const void *options, void *file_cb, void *binary_cb, void *hunk_cb,
                     void *line_cb, void *payload)
{
	void *lib = real_git2();
	git_fn init = lib ? (git_fn)dlsym(lib, "git_libgit2_init") : NULL;
	git_diff_fn real = lib ? (git_diff_fn)dlsym(lib, "git_diff_buffers") : NULL;

	if (init == NULL || real == NULL)
		return -1; /* libgit2's GIT_ERROR: Criterion prints no diff */
	if (!started && init() >= 0)
		started = 1;
	return real(old_buffer, old_len, old_as_path, new_buffer, new_len, new_as_path, options,
	            file_cb, binary_cb, hunk_cb, line_cb, payload);
}

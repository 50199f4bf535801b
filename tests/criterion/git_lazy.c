/*
 * git_lazy.c - libgit2 started only when a Criterion assertion needs a diff,
 * linked into every Criterion test program (unit, host, check).
 *
 * Why: Criterion runs each test in a process of its own, a new exec of the
 * test program (some 550 per `make test`, as many per `make asan`), and
 * every one of them calls git_libgit2_init at its start, although libgit2
 * serves Criterion only to print the diff of a failed eq(str, ...)
 * (git_diff_buffers).  That init parses the machine's whole CA bundle
 * (libgit2's TLS backend): a fifth of an empty test's cost, a third under
 * AddressSanitizer, whose interceptors see every allocation and strstr of
 * it (measured on a 100-test program: 36 -> 26 ms, 167 -> 113 ms per test).
 *
 * How: these three definitions in the program come before libgit2's in the
 * dynamic linker's search order, so Criterion's calls reach them: init does
 * nothing, the first diff starts the real libgit2 (found with RTLD_NEXT)
 * and makes it, and shutdown stops it only when it was started.  A failed
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

int git_libgit2_init(void)
{
	return 1; /* as if started: the first diff starts it */
}

int git_libgit2_shutdown(void)
{
	git_fn real = (git_fn)dlsym(RTLD_NEXT, "git_libgit2_shutdown");

	if (!started || real == NULL)
		return 0;
	started = 0;
	return real();
}

int git_diff_buffers(const void *old_buffer, size_t old_len, const char *old_as_path,
                     const void *new_buffer, size_t new_len, const char *new_as_path,
                     const void *options, void *file_cb, void *binary_cb, void *hunk_cb,
                     void *line_cb, void *payload)
{
	git_fn init = (git_fn)dlsym(RTLD_NEXT, "git_libgit2_init");
	git_diff_fn real = (git_diff_fn)dlsym(RTLD_NEXT, "git_diff_buffers");

	if (init == NULL || real == NULL)
		return -1; /* libgit2's GIT_ERROR: Criterion prints no diff */
	if (!started && init() >= 0)
		started = 1;
	return real(old_buffer, old_len, old_as_path, new_buffer, new_len, new_as_path, options,
	            file_cb, binary_cb, hunk_cb, line_cb, payload);
}

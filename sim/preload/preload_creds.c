/*
 * preload_creds.c - glibc's functions that change a process's credentials,
 * passed through, noting the change: the library reads the credentials it
 * sends with each call only after one of these (or a fork), not at every
 * call.  A change made by a raw syscall is seen after the next fork.
 */
#include <dlfcn.h>
#include <errno.h>
#include <unistd.h>

#include "preload/preload_int.h"

/* Calls glibc's sym with the arguments, notes the change, returns its result. */
#define PASS_THROUGH(sym, proto, args)                                        \
	PRELOAD_EXPORT int sym proto                                          \
	{                                                                     \
		static int(*real) proto;                                      \
		int rc;                                                       \
                                                                              \
		if (!real)                                                    \
			real = (int(*) proto)dlsym(RTLD_NEXT, #sym);          \
		if (!real) {                                                  \
			errno = ENOSYS;                                       \
			return -1;                                            \
		}                                                             \
		rc = real args;                                               \
		preload_creds_changed();                                      \
		return rc;                                                    \
	}

/* glibc's capset has no prototype in glibc's headers (libcap's has one). */
int capset(void *header, const void *data);

PASS_THROUGH(setuid, (uid_t u), (u))
PASS_THROUGH(seteuid, (uid_t u), (u))
PASS_THROUGH(setreuid, (uid_t r, uid_t e), (r, e))
PASS_THROUGH(setresuid, (uid_t r, uid_t e, uid_t s), (r, e, s))
PASS_THROUGH(setgid, (gid_t g), (g))
PASS_THROUGH(setegid, (gid_t g), (g))
PASS_THROUGH(setregid, (gid_t r, gid_t e), (r, e))
PASS_THROUGH(setresgid, (gid_t r, gid_t e, gid_t s), (r, e, s))
PASS_THROUGH(capset, (void *header, const void *data), (header, data))

/*
 * render_fixture.h - shared helpers of the renderer tests: the states of
 * the real tools' captures built with the kernel API, and running a shell command into a
 * string.
 */
#ifndef IPCSIM_TESTS_RENDER_FIXTURE_H
#define IPCSIM_TESTS_RENDER_FIXTURE_H

#include "ipcsim/kernel.h"
#include "ipcsim/render.h"
#include "ipcsim/shell.h"

/* Names as a scenario's defaults give them: root (0) and user (1000). */
extern const struct scenario_names render_fixture_names;

/*
 * The captured state "mk" for queues: key 0x1234 mode 0666 with sends 300/"hello",
 * 1/"world!!", 2/"world!!" and one receive of type 2, then a private 0600
 * queue with one 3-byte message; all by one root process (pid 1000).
 */
struct sim_kernel *render_fixture_mk(void);

/* Sends size bytes of text as mtype; asserts success. */
void render_fixture_send(struct sim_kernel *k, int pid, int id, long mtype,
                         const char *text, size_t size);

/* Runs cmdline as uid/gid (caps: all for uid 0, none otherwise); returns the
 * malloc'd output and *status. */
char *render_fixture_run(struct sim_kernel *k, unsigned uid, const char *cmdline, int *status);

/* Longest line of text, in columns (ANSI escapes not counted). */
size_t render_fixture_max_width(const char *text);

#endif

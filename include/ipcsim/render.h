/*
 * ipcsim/render.h - drawing the simulated state for a person.
 *
 * Renderers read the kernel only through the read-only views of
 * ipcsim/kernel.h; they never see its internals and never change it.
 */
#ifndef IPCSIM_RENDER_H
#define IPCSIM_RENDER_H

#include <stdio.h>

#include "ipcsim/kernel.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

/* Draws the whole simulated state in at most 80 columns: the message table,
 * each queue's chain of records, the kernel data area, shared-memory
 * segments, semaphore sets, the processes.  color: use ANSI colours. */
void render_show(FILE *out, const struct sim_kernel *k, const struct scenario_names *names,
                 int color);

#pragma GCC visibility pop

#endif

/*
 * interp_why.c - `ipcsim run --explain`: after a step, the simulated
 * kernel's own reason for its result (sim_kernel_why), when the kernel
 * recorded one during the step for the step's process.  It is printed as a
 * comment line, so the output stays a valid scenario, and handed to an
 * on_step observer (the grader's feedback).  A backend without a kernel
 * (the host) has no reasons: nothing is printed.
 */
#include <string.h>

#include "ipcsim/backend.h"
#include "ipcsim/kernel.h"
#include "script/interp_int.h"

unsigned long interp_why_serial(const struct interp *in)
{
	const struct sim_kernel *k = in->explain ? backend_kernel(in->b) : NULL;
	struct sim_why w;

	if (k == NULL)
		return 0;
	sim_kernel_why(k, &w);
	return w.serial;
}

void interp_why(struct interp *in, int pid, unsigned long serial)
{
	const struct sim_kernel *k = in->explain ? backend_kernel(in->b) : NULL;
	struct sim_why w;

	in->why_code[0] = in->why[0] = '\0';
	if (k == NULL)
		return;
	sim_kernel_why(k, &w);
	if (w.serial == serial || w.pid != pid)
		return;
	snprintf(in->why_code, sizeof(in->why_code), "%s", w.code);
	snprintf(in->why, sizeof(in->why), "%s", w.text);
	if (!in->quiet)
		fprintf(in->out, "    # why (%s): %s\n", w.code, w.text);
}

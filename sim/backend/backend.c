/*
 * backend.c - what every backend shares: releasing results, reaching the
 * simulated kernel behind a backend, destroying a backend.  The simulated
 * kernel's backend lives beside this file (sim_backend.c); the host's in
 * sim/host/, the comparer in sim/compare/.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/backend.h"

void backend_result_release(struct backend_result *r)
{
	if (r == NULL)
		return;
	free(r->msg.text);
	r->msg.text = NULL;
	r->msg.len = 0;
	r->has_msg = 0;
	r->has_ds = 0;
	r->has_info = 0;
	free(r->semvals);
	r->semvals = NULL;
	r->nsemvals = 0;
	free(r->bytes);
	r->bytes = NULL;
	r->nbytes = 0;
	r->has_shm_ds = 0;
	r->has_shminfo = 0;
	r->has_shm_info = 0;
	r->has_sem_ds = 0;
	r->has_seminfo = 0;
}

const struct sim_kernel *backend_kernel(const struct backend *b)
{
	if (b == NULL || b->ops == NULL || b->ops->kernel == NULL)
		return NULL;
	return b->ops->kernel(b->ctx);
}

void backend_explain(struct backend *b, int on)
{
	if (b != NULL && b->ops != NULL && b->ops->explain != NULL)
		b->ops->explain(b->ctx, on);
}

struct sim_kernel *backend_kernel_rw(struct backend *b)
{
	/* the kernel op hands out the kernel b owns, which is not const */
	return (struct sim_kernel *)backend_kernel(b);
}

const char *backend_failure(const struct backend *b)
{
	const char *why = NULL;

	if (b != NULL && b->ops != NULL && b->ops->failure != NULL)
		why = b->ops->failure(b->ctx);
	return why != NULL && *why != '\0' ? why : "the backend failed";
}

void backend_free(struct backend **b)
{
	if (b == NULL || *b == NULL)
		return;
	if ((*b)->ops != NULL && (*b)->ops->destroy != NULL)
		(*b)->ops->destroy((*b)->ctx);
	free(*b);
	*b = NULL;
}

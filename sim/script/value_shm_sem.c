/*
 * value_shm_sem.c - the shared-memory and semaphore results as runtime
 * values: GETALL's values as an array, and the overlays a partial IPC_SET
 * applies to the current state (the structures themselves: value.c's
 * value_from_struct).
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

int value_from_semvals(struct value *v, const unsigned short *vals, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->kind = V_ARRAY;
	if (n == 0)
		return 0;
	v->items = calloc(n, sizeof(*v->items));
	if (v->items == NULL)
		return -1;
	v->nitems = (int)n;
	for (size_t i = 0; i < n; i++) {
		v->items[i].kind = V_INT;
		v->items[i].i = vals[i];
	}
	return 0;
}

/* The value at path if v names it as an integer, else *to unchanged. */
static void overlay(const struct value *v, const char *path, long long *to)
{
	struct value *f = value_field((struct value *)v, path);

	if (f != NULL && f->kind == V_INT)
		*to = f->i;
}

static void overlay_perm(const struct value *v, const char *prefix, struct ipcsim_ipc_perm *p)
{
	char path[64];
	long long uid = p->uid, gid = p->gid, mode = p->mode;

	snprintf(path, sizeof(path), "%s.uid", prefix);
	overlay(v, path, &uid);
	snprintf(path, sizeof(path), "%s.gid", prefix);
	overlay(v, path, &gid);
	snprintf(path, sizeof(path), "%s.mode", prefix);
	overlay(v, path, &mode);
	p->uid = (unsigned)uid;
	p->gid = (unsigned)gid;
	p->mode = (unsigned)mode;
}

/* IPC_SET reads only uid, gid and mode (ipc/shm.c shmctl_down): the rest
 * of a literal is accepted, as C would compile it, and ignored. */
void value_to_shmid_ds(const struct value *v, struct ipcsim_shmid_ds *ds)
{
	overlay_perm(v, "shm_perm", &ds->shm_perm);
}

void value_to_semid_ds(const struct value *v, struct ipcsim_semid_ds *ds)
{
	overlay_perm(v, "sem_perm", &ds->sem_perm);
}

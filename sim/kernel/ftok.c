/*
 * ftok.c - the simulated file system (declared files only) and glibc's ftok.
 *
 * glibc sysvipc/ftok.c: key = (ino & 0xffff) | (dev & 0xff) << 16 |
 * (proj & 0xff) << 24, where dev is the encoded st_dev whose low byte is the
 * low byte of the minor number (makedev).  stat() failing gives -1 ENOENT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

static struct sim_file *file_find(const struct sim_kernel *k, const char *path)
{
	struct sim_file *f;

	for (f = k->files; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			break;
	return f;
}

int sim_file_add(struct sim_kernel *k, const char *path, unsigned long inode,
                 unsigned dev_major, unsigned dev_minor)
{
	struct sim_file *f = file_find(k, path);
	size_t len = strlen(path);

	if (!f) {
		f = sim_alloc(k, sizeof(*f));
		if (!f)
			return -ENOMEM;
		f->path = sim_alloc(k, len + 1);
		if (!f->path) {
			sim_free(k, f);
			return -ENOMEM;
		}
		memcpy(f->path, path, len + 1);
		f->next = k->files;
		SIM_SAVE(k, k->files);
		k->files = f;
	}
	SIM_SAVE_OBJ(k, f);
	f->inode = inode;
	f->dev_major = dev_major;
	f->dev_minor = dev_minor;
	return 0;
}

long sim_ftok(const struct sim_kernel *k, const char *path, int proj)
{
	struct sim_file *f;
	unsigned long dev_low;
	uint32_t key;

	f = file_find(k, path);
	if (!f)
		return -ENOENT;
	/* glibc's makedev puts the low 8 bits of the minor in the low byte */
	dev_low = f->dev_minor & 0xff;
	key = (uint32_t)((f->inode & 0xffff) | (dev_low << 16) | (((unsigned)proj & 0xffu) << 24));
	return (long)key;
}

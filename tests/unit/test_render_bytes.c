/*
 * test_render_bytes.c - a segment's bytes in `show` and render_shm_regions:
 * drawn the way they were written (a stored long as a number, copied text as
 * text, other bytes as hex), with the writer, and a big or busy segment cut
 * down to what was touched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../lib/render_fixture.h"

static char *show(const struct sim_kernel *k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	cr_assert_not_null(out);
	render_show(out, k, &render_fixture_names, 0);
	fclose(out);
	return buf;
}

static void expect_has(const char *text, const char *want)
{
	cr_expect(strstr(text, want) != NULL, "expected \"%s\" in:\n%s", want, text);
}

struct seg_fix {
	struct sim_kernel *k;
	int p1, p2, id;
	long a;
};

static struct seg_fix seg_mk(size_t size)
{
	struct seg_fix f;

	f.k = sim_kernel_new();
	cr_assert_not_null(f.k);
	f.p1 = sim_proc_new(f.k, 1000, 1000, 0);
	f.id = (int)sim_shmget(f.k, f.p1, IPC_PRIVATE, size, 0600);
	cr_assert_eq(f.id, 0);
	f.a = sim_shmat(f.k, f.p1, f.id, 0, 0);
	cr_assert_gt(f.a, 0);
	f.p2 = (int)sim_fork(f.k, f.p1);
	cr_assert_gt(f.p2, 0);
	return f;
}

/* The bug: a long 100 was drawn as "d", its one printable byte. */
Test(show_bytes, a_stored_long_is_a_number_and_text_is_text)
{
	struct seg_fix f = seg_mk(4096);
	char *a;

	cr_assert_eq(sim_mem_store(f.k, f.p1, f.a, 100), 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, f.a + 8, 101), 0);
	cr_assert_eq(sim_mem_write(f.k, f.p2, f.a + 64, "Hello from the writer\n", 23), 0);
	cr_assert_eq(sim_mem_write(f.k, f.p2, f.a + 128, "\x01\x02\xff\0\x07", 5), 0);
	a = show(f.k);
	expect_has(a, "-- shm 0 (key 0x00000000): 4096 bytes, 1 page ---");
	expect_has(a, "  @0        long[2] 100, 101  (stored by P1)\n"
	              "  @16-63    zeros\n"
	              "  @64       text \"Hello from the writer\\n\"  (copied by P2)\n"
	              "  @86-127   zeros\n"
	              "  @128      hex 01 02 ff 00 07  (copied by P2)\n"
	              "  @133-4095 zeros\n");
	cr_expect(strstr(a, "\"d\"") == NULL, "a long is never a character: %s", a);
	cr_expect_leq(render_fixture_max_width(a), 80, "%s", a);
	free(a);
	sim_kernel_free(&f.k);
}

Test(show_bytes, the_same_value_stored_by_another_process_is_another_write)
{
	struct seg_fix f = seg_mk(4096);
	char *a, *b;

	cr_assert_eq(sim_mem_store(f.k, f.p2, f.a, 150), 0);
	a = show(f.k);
	cr_assert_eq(sim_mem_store(f.k, f.p1, f.a, 150), 0);
	b = show(f.k);
	expect_has(a, "  @0        long 150  (stored by P2)\n");
	expect_has(b, "  @0        long 150  (stored by P1)\n");
	free(a);
	free(b);
	sim_kernel_free(&f.k);
}

Test(show_bytes, an_untouched_segment_is_zeros_in_one_line)
{
	struct seg_fix f = seg_mk(1 << 20);
	long v;
	char *a;

	cr_assert_eq(sim_mem_load(f.k, f.p1, f.a + 5000, &v), 0); /* a read writes nothing */
	a = show(f.k);
	expect_has(a, "  @0-1048575 zeros, nothing written yet\n");
	free(a);
	sim_kernel_free(&f.k);
}

/* A megabyte with writes at both ends: two lines of bytes, the zeros
 * between summed up; a segment with many writes shows the first ones and
 * says how many more there are. */
Test(show_bytes, long_segments_are_elided_around_what_was_touched)
{
	struct seg_fix f = seg_mk(1 << 20);
	char *a, *b, *p;
	int lines = 0;

	cr_assert_eq(sim_mem_write(f.k, f.p1, f.a + 8, "head", 5), 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, f.a + (1 << 20) - 8, -1), 0);
	a = show(f.k);
	expect_has(a, "  @0-7      zeros\n"
	              "  @8        text \"head\"  (copied by P1)\n"
	              "  @12-1048567 zeros\n"
	              "  @1048568  long -1  (stored by P1)\n");
	for (int i = 0; i < 40; i++)
		cr_assert_eq(sim_mem_store(f.k, f.p2, f.a + 4096 + 16 * (unsigned long)i, i), 0);
	b = show(f.k);
	expect_has(b, "  ... 34 more written regions, up to @1048575\n");
	for (p = strstr(b, "-- shm 0"); p != NULL && (p = strchr(p, '\n')) != NULL &&
	     strncmp(p + 1, "==", 2) != 0; p++)
		lines++;
	cr_expect_leq(lines, 8 * 2 + 2, "a busy segment takes a bounded number of lines: %s", b);
	cr_expect_leq(render_fixture_max_width(b), 80, "%s", b);
	free(a);
	free(b);
	sim_kernel_free(&f.k);
}

/* The regions themselves, as the trace gets them. */
struct got {
	struct render_mem_region r[8];
	int n;
};

static int take(void *ctx, const struct render_mem_region *r)
{
	struct got *g = ctx;

	if (g->n < 8)
		g->r[g->n] = *r;
	g->n++;
	return 0;
}

Test(show_bytes, regions_split_text_at_its_nuls_and_keep_binary_whole)
{
	struct seg_fix f = seg_mk(4096);
	struct got g = { 0 };

	cr_assert_eq(sim_mem_write(f.k, f.p1, f.a, "hello\0world", 12), 0);
	cr_assert_eq(sim_mem_write(f.k, f.p1, f.a + 32, "\x01\0\0\x02", 4), 0);
	cr_assert_eq(sim_mem_write(f.k, f.p1, f.a + 48, "\0\0\0", 3), 0);
	cr_assert_eq(render_shm_regions(f.k, f.id, take, &g), 0);
	cr_assert_eq(g.n, 4, "%d regions", g.n);
	cr_expect(g.r[0].off == 0 && g.r[0].len == 5 && g.r[0].kind == RENDER_MEM_TEXT);
	cr_expect(g.r[1].off == 6 && g.r[1].len == 5 && g.r[1].kind == RENDER_MEM_TEXT);
	cr_expect(g.r[2].off == 32 && g.r[2].len == 4 && g.r[2].kind == RENDER_MEM_HEX,
	          "binary with NULs inside is one region: @%zu +%zu", g.r[2].off, g.r[2].len);
	cr_expect(g.r[3].off == 48 && g.r[3].kind == RENDER_MEM_HEX && g.r[3].pid == f.p1,
	          "zeros written on purpose are written");
	cr_expect_eq(render_shm_regions(f.k, 7, take, &g), -EINVAL);
	sim_kernel_free(&f.k);
}

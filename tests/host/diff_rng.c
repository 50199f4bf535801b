/*
 * diff_rng.c - splitmix64 (Steele, Lea, Flood 2014), see diff_rng.h.
 */
#include "diff_rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void diff_rng_init(struct diff_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);

	r->state = splitmix64(&x);
}

uint64_t diff_rng_next(struct diff_rng *r)
{
	return splitmix64(&r->state);
}

unsigned diff_rng_below(struct diff_rng *r, unsigned n)
{
	return (unsigned)(diff_rng_next(r) % n);
}

int diff_rng_chance(struct diff_rng *r, unsigned percent)
{
	return diff_rng_below(r, 100) < percent;
}

int diff_rng_pick(struct diff_rng *r, const unsigned *weights, int n)
{
	unsigned total = 0, x;

	for (int i = 0; i < n; i++)
		total += weights[i];
	x = diff_rng_below(r, total ? total : 1);
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

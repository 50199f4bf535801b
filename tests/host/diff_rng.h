/*
 * diff_rng.h - the differential test's own PRNG (splitmix64): the same
 * sequences on every machine and libc, never rand().
 */
#ifndef IPCSIM_DIFF_RNG_H
#define IPCSIM_DIFF_RNG_H

#include <stdint.h>

struct diff_rng {
	uint64_t state;
};

/* Independent stream per (seed, stream): sequence N can be made alone. */
void diff_rng_init(struct diff_rng *r, uint64_t seed, uint64_t stream);
uint64_t diff_rng_next(struct diff_rng *r);
/* Uniform in [0, n); n > 0. */
unsigned diff_rng_below(struct diff_rng *r, unsigned n);
/* 1 with probability percent/100. */
int diff_rng_chance(struct diff_rng *r, unsigned percent);
/* Index chosen by weights[0..n): each weight is a relative frequency. */
int diff_rng_pick(struct diff_rng *r, const unsigned *weights, int n);

#endif

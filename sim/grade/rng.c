/*
 * rng.c - the exercise generator: FNV-1a over a seed string, SplitMix64 for
 * the draws.  Both are written out here, not taken from libc (rand() differs
 * between C libraries and versions), and frozen: docs/scenario-language.md
 * specifies them, and tests/unit/test_grade.c holds seed -> draw vectors, so
 * a student id gives the same variant on every machine, in every version.
 */
#include "ipcsim/grade.h"

uint64_t grade_fnv1a64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Steele, Lea and Flood's SplitMix64 (as in Java's SplittableRandom). */
uint64_t grade_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Draws past the largest multiple of n below 2^64 are drawn again, so every
 * residue is equally likely. */
uint64_t grade_uniform(uint64_t *state, uint64_t n)
{
	uint64_t reject_from = -(-n % n); /* 2^64 - (2^64 mod n), 0 meaning 2^64 */
	uint64_t x;

	if (n <= 1)
		return 0;
	do
		x = grade_splitmix64(state);
	while (reject_from != 0 && x >= reject_from);
	return x % n;
}

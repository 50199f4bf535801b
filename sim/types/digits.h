/*
 * digits.h - a number's digits without printf: the few numbers a step
 * prints (the strace line, the drawing, the trace, exec's record) are on
 * every step's path, and printf's machinery costs more than the rest of the
 * line.  The digits are written backwards so that they end at `end`; the
 * return value is where they start.  DIGITS_MAX bytes before `end` hold any
 * 64-bit number in base 10 or 16, with its sign.
 */
#ifndef IPCSIM_TYPES_DIGITS_H
#define IPCSIM_TYPES_DIGITS_H

#define DIGITS_MAX 21

/* v in base 10 or 16 (lower case), no prefix. */
static inline char *digits_u(char *end, unsigned long long v, unsigned base)
{
	char *p = end;

	do
		*--p = "0123456789abcdef"[v % base];
	while ((v /= base) != 0);
	return p;
}

/* v in decimal, '-' first when negative. */
static inline char *digits_ll(char *end, long long v)
{
	char *p = digits_u(end, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, 10);

	if (v < 0)
		*--p = '-';
	return p;
}

#endif

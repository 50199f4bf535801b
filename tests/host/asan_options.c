/*
 * asan_options.c - AddressSanitizer's defaults for the host tests, when
 * they are built with it (make asan): a quarantine of 16 MB, not 256.
 *
 * Why: every sequence of the differential test forks a coordinator, and
 * that a process per process of the sequence (about 10,000 forks in all),
 * from a test process that keeps freed memory in quarantine.  A fork copies
 * the page tables of everything resident, so with the default quarantine
 * each fork copies tens of megabytes of them and the run triples.  A use
 * after free is still caught within the last 16 MB freed; ASAN_OPTIONS
 * still overrides this.
 */
#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}
#else
/* ISO C forbids an empty translation unit. */
typedef int asan_options_unused;
#endif

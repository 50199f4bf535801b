/*
 * version.c - the version of the library that was linked (ipcsim/ipcsim.h).
 */
#include "ipcsim/ipcsim.h"

const char *ipcsim_version(void)
{
	return IPCSIM_VERSION;
}

// SPDX-License-Identifier: MIT
// dlopen/dlclose between stacks (doc/ENGINE.md, 'Unwind caches and code that changes'): for each "LIB:FUNCTION" argument, load LIB, call
// FUNCTION (an openat of a marker path, a -k stack inside the library), print where LIB was mapped
// ("stk_dlopen LIB base=0x..."), then dlclose it so the next library can take its place.
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char spec[4096];
		snprintf(spec, sizeof(spec), "%s", argv[i]);
		char *fn = strrchr(spec, ':');
		if (!fn)
			return 2;
		*fn++ = 0;
		void *h = dlopen(spec, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			fprintf(stderr, "stk_dlopen: %s\n", dlerror());
			return 1;
		}
		int (*f)(void) = (int (*)(void))dlsym(h, fn);
		Dl_info info;
		if (!f || !dladdr((void *)f, &info)) {
			fprintf(stderr, "stk_dlopen: %s: no %s\n", spec, fn);
			return 1;
		}
		f();
		printf("stk_dlopen %s base=%p\n", spec, info.dli_fbase);
		fflush(stdout);
		if (dlclose(h))
			return 1;
	}
	return 0;
}

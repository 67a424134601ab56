/* SPDX-License-Identifier: BSD-2-Clause */
/* locate.c - see locate.h. */
#define _GNU_SOURCE /* realpath */
#include "locate.h"

#include "util.h"

#include <limits.h>
#include <unistd.h>

#ifndef MKIMG_REL_DATA
#define MKIMG_REL_DATA "../share/mkimg"
#endif
#ifndef MKIMG_REL_LOADER
#define MKIMG_REL_LOADER "../lib/mkimg/loader.elf"
#endif

/* The folder of the running program, with symlinks resolved (a link to
 * mkimg in ~/bin still finds the prefix it points into), or NULL. */
static const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	static int done;
	if (!done) {
		char *real = realpath("/proc/self/exe", NULL);
		char *slash = real ? strrchr(real, '/') : NULL;
		if (slash && (size_t)(slash - real) < sizeof(dir)) {
			memcpy(dir, real, (size_t)(slash - real));
			dir[slash - real] = 0;
		}
		free(real);
		done = 1;
	}
	return *dir ? dir : NULL;
}

/* `rel` beside the program, lexically tidied ("bin/../share" -> "share"),
 * or NULL. */
static char *beside_exe(const char *rel)
{
	const char *dir = exe_dir();
	if (!dir)
		return NULL;
	char *path = xasprintf("%s/%s", dir, rel);
	char *real = realpath(path, NULL);
	if (real) {
		free(path);
		return real;
	}
	return path;
}

const char *locate_data_dir(char **tried)
{
	static char *data;
	static int done;
	if (!done) {
		const char *env = getenv("MKIMG_DATA_DIR");
		data = env && *env ? xstrdup(env) : beside_exe(MKIMG_REL_DATA);
		done = 1;
	}
	char *probe = data ? xasprintf("%s/cmake/aarch64-toolchain.cmake", data) : NULL;
	bool ok = probe && access(probe, R_OK) == 0;
	free(probe);
	if (tried)
		*tried = ok ? NULL : xstrdup(data ? data : MKIMG_REL_DATA);
	return ok ? data : NULL;
}

const char *locate_loader(void)
{
	static char *loader;
	if (!loader) {
		const char *env = getenv("MKIMG_LOADER");
		loader = env && *env ? xstrdup(env) : beside_exe(MKIMG_REL_LOADER);
		if (!loader)
			loader = xstrdup("loader.elf");
	}
	return loader;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* locate.h - where mkimg's own files are, found from the running program,
 * so that a build tree and any install prefix work wherever they are.
 *
 * The data folder holds cmake/aarch64-toolchain.cmake, linker/, kernel/
 * and examples/ (what `build: cmake` nodes use); the loader is the
 * prebuilt loader.elf. Each is looked up in this order:
 *   1. the environment: $MKIMG_DATA_DIR, $MKIMG_LOADER;
 *   2. beside the program: MKIMG_REL_DATA and MKIMG_REL_LOADER, relative
 *      to the folder of /proc/self/exe (an install: ../share/mkimg and
 *      ../lib/mkimg/loader.elf; the build tree mirrors that layout).
 * Nothing absolute is compiled in.
 */
#ifndef MKIMG_LOCATE_H
#define MKIMG_LOCATE_H

/* The data folder, or NULL when neither place has one (then `tried`, if
 * not NULL, receives where it was looked for; free it). The result is
 * owned by this module. */
const char *locate_data_dir(char **tried);
/* The loader: $MKIMG_LOADER, or its place beside the program (which need
 * not exist: the reader says so). Owned by this module. */
const char *locate_loader(void);

#endif

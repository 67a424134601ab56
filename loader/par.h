/* SPDX-License-Identifier: BSD-2-Clause */
/* par.h - parallel self-loading (README.md, "Loading in parallel"): the
 * constants start.S and loader.c share. */
#ifndef MKIMG_PAR_H
#define MKIMG_PAR_H

#define PAR_MAX 8        /* nodes [0, PAR_MAX) of the boot order may load themselves */
#define PAR_STACK 0x400  /* each one's stack, in the loader's BSS (it needs ~700 bytes) */

/* A node's status word (par_word[k]), written by its own cpu, MMU on. */
#define PAR_NONE 0       /* not up (yet) */
#define PAR_BUSY 1       /* up, MMU on, verifying and placing */
#define PAR_OK 2         /* its members verified, its node placed and cleaned to PoC */
#define PAR_PLACE 3      /* place.c stopped it: par_word[PAR_MAX + k] is why */
#define PAR_BAD 0x100    /* + m: member m's SHA-256 does not match */

#endif

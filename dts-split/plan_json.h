/* SPDX-License-Identifier: BSD-2-Clause */
/* plan_json.h - a plan read back from `mkimg plan --format json` (the keys
 * report.c's report_json writes), for the standalone dts-split command.
 *
 * Only what a split needs is read; other keys are ignored. Addresses may be
 * hex strings ("0x40000000", as mkimg writes them) or plain numbers. So that
 * a plan can be written by hand, a node's `reserved`, `shared_pools`,
 * `devices` and `sgis` may be left out: they are then derived as the planner
 * would (board RAM minus the node's memory and the pools; the pools that
 * list the node; none; the channels to or from it).
 *
 * Device and console paths must name devices of the board: the plan keeps
 * its copy of the board (plan.board, from `pf`) and points into it. The
 * plan has no manifest: plan.manifest names the JSON file, which every
 * node's `loc` names, and plan.manifest_dir is NULL.
 */
#ifndef MKIMG_PLAN_JSON_H
#define MKIMG_PLAN_JSON_H

#include "plan.h"

struct plan_json {
	struct plan plan; /* owns all it holds */
};

/* Parse `len` bytes of JSON named `path` against the loaded board `pf`
 * (platform.h), which the plan copies: `pf` may be freed afterwards.
 * Returns 0, or -1 with errors in `d` (free it all the same). */
int plan_json_parse(struct plan_json *pj, const char *path, const char *text, size_t len,
		    const struct platform *pf, struct diags *d);
/* The same from a file; "-" reads standard input. */
int plan_json_load(struct plan_json *pj, const char *path, const struct platform *pf, struct diags *d);
void plan_json_free(struct plan_json *pj);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/* build_driver - the build stage as `mkimg MANIFEST` runs it, for the tests:
 * load the manifest and the board, plan, then build_nodes() into OUT.
 * dts-split must have written OUT/node<N>/ first.
 *
 * usage: build_driver [--progress] [-j N] MANIFEST OUT
 * Prints "node ID kernel|rootserver PATH" per artifact; exit 0, or 1 with
 * the errors on stderr as mkimg prints them. --progress writes the
 * progress lines to stderr even when it is not a terminal.
 */
#include "build.h"
#include "manifest.h"
#include "platform.h"

#include <unistd.h>

int main(int argc, char **argv)
{
	struct build_options o = {.progress = isatty(2) ? stderr : NULL, .data_dir = MKIMG_DATA_DIR};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--progress"))
			o.progress = stderr;
		else if (!strcmp(argv[i], "-j") && i + 1 < argc)
			o.jobs = (unsigned)atoi(argv[++i]);
		else
			break;
	}
	if (argc - i != 2) {
		fputs("usage: build_driver [--progress] [-j N] MANIFEST OUT\n", stderr);
		return 2;
	}
	struct manifest m = {0};
	struct platform pf = {0};
	struct plan p = {0};
	struct diags d = {0};
	struct node_artifacts *arts = NULL;
	int ret = 1;
	if (manifest_load(&m, argv[i], &d) < 0 || platform_load(&pf, m.dtb.s ? m.dtb.s : m.dts.s, &d) < 0 ||
	    plan_build(&p, &m, &pf, &d) < 0)
		goto out;
	arts = xcalloc(p.n_nodes, sizeof(*arts));
	if (build_nodes(&p, argv[i + 1], &o, arts, &d) == 0) {
		for (size_t k = 0; k < p.n_nodes; k++) {
			if (arts[k].kernel)
				printf("node %u kernel %s\n", arts[k].id, arts[k].kernel);
			if (arts[k].root_task)
				printf("node %u rootserver %s\n", arts[k].id, arts[k].root_task);
		}
		ret = 0;
	}
	node_artifacts_free(arts, p.n_nodes);
	free(arts);
out:
	diag_print(stderr, &d);
	diags_free(&d);
	plan_free(&p);
	platform_free(&pf);
	manifest_free(&m);
	return ret;
}

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# spdx.sh REPO - every source, script and build file carries the SPDX
# licence line (LICENSE: BSD-2-Clause). Data is exempt: board trees, test
# manifests and the bad corpus's inputs and expected messages, whose bytes
# and line numbers the tests compare.
cd "$1" || exit 1
missing=$(git ls-files | grep -E '\.(c|h|S|ld|cmake|in|sh|py)$|CMakeLists\.txt$|^ci/|^\.ci/|^examples/.*partition\.yaml$' |
	while IFS= read -r f; do head -3 "$f" | grep -q 'SPDX-License-Identifier: BSD-2-Clause' || echo "$f"; done)
[ -z "$missing" ] || { echo "FAIL: no SPDX-License-Identifier line in:"; echo "$missing"; exit 1; }
echo "spdx: pass"

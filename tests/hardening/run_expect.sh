#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run_expect.sh MKIMG IMAGE - `mkimg run --expect` as a CI pipeline uses it:
# exit 0 as soon as every pattern has shown (and QEMU is gone), 1 with the
# patterns not seen on a timeout, 1 at once when the loader refuses a
# damaged image.
set -u
mkimg=$1 image=$2
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

# a copy of its own, so that the QEMU looked for below is this test's
cp "$image" "$work/run-expect-$$.elf"
"$mkimg" run "$work/run-expect-$$.elf" --timeout 30 --expect '^node 0: ok' --expect '^node 1: ok' \
	>"$work/out" 2>"$work/err"
st=$?
[ $st -eq 0 ] || no "both nodes: exit $st ($(cat "$work/err"))"
grep -q '^node 1: ok' "$work/out" || no "the console was not printed"
pgrep -f "qemu-system-aarch64.*run-expect-$$.elf" >/dev/null && no "QEMU still runs"

start=$(date +%s)
"$mkimg" run "$image" --timeout 3 --expect '^node 0: ok' --expect '^node 9: ok' >/dev/null 2>"$work/err"
st=$? took=$(($(date +%s) - start))
[ $st -eq 1 ] || no "a pattern never seen: exit $st, expected 1"
# (node 0 too, when a loaded host has not booted it within the 3 s)
grep -Eq "timed out after 3 s; the console never showed ('\^node 0: ok', )?'\^node 9: ok'\$" "$work/err" ||
	no "no timeout message: $(cat "$work/err")"
[ $took -lt 20 ] || no "the timeout took $took s"

# a byte of a payload member flipped (in the raw image beside it, where
# inspect's offsets are file offsets): the loader refuses, and that ends the run
bin=${image%.elf}.bin
at=$("$mkimg" inspect --format json "$bin" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["members"][0]["offset"], 0) + 16)')
cp "$bin" "$work/bad.bin"
printf '\377' | dd of="$work/bad.bin" bs=1 seek="$at" conv=notrunc 2>/dev/null
"$mkimg" run "$work/bad.bin" --timeout 30 --expect '^node 0: ok' >/dev/null 2>"$work/err"
st=$?
[ $st -eq 1 ] || no "a damaged image: exit $st, expected 1"
grep -q "the loader refused the image" "$work/err" || no "a damaged image: $(cat "$work/err")"

# the JUnit XML report CI systems read: a test case per pattern, the one
# not seen failed, the console as system-out
"$mkimg" run "$image" --timeout 3 --expect '^node 0: ok' --expect '^node 9: ok' --junit "$work/r.xml" \
	>/dev/null 2>&1
python3 - "$work/r.xml" <<'PY' || no "the JUnit report"
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = s.findall("testcase")
assert s.get("tests") == "2" and s.get("failures") == "1", s.attrib
assert [c.get("name") for c in cases] == ["^node 0: ok", "^node 9: ok"]
assert cases[0].find("failure") is None and cases[1].find("failure").get("message") == "timed out"
assert "node 0: ok" in s.find("system-out").text
PY

"$mkimg" run "$image" --expect '(' --timeout 5 >/dev/null 2>"$work/err"
[ $? -eq 1 ] && grep -q "is not a regular expression" "$work/err" || no "a bad pattern: $(cat "$work/err")"
[ $fail -eq 0 ] && echo "run --expect: pass"
exit $fail

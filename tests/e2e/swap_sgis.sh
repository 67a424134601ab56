#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# swap_sgis.sh - the end-to-end test can fail: swap two SGI numbers and the
# Client's line must not come.
#
# usage: swap_sgis.sh MKIMG MANIFEST GOOD_DIR WORK_DIR LINE [TIMEOUT]
#
# The tooling keeps both ends of a channel consistent (a manifest's explicit
# `sgi:` reaches the sender's and the receiver's trees alike), so the fault
# is put in after it: a copy of the good image's folder, node 0's kernel.dtb
# with its two channels' SGI numbers exchanged (fdtput), packed again with
# `mkimg pack`. Nothing is rebuilt: the kernels read their channels at boot.
# Node 0 now sends on the SGI node 1 does not listen to and waits on one
# nobody sends: the Client never gets its answer (on GICv3 its kernel even
# sees that node 1 never listens on that SGI, and `signal` fails). Passes
# when expect_line.py reports exactly that: every kernel ok, then a timeout.
set -eu
mkimg=$1 manifest=$2 good=$3 work=$4 line=$5 timeout=${6:-5}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "swap_sgis: FAIL: $*"; exit 1; }

rm -rf "$work"
cp -R "$good" "$work"
dtb=$work/node0/kernel.dtb
a=$(fdtget "$dtb" /chosen/mkimg/channel-0 sgi)
b=$(fdtget "$dtb" /chosen/mkimg/channel-1 sgi)
[ "$a" != "$b" ] || fail "node 0's channels already share SGI $a"
fdtput -t u "$dtb" /chosen/mkimg/channel-0 sgi "$b"
fdtput -t u "$dtb" /chosen/mkimg/channel-1 sgi "$a"
[ "$(fdtget "$dtb" /chosen/mkimg/channel-0 sgi)" = "$b" ] || fail "fdtput did not change channel-0"
echo "node 0: channel-0 sgi $a -> $b, channel-1 sgi $b -> $a"
"$mkimg" pack "$manifest" -o "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail "mkimg pack failed"; }

status=0
python3 "$here/expect_line.py" "$mkimg" "$work" "$line" --timeout "$timeout" || status=$?
case $status in
0) fail "'$line' appeared although node 0's SGIs were swapped: the test cannot tell" ;;
1) echo "swap_sgis: ok: with two SGI numbers swapped the kernels boot and the line never comes" ;;
*) fail "the swapped image did not even boot its kernels (status $status)" ;;
esac

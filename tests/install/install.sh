#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# install.sh BUILD SOURCE PYTHON - mkimg as a user meets it installed:
# `cmake --install` into a prefix, the prefix moved elsewhere (a name with
# a space), and then, with the source and build trees hidden (a tmpfs
# mounted over them in a mount namespace of this test's own), an outside
# CMake project finds the prefix with find_package(mkimg), builds the
# installed hello example (both nodes' demo kernels and root tasks, from
# the installed kernel/ and examples/) and the installed mkimg boots it in
# QEMU: both nodes print `node N: ok` (tests/image/boot.py); the installed
# client root task builds on the installed connector library. Also: no
# installed file names the source or build tree.
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) py=$3
tmp=$(mktemp -d /tmp/mkimg-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$tmp/staged" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
mv "$tmp/staged" "$tmp/moved prefix"
prefix="$tmp/moved prefix"
for f in bin/mkimg bin/dts-split lib/mkimg/loader.elf share/mkimg/cmake/mkimg-config.cmake \
	share/mkimg/cmake/aarch64-toolchain.cmake share/mkimg/linker/user.ld share/mkimg/kernel/CMakeLists.txt \
	share/mkimg/examples/qemu-arm-virt/hello/partition.yaml share/mkimg/connect/connect.cmake \
	share/mkimg/connect/include/mk_connect.h share/man/man1/mkimg.1 share/man/man1/dts-split.1 \
	share/man/man5/mkimg-manifest.5 share/bash-completion/completions/mkimg share/zsh/vendor-completions/_mkimg; do
	[ -f "$prefix/$f" ] || fail "not installed: $f"
done

MANPATH="$prefix/share/man" man -w mkimg-manifest >/dev/null || fail "man does not find mkimg-manifest(5) in the prefix"

# Nothing installed names the trees it came from (the programs' debug
# information aside: only their read-only data is searched).
# A sanitized build (ci/test's first pass) keeps its source locations in
# the programs' read-only data for its reports: its programs are not read.
sanitized=
grep -q '^MKIMG_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && sanitized=1
find "$prefix" -type f >"$tmp/files"
while IFS= read -r f; do
	if head -c 4 "$f" | grep -q ELF; then
		[ -n "$sanitized" ] && case $f in */bin/*) continue ;; esac
		text=$(readelf -p .rodata "$f" 2>/dev/null || true)
	else
		text=$(cat "$f")
	fi
	case $text in
	*"$src"* | *"$build"*) fail "'${f#"$prefix"/}' names the source or build tree" ;;
	esac
done <"$tmp/files"

# The boot's reader, beside the project: the trees will be hidden.
mkdir -p "$tmp/tests/image" "$tmp/tests/lib" "$tmp/proj"
cp "$src/tests/image/boot.py" "$tmp/tests/image/"
cp "$src/tests/lib/console.py" "$tmp/tests/lib/"
cat >"$tmp/proj/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(outside NONE)
find_package(mkimg 0.2 REQUIRED)
mkimg_add_image(NAME image MANIFEST ${MKIMG_DATA_DIR_FOUND}/examples/qemu-arm-virt/hello/partition.yaml ALL
                EXPECT "^node 0: ok EL1" "^node 1: ok EL1" TIMEOUT 60)
CMAKE
cat >"$tmp/inner.sh" <<'SH'
set -eu
cd "$TMP"
[ -e "$SRC/CMakeLists.txt" ] && { echo "FAIL: the source tree is still visible"; exit 1; }
cmake -S proj -B proj-build -G Ninja -DCMAKE_PREFIX_PATH="$PREFIX" >proj.log 2>&1 ||
	{ cat proj.log; echo "FAIL: configuring the outside project"; exit 1; }
grep -qx "MKIMG_EXECUTABLE:FILEPATH=$PREFIX/bin/mkimg" proj-build/CMakeCache.txt ||
	{ grep MKIMG_EXECUTABLE proj-build/CMakeCache.txt; echo "FAIL: not the installed mkimg"; exit 1; }
cmake --build proj-build >>proj.log 2>&1 || { cat proj.log; echo "FAIL: building the image"; exit 1; }
"$PY" tests/image/boot.py "$PREFIX/bin/mkimg" proj-build/image/elfloader.elf proj-build/image/layout.json
# and as a CI pipeline boots it: the project's run target, `mkimg run --expect`
cmake --build proj-build --target image-run >run.log 2>&1 || { cat run.log; echo "FAIL: the image-run target"; exit 1; }
grep -q '^node 1: ok EL1' run.log || { cat run.log; echo "FAIL: image-run showed no node 1 line"; exit 1; }
# A root task on the installed connector library (share/mkimg/connect),
# found by the installed example's relative include.
cmake -S "$PREFIX/share/mkimg/examples/qemu-arm-virt/apps/client" -B client-build -G Ninja \
	-DCMAKE_TOOLCHAIN_FILE="$PREFIX/share/mkimg/cmake/aarch64-toolchain.cmake" >client.log 2>&1 &&
	cmake --build client-build >>client.log 2>&1 && [ -f client-build/rootserver.elf ] ||
	{ cat client.log; echo "FAIL: the installed client root task on the installed connector library"; exit 1; }
SH
unset MKIMG_LOADER MKIMG_DATA_DIR MKIMG_EXECUTABLE
export TMP="$tmp" SRC="$src" PREFIX="$prefix" PY="$py"
# Hide the source tree and the build tree (when it lies outside it).
hide='mount -t tmpfs none "$SRC"'
case $build/ in "$src"/*) ;; *) hide="$hide && mount -t tmpfs none \"\$BUILD\"" ;; esac
export BUILD="$build"
if unshare -rm true 2>/dev/null; then
	unshare -rm sh -c "$hide && exec sh \"\$TMP/inner.sh\""
else
	echo "note: no mount namespace here (unshare -rm): the trees stay visible"
	sh "$tmp/inner.sh"
fi
echo "install: pass"

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# cmake_module.sh - cmake/Mkimg.cmake: examples/cmake-user and a project
# using every argument, each built against a stub mkimg that records how it
# was called (the real main job is tested through build_nodes()).
# usage: cmake_module.sh REPO WORK BUILD   (BUILD: mkimg's build tree, whose
# mkimg-config.cmake the example finds through -Dmkimg_DIR)
REPO=$1 WORK=$2 BUILD=$3 MKIMG=unused DTS_SPLIT=unused
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
cat >stub-mkimg <<'SH'
#!/bin/sh
echo "$@" >>"$STUB_LOG"
SH
chmod +x stub-mkimg
export STUB_LOG=$WORK/calls

# 1. The example, as a user builds it.
cmake -S "$REPO/examples/cmake-user" -B user -G Ninja -Dmkimg_DIR="$BUILD" -DMKIMG_EXECUTABLE="$WORK/stub-mkimg" \
	>user.log 2>&1 ||
	{ cat user.log; fail "configuring examples/cmake-user failed"; }
cmake --build user >>user.log 2>&1 || { cat user.log; fail "building examples/cmake-user failed"; }
expect_line calls "$REPO/examples/cmake-user/partition.yaml -o $WORK/user/image"
cmake --build user --target image-run >>user.log 2>&1 || { cat user.log; fail "image-run failed"; }
expect_line calls "run $WORK/user/image/elfloader.elf --timeout 60 --expect ^node 0: ok --expect ^node 1: ok"

# 1b. find_package(mkimg) without MKIMG_EXECUTABLE finds the build tree's mkimg.
cmake -S "$REPO/examples/cmake-user" -B user2 -G Ninja -Dmkimg_DIR="$BUILD" >user2.log 2>&1 ||
	{ cat user2.log; fail "configuring examples/cmake-user with -Dmkimg_DIR failed"; }
grep -qx "MKIMG_EXECUTABLE:FILEPATH=$BUILD/bin/mkimg" user2/CMakeCache.txt ||
	fail "find_package(mkimg) did not find $BUILD/bin/mkimg: $(grep MKIMG_EXECUTABLE user2/CMakeCache.txt)"

# 2. Every argument: OUTPUT, JOBS, MKIMG as a target, DEPENDS, not ALL.
mkdir -p proj
cat >proj/CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(proj NONE)
list(APPEND CMAKE_MODULE_PATH "$REPO/cmake")
include(Mkimg)
add_custom_target(fake_mkimg COMMAND \${CMAKE_COMMAND} -E touch made-mkimg)
add_custom_target(kernel_file COMMAND \${CMAKE_COMMAND} -E touch made-kernel)
mkimg_add_image(NAME img MANIFEST "$REPO/examples/cmake-user/partition.yaml" OUTPUT there JOBS 3
                MKIMG "$WORK/stub-mkimg" DEPENDS kernel_file)
get_target_property(out img MKIMG_OUTPUT_DIR)
file(WRITE \${CMAKE_BINARY_DIR}/out.txt "\${out}")
CMAKE
: >calls
cmake -S proj -B proj-build -G Ninja >proj.log 2>&1 || { cat proj.log; fail "configuring the project failed"; }
cmake --build proj-build >>proj.log 2>&1
[ -s calls ] && fail "a target without ALL was built by default"
cmake --build proj-build --target img >>proj.log 2>&1 || { cat proj.log; fail "building img failed"; }
expect_line calls "$REPO/examples/cmake-user/partition.yaml -o $WORK/proj-build/there -j 3"
[ -f proj-build/made-kernel ] || fail "DEPENDS: the kernel_file target did not run first"
[ "$(cat proj-build/out.txt)" = "$WORK/proj-build/there" ] || fail "MKIMG_OUTPUT_DIR is '$(cat proj-build/out.txt)'"

# 3. Misuse is a clear configure error.
mkdir -p bad
printf 'cmake_minimum_required(VERSION 3.20)\nproject(bad NONE)\nlist(APPEND CMAKE_MODULE_PATH "%s/cmake")\ninclude(Mkimg)\nmkimg_add_image(NAME x)\n' "$REPO" >bad/CMakeLists.txt
if cmake -S bad -B bad-build >bad.log 2>&1; then fail "mkimg_add_image without MANIFEST configured"; fi
expect_line bad.log "mkimg_add_image: NAME and MANIFEST are required"
echo "cmake-module: pass"

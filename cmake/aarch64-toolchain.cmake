# SPDX-License-Identifier: BSD-2-Clause
# aarch64-toolchain.cmake - cross toolchain for the bare-metal parts (loader,
# demo kernel, root tasks).
#
# Usage:
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-toolchain.cmake ...
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-toolchain.cmake -DMKIMG_CROSS_CLANG=ON ...
#
# Defaults to Debian's gcc-aarch64-linux-gnu; MKIMG_CROSS_CLANG=ON uses clang
# with --target=aarch64-none-elf and lld. MKIMG_CROSS_PREFIX overrides the
# GNU prefix ("aarch64-linux-gnu-").
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MKIMG_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "GNU cross tool prefix")
option(MKIMG_CROSS_CLANG "Use clang and lld instead of the GNU cross compiler" OFF)
if(MKIMG_CROSS_CLANG)
  set(CMAKE_C_COMPILER clang)
  set(CMAKE_ASM_COMPILER clang)
  set(CMAKE_C_COMPILER_TARGET aarch64-none-elf)
  set(CMAKE_ASM_COMPILER_TARGET aarch64-none-elf)
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld")
else()
  set(CMAKE_C_COMPILER ${MKIMG_CROSS_PREFIX}gcc)
  set(CMAKE_ASM_COMPILER ${MKIMG_CROSS_PREFIX}gcc)
endif()
set(CMAKE_OBJCOPY ${MKIMG_CROSS_PREFIX}objcopy CACHE FILEPATH "")
# Freestanding: nothing to link from the host, no try-run of executables.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

# SPDX-License-Identifier: BSD-2-Clause
# Stand-in for seL4's gcc.cmake (NOT seL4's): the compiler from
# CROSS_COMPILER_PREFIX, as seL4's toolchain file takes it.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER ${CROSS_COMPILER_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${CROSS_COMPILER_PREFIX}gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

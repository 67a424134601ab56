# SPDX-License-Identifier: BSD-2-Clause
# rootserver.cmake - build a root task (capdl.N.img) of the demo kernel.
#
# Usage, from an app's CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/../lib/rootserver.cmake)
#   add_rootserver(main.c [more sources])
#
# Gives `rootserver.elf` at the top of the build folder, as mkimg's
# `rootserver: {build: cmake, source: ...}` expects: the sources plus this
# folder's start.S and rt.c, freestanding, linked with mkimg's
# linker/user.ld, the demo kernel's ABI (kernel/include/demo_abi.h) on the
# include path. MKIMG_DATA_DIR (mkimg passes it) says where mkimg's own
# files are; it defaults to this source tree.
set(MKIMG_NODE_ID 0 CACHE STRING "The node this root task is built for (informative: it reads its id at run time)")
get_filename_component(_rt_root "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)
set(MKIMG_DATA_DIR "${_rt_root}" CACHE PATH "mkimg's own files (linker/user.ld, kernel/include)")
set(_rt_lib ${CMAKE_CURRENT_LIST_DIR})

function(add_rootserver)
  set(user_ld ${MKIMG_DATA_DIR}/linker/user.ld)
  add_executable(rootserver.elf ${_rt_lib}/start.S ${_rt_lib}/rt.c ${ARGN})
  set_target_properties(rootserver.elf PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF LINK_DEPENDS ${user_ld})
  target_include_directories(rootserver.elf PRIVATE ${_rt_lib} ${MKIMG_DATA_DIR}/kernel/include)
  target_compile_options(rootserver.elf PRIVATE
    -ffreestanding -nostdlib -mgeneral-regs-only -mstrict-align -Wall -Wextra -Werror -O2
    -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables)
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # Or GCC may turn a copy loop into a call to memcpy.
    target_compile_options(rootserver.elf PRIVATE -fno-tree-loop-distribute-patterns)
  endif()
  target_link_options(rootserver.elf PRIVATE
    -nostdlib -static $<$<C_COMPILER_ID:GNU>:-no-pie> -Wl,--build-id=none -Wl,-z,max-page-size=4096
    -T ${user_ld})
endfunction()

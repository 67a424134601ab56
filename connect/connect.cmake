# SPDX-License-Identifier: BSD-2-Clause
# connect.cmake - build a root task (capdl.N.img) on the connector library
# (connect/README.md), for the kernel its node runs.
#
# Usage, from a root task's CMakeLists.txt:
#   project(my_rootserver C ASM)
#   include(${MKIMG_DATA_DIR}/connect/connect.cmake)
#   add_rootserver(main.c [more sources])
#
# Gives `rootserver.elf` at the top of the build folder, as mkimg's
# `rootserver: {build: cmake, source: ...}` expects: the sources plus the
# library (entry.S, common.c and the back end of MKIMG_KERNEL),
# freestanding, linked with mkimg's linker/user.ld, mk_connect.h on the
# include path.
#
# MKIMG_DATA_DIR (mkimg passes it) says where mkimg's own files are
# (linker/user.ld, kernel/include, include); it defaults to the tree this file is
# in. The library's sources are always this file's neighbours.
set(MKIMG_NODE_ID 0 CACHE STRING "The node this root task is built for (informative: it reads its id at run time)")
get_filename_component(_mk_connect "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
get_filename_component(_mk_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(MKIMG_DATA_DIR "${_mk_root}" CACHE PATH "mkimg's own files (linker/user.ld, kernel/include, include, connect)")
set(MKIMG_KERNEL demo CACHE STRING "The kernel the node runs, whose back end the root task gets: demo or sel4")
set_property(CACHE MKIMG_KERNEL PROPERTY STRINGS demo sel4)

# The back end's sources, include folders and libraries.
function(_mk_connect_backend target)
  if(MKIMG_KERNEL STREQUAL "demo")
    target_sources(${target} PRIVATE ${_mk_connect}/src/demo.c)
    target_include_directories(${target} PRIVATE ${MKIMG_DATA_DIR}/kernel/include)
  elseif(MKIMG_KERNEL STREQUAL "sel4")
    if(NOT MKIMG_SEL4_DIR)
      message(FATAL_ERROR "MKIMG_KERNEL=sel4 needs MKIMG_SEL4_DIR, the folder of the node's libsel4 package "
        "(mkimg passes it to the root task of a node whose kernel is 'build: sel4')")
    endif()
    find_package(mkimg-sel4 REQUIRED CONFIG PATHS "${MKIMG_SEL4_DIR}" NO_DEFAULT_PATH)
    # A root task of this library has no thread-local storage: seL4 before
    # 15.0.0 keeps libsel4's IPC buffer pointer in one, always.
    file(STRINGS "${MKIMG_SEL4_SOURCE}/libsel4/CMakeLists.txt" _mk_tls REGEX "LibSel4UseThreadLocals")
    if(NOT _mk_tls)
      message(FATAL_ERROR "the connector library needs seL4 15.0.0 or later: the libsel4 of "
        "'${MKIMG_SEL4_SOURCE}' always keeps its IPC buffer in thread-local storage (no LibSel4UseThreadLocals)")
    endif()
    target_sources(${target} PRIVATE ${_mk_connect}/src/sel4.c)
    # mkimg_sync.h: the sync pool's layout and its console lock, shared with the demo kernel
    target_include_directories(${target} PRIVATE ${MKIMG_DATA_DIR}/include)
    target_link_libraries(${target} PRIVATE mkimg::sel4)
    # libsel4's headers are GNU C (asm, typeof).
    set_target_properties(${target} PROPERTIES C_EXTENSIONS ON)
  else()
    message(FATAL_ERROR "MKIMG_KERNEL is '${MKIMG_KERNEL}': the connector library has back ends for demo and sel4")
  endif()
endfunction()

function(add_rootserver)
  set(user_ld ${MKIMG_DATA_DIR}/linker/user.ld)
  add_executable(rootserver.elf ${_mk_connect}/src/entry.S ${_mk_connect}/src/common.c ${ARGN})
  set_target_properties(rootserver.elf PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF LINK_DEPENDS ${user_ld})
  target_include_directories(rootserver.elf PRIVATE ${_mk_connect}/include)
  _mk_connect_backend(rootserver.elf)
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

# SPDX-License-Identifier: BSD-2-Clause
# Mkimg.cmake - make a partitioned-multikernel image a target of your own
# CMake project.
#
#   find_package(mkimg 0.2 REQUIRED)   # installed; or -Dmkimg_DIR=<mkimg>/build
#   mkimg_add_image(NAME image MANIFEST partition.yaml)
#
# or, without a package config, from mkimg's source tree:
#   list(APPEND CMAKE_MODULE_PATH <mkimg>/cmake)
#   include(Mkimg)
#
# mkimg itself plans the partition, splits the device tree and builds every
# node's kernel and root task (each in its own folder, in parallel, only
# what changed), then packs the image. So the node builds are dependencies
# of the image target by construction: the target always runs mkimg, and
# mkimg does nothing more than a no-op build when nothing changed.

# Where this module lives: an install's share/mkimg/cmake (mkimg-config.cmake
# then names the folder of its mkimg in _MKIMG_PROGRAM_HINT), or mkimg's
# source tree, whose build puts mkimg in build/bin.
set(_MKIMG_MODULE_DIR ${CMAKE_CURRENT_LIST_DIR})

# Usage:
#   mkimg_add_image(NAME <target> MANIFEST <partition.yaml>
#                   [OUTPUT <dir>] [MKIMG <program or target>] [JOBS <n>]
#                   [ALL] [DEPENDS <targets or files>...]
#                   [EXPECT <pattern>... [TIMEOUT <seconds>]])
#
# Adds the custom target <target>, which runs
#   mkimg <partition.yaml> -o <dir> [-j <n>]
# in the terminal (its per-node progress lines show), and writes the image
# and everything beside it (layout, node trees, Kernel.N.elf, capdl.N.img)
# into <dir>.
#
#   NAME      the target's name (required)
#   MANIFEST  the partition manifest, relative to the current source folder
#             (required)
#   OUTPUT    where mkimg writes; default ${CMAKE_CURRENT_BINARY_DIR}/<target>
#   MKIMG     the mkimg program, or the name of a CMake target that builds it
#             (the image then depends on it); default: the cache variable
#             MKIMG_EXECUTABLE: the mkimg of the package find_package(mkimg)
#             found, else one in <mkimg>/build/bin or on the PATH
#   JOBS      node builds in parallel (mkimg's -j); default: mkimg's (nproc)
#   ALL       build the image with the default target
#   DEPENDS   more targets (defined before this call) or files the image
#             waits for, e.g. a target that builds a kernel file the
#             manifest names
#   EXPECT    adds the target <target>-run, which boots the image in QEMU
#             (`mkimg run --expect <pattern>...`) and succeeds as soon as
#             every pattern (an extended regular expression) matched a
#             console line; it fails on a loader error, QEMU's end or the
#             TIMEOUT (default 60 s). For CI: `cmake --build B --target <target>-run`.
#
# The target's property MKIMG_OUTPUT_DIR holds <dir>, for other rules that
# use the image (e.g. a custom `run` target).
function(mkimg_add_image)
  cmake_parse_arguments(PARSE_ARGV 0 arg "ALL" "NAME;MANIFEST;OUTPUT;MKIMG;JOBS;TIMEOUT" "DEPENDS;EXPECT")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mkimg_add_image: unexpected arguments '${arg_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT arg_NAME OR NOT arg_MANIFEST)
    message(FATAL_ERROR "mkimg_add_image: NAME and MANIFEST are required")
  endif()
  get_filename_component(manifest "${arg_MANIFEST}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${manifest}")
    message(FATAL_ERROR "mkimg_add_image: the manifest '${manifest}' does not exist")
  endif()
  if(arg_OUTPUT)
    get_filename_component(out "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(out "${CMAKE_CURRENT_BINARY_DIR}/${arg_NAME}")
  endif()

  # Targets become target-level dependencies, anything else a file.
  set(files ${manifest})
  set(targets)
  foreach(d ${arg_DEPENDS})
    if(TARGET "${d}")
      list(APPEND targets "${d}")
    else()
      get_filename_component(d "${d}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(APPEND files "${d}")
    endif()
  endforeach()
  if(arg_MKIMG AND TARGET "${arg_MKIMG}")
    set(mkimg "$<TARGET_FILE:${arg_MKIMG}>")
    list(APPEND targets ${arg_MKIMG})
  elseif(arg_MKIMG)
    set(mkimg "${arg_MKIMG}")
  else()
    find_program(MKIMG_EXECUTABLE mkimg HINTS ${_MKIMG_PROGRAM_HINT} "${_MKIMG_MODULE_DIR}/../build/bin"
                 DOC "The mkimg program")
    if(NOT MKIMG_EXECUTABLE)
      message(FATAL_ERROR "mkimg_add_image: mkimg not found; build it, or set MKIMG_EXECUTABLE or MKIMG")
    endif()
    set(mkimg "${MKIMG_EXECUTABLE}")
  endif()

  set(jobs)
  if(arg_JOBS)
    set(jobs -j ${arg_JOBS})
  endif()
  set(all)
  if(arg_ALL)
    set(all ALL)
  endif()
  add_custom_target(${arg_NAME} ${all}
    COMMAND "${mkimg}" "${manifest}" -o "${out}" ${jobs}
    DEPENDS ${files}
    WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
    COMMENT "mkimg: ${arg_MANIFEST} -> ${out}"
    USES_TERMINAL
    VERBATIM)
  if(targets)
    add_dependencies(${arg_NAME} ${targets})
  endif()
  set_target_properties(${arg_NAME} PROPERTIES MKIMG_OUTPUT_DIR "${out}")

  if(arg_EXPECT)
    if(NOT arg_TIMEOUT)
      set(arg_TIMEOUT 60)
    endif()
    set(expect)
    foreach(p ${arg_EXPECT})
      list(APPEND expect --expect "${p}")
    endforeach()
    add_custom_target(${arg_NAME}-run
      COMMAND "${mkimg}" run "${out}/elfloader.elf" --timeout ${arg_TIMEOUT} ${expect}
      WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
      COMMENT "mkimg run: ${out}/elfloader.elf until ${arg_EXPECT}"
      USES_TERMINAL
      VERBATIM)
    add_dependencies(${arg_NAME}-run ${arg_NAME})
  elseif(arg_TIMEOUT)
    message(FATAL_ERROR "mkimg_add_image: TIMEOUT goes with EXPECT")
  endif()
endfunction()

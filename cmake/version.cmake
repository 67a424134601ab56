# SPDX-License-Identifier: BSD-2-Clause
# version.cmake - write version.h: the project's version and, when the
# sources are a git checkout, the commit ("0.2.0 (g1234abc)"). Run at
# every build (the commit changes without a reconfigure); the file is
# rewritten only when its text changes, so nothing relinks for nothing.
#
# Usage: cmake -DVERSION=0.2.0 -DSOURCE_DIR=<src> -DOUTPUT=<file> -P version.cmake
set(text "${VERSION}")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --short=7 HEAD
    OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE status)
  if(status EQUAL 0 AND commit)
    set(text "${VERSION} (g${commit})")
  endif()
endif()
set(content "#define MKIMG_VERSION \"${text}\"\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${OUTPUT}" "${content}")
endif()

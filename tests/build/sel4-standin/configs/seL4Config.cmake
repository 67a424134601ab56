# SPDX-License-Identifier: BSD-2-Clause
# Stand-in (NOT seL4): seL4's configs/seL4Config.cmake, which mkimg looks
# for to tell a seL4 checkout, and seL4's config_option() in a few lines:
# an option whose DEPENDS condition is false is forced to DEFAULT_DISABLED.
function(config_option name configname doc)
  cmake_parse_arguments(PARSE_ARGV 3 "C" "" "DEPENDS;DEFAULT_DISABLED;DEFAULT" "")
  set(valid ON)
  foreach(test ${C_DEPENDS})
    string(REGEX REPLACE " +" ";" test "${test}")
    if(NOT (${test}))
      set(valid OFF)
    endif()
  endforeach()
  if(valid)
    if(NOT DEFINED ${name})
      set(${name} "${C_DEFAULT}" CACHE BOOL "${doc}" FORCE)
    else()
      set(${name} "${${name}}" CACHE BOOL "${doc}" FORCE)
    endif()
  else()
    set(${name} "${C_DEFAULT_DISABLED}" CACHE INTERNAL "${doc}" FORCE)
    set(${name}_DISABLED TRUE CACHE INTERNAL "" FORCE)
  endif()
endfunction()

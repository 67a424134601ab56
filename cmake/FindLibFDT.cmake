# SPDX-License-Identifier: BSD-2-Clause
# FindLibFDT - Debian's libfdt-dev ships no pkg-config file or CMake config.
#
# Usage:
#   find_package(LibFDT REQUIRED)
#   target_link_libraries(foo PRIVATE LibFDT::LibFDT)
#
# Sets LibFDT_FOUND, LibFDT_INCLUDE_DIR, LibFDT_LIBRARY.
find_path(LibFDT_INCLUDE_DIR NAMES libfdt.h)
find_library(LibFDT_LIBRARY NAMES fdt)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibFDT REQUIRED_VARS LibFDT_LIBRARY LibFDT_INCLUDE_DIR)
if(LibFDT_FOUND AND NOT TARGET LibFDT::LibFDT)
  add_library(LibFDT::LibFDT UNKNOWN IMPORTED)
  set_target_properties(LibFDT::LibFDT PROPERTIES
    IMPORTED_LOCATION "${LibFDT_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibFDT_INCLUDE_DIR}")
endif()
mark_as_advanced(LibFDT_INCLUDE_DIR LibFDT_LIBRARY)

# SPDX-License-Identifier: BSD-2-Clause
# Stand-in (NOT seL4): two of seL4's options, declared as seL4 declares them.
config_option(KernelVerificationBuild VERIFICATION_BUILD
  "A build for verification (no printing)." DEFAULT ON)
config_option(
  KernelPrinting PRINTING
  "Print to the serial console (during bootup and execution)."
  DEFAULT ON DEPENDS "NOT KernelVerificationBuild" DEFAULT_DISABLED OFF)
# Declared only where this configuration does not look (another
# architecture's, say): asked for, it is not an option here.
if(FALSE)
  config_option(StandinUnused STANDIN_UNUSED "An option of another configuration." DEFAULT OFF)
endif()

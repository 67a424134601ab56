/* SPDX-License-Identifier: BSD-2-Clause */
/* gic.h - this node's share of the GIC: the SGIs of its channels, sent to a
 * peer's core and taken here as interrupts.
 *
 * Every node's kernel uses the one GIC. What is banked per core (SGIs and
 * PPIs, the GICv2 CPU interface, the GICv3 redistributor of this core and
 * its ICC_* system registers) this kernel configures freely, but only for
 * its own SGIs. The distributor is shared: it is never reset, disabled or
 * rerouted here ("tenant" mode); the kernel only sets the enable bits it
 * needs when they are not set yet, which is idempotent, so kernels booting
 * in any order agree. (An unmodified seL4 resets the distributor at boot.)
 */
#ifndef KERNEL_GIC_H
#define KERNEL_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "fdt.h"
#include "node.h"

/* Find the GIC in the tree (the interrupt-controller compatible with
 * arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, ...), map what this core
 * uses, and enable the SGIs in `receive` (bit i: SGI i). False when there
 * is no GIC this kernel can drive, or this core's redistributor is not
 * found or does not wake. */
bool gic_setup(const struct fdt *f, uint32_t receive);
/* Send SGI `c->sgi` to the peer's core; everything this core wrote before
 * is visible first. GICv3: the first SGI to a peer waits until the peer's
 * kernel has made that SGI Group 1 (a read of the peer's redistributor; see
 * gic.c), at most 2 s. */
enum gic_send {
	GIC_SENT,
	GIC_NO_TARGET,      /* not sent: GICv2 names cpu interfaces 0..7 only */
	GIC_PEER_NOT_READY, /* sent, but the peer never took the SGI in Group 1 */
};
enum gic_send gic_send(const struct channel *c);
/* Take the highest pending interrupt: its id, or -1 when none is pending.
 * `*ack` must go back to gic_done() when it has been handled. */
int gic_take(uint32_t *ack);
void gic_done(uint32_t ack);

#endif

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkinitramfs.py - the Linux node test's initramfs.

Usage: mkinitramfs.py BUSYBOX INIT OUT

Writes OUT, a gzip-compressed cpio archive in the "newc" format that
Linux unpacks into its root file system (Documentation/driver-api/
early-userspace/buffer-format.rst), holding

    /init            INIT (mode 0755): the first process, e.g. tests/linux/init.sh
    /bin/busybox     BUSYBOX (mode 0755): a static busybox for arm64
    /dev/console     the console's character device (5, 1), so that init
                     has a stdin, stdout and stderr before devtmpfs is mounted
    /bin /dev /proc /sys /tmp   empty folders (mode 0755)

The archive is the same bytes for the same inputs: inode numbers in
order, every time 0, owner root, no host names or paths; the gzip header
has time 0 and no file name.
"""
import gzip
import os
import stat
import sys

NEWC_MAGIC = b"070701"


def member(ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    """One newc member: the 110-byte header, the name with its NUL padded
    to 4 bytes, the data padded to 4 bytes."""
    fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0)
    out = NEWC_MAGIC + b"".join(b"%08X" % f for f in fields) + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4)
    return out + data + b"\0" * (-len(data) % 4)


def archive(busybox, init):
    entries = [(d, stat.S_IFDIR | 0o755, b"", (0, 0), 2) for d in ("bin", "dev", "proc", "sys", "tmp")]
    entries += [
        ("dev/console", stat.S_IFCHR | 0o600, b"", (5, 1), 1),
        ("bin/busybox", stat.S_IFREG | 0o755, busybox, (0, 0), 1),
        ("init", stat.S_IFREG | 0o755, init, (0, 0), 1),
    ]
    out = b"".join(member(i + 1, *e) for i, e in enumerate(entries))
    out += member(0, "TRAILER!!!", 0)
    return out + b"\0" * (-len(out) % 512)


def main():
    if len(sys.argv) != 4:
        print("usage: mkinitramfs.py BUSYBOX INIT OUT", file=sys.stderr)
        return 2
    busybox_path, init_path, out = sys.argv[1:]
    with open(busybox_path, "rb") as f:
        busybox = f.read()
    with open(init_path, "rb") as f:
        init = f.read()
    if not init.startswith(b"#!"):
        print("mkinitramfs.py: %s: not a script (no #! line)" % init_path, file=sys.stderr)
        return 1
    data = gzip.compress(archive(busybox, init), compresslevel=9, mtime=0)
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

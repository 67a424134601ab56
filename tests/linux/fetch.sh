#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/linux/fetch.sh - fetch what the Linux node test boots: Debian 12's
# arm64 kernel (its /boot/vmlinuz is a raw arm64 Image) and busybox-static
# for arm64, from Debian's archive, never from the repository.
#
# Usage: tests/linux/fetch.sh CACHE_DIR
#
# Writes CACHE_DIR/Image, CACHE_DIR/busybox and CACHE_DIR/VERSION (the two
# packages and their versions, one line). Idempotent: once the three files
# are there it does nothing (remove CACHE_DIR to fetch the newest again).
# Quiet on success; on failure one line on stderr saying what failed, and
# exit status 1.
#
# apt runs on a private tree under CACHE_DIR/apt (its own sources list,
# lists, an empty dpkg status, architecture arm64 only): the host's apt and
# dpkg configuration are neither read nor changed, and no root is needed.
# It needs apt-get, dpkg-deb, tar and Debian's archive keyring
# (debian-archive-keyring). Environment:
#   MKIMG_DEBIAN_MIRROR    default http://deb.debian.org/debian
#   MKIMG_DEBIAN_SECURITY  default http://deb.debian.org/debian-security
#                          (empty: the security suite is not used)
#   MKIMG_DEBIAN_KEYRING   default /usr/share/keyrings/debian-archive-keyring.gpg
set -eu

me=tests/linux/fetch.sh
die() {
	echo "$me: $*" >&2
	exit 1
}

[ $# -eq 1 ] || {
	echo "usage: $me CACHE_DIR" >&2
	exit 2
}
mkdir -p "$1" || die "cannot make $1"
cache=$(cd "$1" && pwd)
# One fetch at a time into a cache (two builds' tests may share one).
if command -v flock >/dev/null; then
	exec 9>"$cache/.lock"
	flock 9
fi
if [ -s "$cache/Image" ] && [ -s "$cache/busybox" ] && [ -s "$cache/VERSION" ]; then
	exit 0
fi

mirror=${MKIMG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${MKIMG_DEBIAN_SECURITY-http://deb.debian.org/debian-security}
keyring=${MKIMG_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
for tool in apt-get apt-cache dpkg-deb tar od; do
	command -v $tool >/dev/null || die "needs $tool (Debian's apt, dpkg and tar)"
done
[ -r "$keyring" ] || die "no Debian archive keyring at $keyring (apt-get install debian-archive-keyring)"

# The private apt tree.
apt=$cache/apt
mkdir -p "$apt/etc/apt.conf.d" "$apt/etc/preferences.d" "$apt/etc/sources.list.d" \
	"$apt/lists/partial" "$apt/archives/partial" "$apt/debs"
: >"$apt/status"
{
	echo "deb [arch=arm64 signed-by=$keyring] $mirror bookworm main"
	[ -z "$security" ] || echo "deb [arch=arm64 signed-by=$keyring] $security bookworm-security main"
} >"$apt/etc/sources.list"
set -- -qq \
	-o Dir::Etc="$apt/etc" -o Dir::Etc::SourceList="$apt/etc/sources.list" \
	-o Dir::Etc::SourceParts="$apt/etc/sources.list.d" -o Dir::Etc::Parts="$apt/etc/apt.conf.d" \
	-o Dir::Etc::Preferences="$apt/etc/preferences" -o Dir::Etc::PreferencesParts="$apt/etc/preferences.d" \
	-o Dir::State="$apt" -o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" \
	-o Dir::Cache="$apt" -o Dir::Cache::Archives="$apt/archives" \
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
	-o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
	-o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"

log=$apt/apt.log
apt-get "$@" --error-on=any update >"$log" 2>&1 ||
	die "cannot read Debian's archive ($mirror${security:+, $security}): apt-get update failed; $log says: $(grep -m1 -E '^(E|W):' "$log" || tail -n1 "$log")"

# linux-image-arm64 is the metapackage; it depends on this point
# release's linux-image-VERSION-arm64.
kernel=$(apt-cache "$@" depends linux-image-arm64 2>>"$log" |
	awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
[ -n "$kernel" ] || die "no linux-image-*-arm64 package behind linux-image-arm64 in $mirror (see $log)"

rm -f "$apt/debs"/*.deb
(cd "$apt/debs" && apt-get "$@" download "$kernel" busybox-static) >>"$log" 2>&1 ||
	die "cannot download $kernel and busybox-static from Debian's archive (see $log)"
kdeb=$(ls "$apt/debs/${kernel}"_*_arm64.deb)
bdeb=$(ls "$apt/debs"/busybox-static_*_arm64.deb)

tmp=$cache/tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# Only /boot/vmlinuz-* from the kernel (the package's modules are ~300 MB
# unpacked). tar may stop reading before dpkg-deb has written its last
# block, so dpkg-deb's status is not the pipeline's: the files decide.
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' ||
	die "$kdeb: no /boot/vmlinuz-* in it"
dpkg-deb -x "$bdeb" "$tmp" || die "$bdeb: cannot unpack it"
image=$(ls "$tmp"/boot/vmlinuz-*)
[ -s "$tmp/bin/busybox" ] || die "$bdeb: no /bin/busybox in it"

# An arm64 Image has "ARM\x64" at byte 0x38 (Documentation/arch/arm64/booting.rst).
magic=$(od -An -tx1 -j56 -N4 "$image" | tr -d ' \n')
[ "$magic" = 41524d64 ] || die "$image from $kernel is not a raw arm64 Image (bytes at 0x38: $magic)"

echo "$kernel $(dpkg-deb -f "$kdeb" Version) busybox-static $(dpkg-deb -f "$bdeb" Version)" >"$tmp/VERSION"
mv "$image" "$cache/Image"
mv "$tmp/bin/busybox" "$cache/busybox"
mv "$tmp/VERSION" "$cache/VERSION"
rm -f "$apt/debs"/*.deb
rm -rf "$apt/lists" "$apt/archives"

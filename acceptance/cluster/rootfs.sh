# shellcheck shell=bash
# Root file systems for the cluster hosts, in three layers:
#   base   Debian 12 by debootstrap plus the DEB's dependencies from the
#          mirror; cached in $HAI_WORK/rootfs/base-<key> and reused while the
#          key (recipe, apt sources, the DEB's Depends) stays the same;
#   image  our DEB installed on top of the base (an overlay upper layer made
#          fresh on every run, so the package under test is always the new one);
#   host   one overlay per host over image and base: the host's own changes.
# Sourced after lib.sh.

HAI_SUITE=bookworm
# What a node of the appliance has besides our package's dependencies: an init
# system, netbase (/etc/protocols, /etc/services: every installed system has
# them, minbase does not), the tools hai-install drives (nft, chrony) and curl
# for the checks.
HAI_BASE_PACKAGES=systemd,systemd-sysv,dbus,netbase,iproute2,procps,kmod,ca-certificates
HAI_BASE_PACKAGES+=,curl,nftables,chrony
# Changing how the base is made changes this, so old caches are not reused.
HAI_ROOTFS_RECIPE=1
# The host's apt configuration (another folder only in the harness's own tests).
HAI_APT_DIR=${HAI_APT_DIR:-/etc/apt}

# The first mirror the host's apt sources name for Debian 12, read at run
# time (deb822 files first, then the one-line format).
apt_mirror() {
  local f uri
  for f in "$HAI_APT_DIR"/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    uri=$(awk -v suite="$HAI_SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; ok = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Suites:/ && $i ~ ("[ \t]" suite "([ \t]|$)")) ok = 1
        }
        if (ok && uris != "") { print uris; exit }
      }' "$f")
    [[ -n "$uri" ]] && { echo "$uri"; return 0; }
  done
  for f in "$HAI_APT_DIR"/sources.list "$HAI_APT_DIR"/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    uri=$(awk -v suite="$HAI_SUITE" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")
    [[ -n "$uri" ]] && { echo "$uri"; return 0; }
  done
  hai_log "no Debian $HAI_SUITE mirror in $HAI_APT_DIR/sources.list or $HAI_APT_DIR/sources.list.d/"
  return 1
}

# The DEB's dependencies as one apt-get satisfy string ("" when none).
deb_depends() {
  local deb=$1 pre dep
  pre=$(dpkg-deb --field "$deb" Pre-Depends)
  dep=$(dpkg-deb --field "$deb" Depends)
  if [[ -n "$pre" && -n "$dep" ]]; then echo "$pre, $dep"; else echo "$pre$dep"; fi
}

host_apt_sources() {
  local f
  for f in "$HAI_APT_DIR"/sources.list "$HAI_APT_DIR"/sources.list.d/*.list \
           "$HAI_APT_DIR"/sources.list.d/*.sources; do
    [[ -r "$f" ]] && printf '%s\n' "$f"
  done
  return 0
}

rootfs_key() {  # rootfs_key DEPENDS
  local f
  {
    echo "recipe=$HAI_ROOTFS_RECIPE suite=$HAI_SUITE packages=$HAI_BASE_PACKAGES"
    echo "depends=$1"
    while read -r f; do echo "== $f"; cat "$f"; done < <(host_apt_sources)
  } | sha256sum | cut -c1-16
}

# in_chroot DIR CMD...: CMD inside DIR with /proc, /sys and /dev mounted for
# it (and always unmounted after), the host's network for the mirror, and
# no service started by package scripts.
in_chroot() {
  local dir=$1
  shift
  mkdir -p "$dir/proc" "$dir/sys" "$dir/dev"
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
  chmod 0755 "$dir/usr/sbin/policy-rc.d"
  local rc=0
  if mount -t proc proc "$dir/proc" && mount -t sysfs sysfs "$dir/sys" &&
     mount --bind /dev "$dir/dev" && mount --make-private "$dir/dev"; then
    chroot "$dir" "${HAI_INNER_ENV[@]}" DEBIAN_FRONTEND=noninteractive "$@" || rc=$?
  else
    rc=1
  fi
  umount "$dir/dev" 2> /dev/null || true
  umount "$dir/sys" 2> /dev/null || true
  umount "$dir/proc" 2> /dev/null || true
  rm -f "$dir/usr/sbin/policy-rc.d"
  return "$rc"
}

# The host's apt sources (and the keyrings they name) inside DIR, so the
# DEB's dependencies resolve against the same archive it was built against.
copy_apt_sources() {
  local dir=$1 f key to
  rm -f "$dir/etc/apt/sources.list"
  while read -r f; do
    to="$dir/etc/apt${f#"$HAI_APT_DIR"}"
    mkdir -p "$(dirname "$to")"
    cp "$f" "$to"
    while read -r key; do
      [[ -n "$key" && -r "$key" && ! -e "$dir$key" ]] || continue
      mkdir -p "$dir$(dirname "$key")"
      cp "$key" "$dir$key"
    done < <(awk '/^Signed-By:/ { print $2 }
                  match($0, /signed-by=[^] ]+/) { print substr($0, RSTART + 10, RLENGTH - 10) }' "$f")
  done < <(host_apt_sources)
}

# rootfs_base DEB: prints the cached base directory for DEB's dependencies,
# making it when missing (debootstrap, then apt-get satisfy in a chroot).
rootfs_base() {
  local deb=$1 depends key base tmp mirror
  depends=$(deb_depends "$deb")
  key=$(rootfs_key "$depends")
  base="$HAI_WORK/rootfs/base-$key"
  if [[ -f "$base/.hai-complete" ]]; then
    hai_log "base root file system cached: $base"
    phase_skipped debootstrap cached
    phase_skipped deps-install cached
    echo "$base"
    return 0
  fi
  mirror=$(apt_mirror) || return 1
  tmp="$HAI_WORK/rootfs/partial-$key"
  remove_tree "$tmp" || return 1
  mkdir -p "$HAI_WORK/rootfs"
  local log="$HAI_WORK/rootfs/debootstrap-$key.log"
  phase_begin debootstrap
  hai_log "debootstrap $HAI_SUITE from $mirror (log: $log)"
  if ! timeout "${HAI_DEBOOTSTRAP_LIMIT:-900}" debootstrap --variant=minbase \
      --include="$HAI_BASE_PACKAGES" "$HAI_SUITE" "$tmp" "$mirror" > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    hai_log "debootstrap failed (log: $log)"
    return 1
  fi
  phase_end
  phase_begin deps-install
  copy_apt_sources "$tmp"
  cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2> /dev/null || true
  local apt_log="$HAI_WORK/rootfs/apt-$key.log"
  hai_log "installing the package's dependencies: ${depends:-none} (log: $apt_log)"
  # shellcheck disable=SC2016 # "$1" is the inner shell's
  local script='apt-get update -q && apt-get satisfy -y -q --no-install-recommends "$1" &&
    apt-get clean'
  if ! in_chroot "$tmp" timeout "${HAI_APT_LIMIT:-1500}" sh -c "$script" sh "${depends:-systemd}" \
      > "$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    hai_log "installing the dependencies failed (log: $apt_log)"
    return 1
  fi
  # Every host gets its own identity at first boot.
  : > "$tmp/etc/machine-id"
  rm -f "$tmp/var/lib/dbus/machine-id"
  phase_end
  touch "$tmp/.hai-complete"
  # One base at a time: older keys are not coming back.
  local old
  for old in "$HAI_WORK"/rootfs/base-* "$HAI_WORK"/rootfs/*.log; do
    [[ -e "$old" && "$old" != "$base" && "$old" != *"-$key.log" ]] && remove_tree "$old"
  done
  mv "$tmp" "$base"
  echo "$base"
}

# overlay_mount LOWER(S) DIR: DIR/root over LOWER with DIR/upper taking the writes.
overlay_mount() {
  local lower=$1 dir=$2
  mkdir -p "$dir/upper" "$dir/work" "$dir/root"
  mount -t overlay overlay -o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work" "$dir/root"
}

# rootfs_image BASE DEB: installs DEB over BASE into $HAI_WORK/run/image/upper
# (no network needed: the base already has every dependency).
rootfs_image() {
  local base=$1 deb=$2 dir="$HAI_WORK/run/image"
  overlay_mount "$base" "$dir" || return 1
  cp "$deb" "$dir/root/tmp/hai.deb"
  local rc=0
  in_chroot "$dir/root" dpkg -i /tmp/hai.deb > "$dir/dpkg.log" 2>&1 || rc=$?
  rm -f "$dir/root/tmp/hai.deb"
  umount "$dir/root"
  if ((rc != 0)); then
    cat "$dir/dpkg.log" >&2
    hai_log "installing $(basename "$deb") failed"
    return 1
  fi
}

# rootfs_host N BASE: host N's root (overlay over image and base) with its
# name and the cluster's addresses.
rootfs_host() {
  local n=$1 base=$2 root m
  overlay_mount "$HAI_WORK/run/image/upper:$base" "$(host_dir "$n")" || return 1
  root=$(host_root "$n")
  host_name "$n" > "$root/etc/hostname"
  {
    echo "127.0.0.1 localhost"
    echo "::1 localhost ip6-localhost ip6-loopback"
    for m in $(host_numbers); do echo "$(host_addr "$m") $(host_name "$m")"; done
  } > "$root/etc/hosts"
}

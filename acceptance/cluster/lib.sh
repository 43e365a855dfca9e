# shellcheck shell=bash
# The cluster harness's building blocks, sourced by harness.sh and by later
# suites (HA, acceptance) that need the same hosts: naming, bounded waits,
# the bridge and namespaces, the root file systems, booting and stopping
# containers, and running commands inside them.
#
# The caller sets HAI_WORK (the work directory) before using anything here.
# Everything made lives under "$HAI_WORK/run" or has one of the fixed names
# below, so `hai_teardown` can remove it again from any later process.

HAI_NET=169.254.77
HAI_BRIDGE=haibr0
HAI_HOST_SIDE=$HAI_NET.254
HAI_HOST_COUNT=${HAI_HOST_COUNT:-3}
# What a command inside a container sees as its environment.
HAI_INNER_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
               LANG=C.UTF-8 HOME=/root TERM=dumb)

hai_log() { printf 'harness: %s\n' "$*" >&2; }
hai_fail() { hai_log "FAIL: $*"; return 1; }

# ---- names ----------------------------------------------------------------

host_name() { printf 'hai-%s' "$1"; }
host_addr() { printf '%s.%s' "$HAI_NET" "$1"; }
host_veth() { printf 'vhai-%s' "$1"; }  # host side; eth0 inside
host_dir() { printf '%s/run/hai-%s' "$HAI_WORK" "$1"; }
host_root() { printf '%s/root' "$(host_dir "$1")"; }
host_numbers() { seq 1 "$HAI_HOST_COUNT"; }

# ---- timing and waiting ---------------------------------------------------

# phase_begin NAME / phase_end: one timing line per phase, kept in
# $HAI_WORK/timings for the summary.
phase_begin() {
  HAI_PHASE=$1
  HAI_PHASE_START=$(date +%s.%N)
  hai_log "phase $HAI_PHASE: begin"
}
phase_end() {
  local took
  took=$(awk -v a="$HAI_PHASE_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  hai_log "phase $HAI_PHASE: ${took} s"
  printf '%s %s\n' "$HAI_PHASE" "$took" >> "$HAI_WORK/timings"
}

# phase_skipped NAME WHY: a phase that had nothing to do this time.
phase_skipped() {
  hai_log "phase $1: $2"
  printf '%s 0.0 %s\n' "$1" "$2" >> "$HAI_WORK/timings"
}

# pid_gone PID: the process has exited (a zombie counts as gone).
pid_gone() {
  [[ ! -e "/proc/$1" ]] || [[ "$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)" == Z ]]
}

# wait_for LIMIT_S WHAT CMD...: runs CMD (its output dropped) every second
# until it succeeds; after LIMIT_S seconds it gives up, naming WHAT.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" > /dev/null; do
    if ((SECONDS >= deadline)); then
      hai_log "timed out after ${limit} s waiting for $what"
      return 1
    fi
    sleep 1
  done
}

# interruptible CMD...: CMD in the background, waited for: bash runs a
# trap for a signal only once the foreground command has ended, but it
# interrupts `wait` at once (the trap then stops CMD: see stop_helpers).
interruptible() {
  "$@" &
  wait "$!"
}

# ---- mounts and removal -----------------------------------------------------

# Mount points at or below DIR, deepest first.
mounts_under() {
  local dir
  dir=$(realpath -m "$1")
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

unmount_under() {
  local m
  while read -r m; do
    [[ -n "$m" ]] || continue
    umount "$m" 2> /dev/null || umount -l "$m" || hai_log "could not unmount $m"
  done < <(mounts_under "$1")
}

# Removes DIR, but never through a mount point: a /dev or /proc still bound
# inside a root file system would take the host's with it.
remove_tree() {
  local dir=$1
  [[ -e "$dir" ]] || return 0
  unmount_under "$dir"
  if [[ -n "$(mounts_under "$dir")" ]]; then
    hai_log "not removing $dir: something is still mounted below it"
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

# ---- network ----------------------------------------------------------------

# The bridge with the host side address, one namespace per host joined to it
# by a veth pair (eth0 inside), loopback up. No default route: the hosts
# reach each other and the harness, nothing else.
net_up() {
  local fail="hai_fail could not set up the network"
  ip link add "$HAI_BRIDGE" type bridge || { $fail; return 1; }
  # Frames between the hosts never pass the host's iptables (with
  # br_netfilter loaded, a FORWARD policy of DROP, as Docker sets it, would
  # cut the cluster apart); older kernels lack the switch and need none.
  ip link set "$HAI_BRIDGE" type bridge nf_call_iptables 0 nf_call_ip6tables 0 \
    nf_call_arptables 0 2> /dev/null || true
  { ip addr add "$HAI_HOST_SIDE/24" dev "$HAI_BRIDGE" && ip link set "$HAI_BRIDGE" up; } ||
    { $fail; return 1; }
  local n name veth
  for n in $(host_numbers); do
    name=$(host_name "$n")
    veth=$(host_veth "$n")
    { ip netns add "$name" &&
      ip link add "$veth" type veth peer name eth0 netns "$name" &&
      ip link set "$veth" master "$HAI_BRIDGE" up &&
      ip -n "$name" link set lo up &&
      ip -n "$name" addr add "$(host_addr "$n")/24" dev eth0 &&
      ip -n "$name" link set eth0 up; } || { $fail "for $name"; return 1; }
  done
}

# Removes what net_up made; each part may already be gone (a namespace's
# file can vanish when its last container exits).
net_down() {
  local n
  for n in $(host_numbers); do
    ip netns delete "$(host_name "$n")" 2> /dev/null || true
    ip link delete "$(host_veth "$n")" 2> /dev/null || true
  done
  ip link delete "$HAI_BRIDGE" 2> /dev/null || true
}

net_leftovers() {
  local n
  ip link show "$HAI_BRIDGE" > /dev/null 2>&1 && echo "bridge $HAI_BRIDGE"
  for n in $(host_numbers); do
    [[ -e "/run/netns/$(host_name "$n")" ]] && echo "netns $(host_name "$n")"
    ip link show "$(host_veth "$n")" > /dev/null 2>&1 && echo "veth $(host_veth "$n")"
  done
  return 0
}

# ---- cgroups ----------------------------------------------------------------

# Each container gets a cgroup of its own in every hierarchy systemd tracks
# processes in (cgroup2, and v1 name=systemd on a hybrid host): without one,
# systemd-nspawn --keep-unit puts every container in the same "payload"
# cgroup, and the three inits would share, start and kill each other's units.
HAI_CGROUP_NAME=hai-cluster-harness

cgroup_roots() {
  awk '{
    for (i = 7; i <= NF; i++) if ($i == "-") break
    if ($(i + 1) == "cgroup2" || ($(i + 1) == "cgroup" && $(i + 3) ~ /(^|,)name=systemd(,|$)/))
      print $5
  }' /proc/self/mountinfo
}

host_cgroups() {  # host_cgroups N: host N's cgroup directories, one a line
  local root
  while read -r root; do
    printf '%s/%s/%s\n' "$root" "$HAI_CGROUP_NAME" "$(host_name "$1")"
  done < <(cgroup_roots)
}

# Every process in host N's cgroups (the container's whole tree).
host_cgroup_pids() {
  local dir
  while read -r dir; do
    [[ -d "$dir" ]] && find "$dir" -name cgroup.procs -exec cat {} +
  done < <(host_cgroups "$1") | sort -un
}

# Removes the harness's cgroups once nothing runs in them (rmdir only ever
# removes an empty cgroup).
cgroups_remove() {
  local root rc=0
  while read -r root; do
    [[ -d "$root/$HAI_CGROUP_NAME" ]] || continue
    find "$root/$HAI_CGROUP_NAME" -depth -type d -exec rmdir {} + 2> /dev/null || rc=1
    [[ ! -d "$root/$HAI_CGROUP_NAME" ]] || { hai_log "could not remove $root/$HAI_CGROUP_NAME"; rc=1; }
  done < <(cgroup_roots)
  return "$rc"
}

# ---- containers -------------------------------------------------------------

# The systemd-nspawn process of host N, if it is the one this harness started
# (the pid file could name a recycled pid).
nspawn_pid() {
  local file pid
  file="$(host_dir "$1")/nspawn.pid"
  [[ -r "$file" ]] || return 1
  pid=$(< "$file")
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "-D $(host_root "$1") " || return 1
  echo "$pid"
}

# host_pid N: the container's init (systemd), the one child of systemd-nspawn.
host_pid() {
  local nspawn child
  nspawn=$(nspawn_pid "$1") || return 1
  child=$(cat "/proc/$nspawn/task/"*/children 2> /dev/null | tr ' ' '\n' | grep -m1 .) || return 1
  [[ "$(cat "/proc/$child/comm" 2> /dev/null)" == systemd ]] || return 1
  echo "$child"
}

# host_exec N CMD...: runs CMD inside host N (every namespace of its init)
# with a clean environment; stdin, stdout and exit status pass through.
host_exec() {
  local n=$1 pid
  shift
  pid=$(host_pid "$n") || { hai_log "host $(host_name "$n") is not running"; return 1; }
  nsenter -t "$pid" -a "${HAI_INNER_ENV[@]}" "$@"
}

# The container's own view of its boot; "running" or "degraded" means booted.
host_booted() {
  local state
  state=$(host_exec "$1" systemctl is-system-running 2> /dev/null) || true
  [[ "$state" == running || "$state" == degraded ]]
}

# host_start N: host N's container in the background (console output in
# $(host_dir N)/console.log), in a session of its own so that signals for
# the harness's terminal never reach it.
host_start() {
  local n=$1 dir name cgroups=()
  dir=$(host_dir "$n")
  name=$(host_name "$n")
  mapfile -t cgroups < <(host_cgroups "$n")
  mkdir -p "${cgroups[@]}"
  (
    # Into the host's own cgroups first; exec keeps the pid.
    for cg in "${cgroups[@]}"; do echo "$BASHPID" > "$cg/cgroup.procs"; done
    exec setsid systemd-nspawn --quiet --register=no --keep-unit --console=read-only \
      --kill-signal=SIGRTMIN+4 --network-namespace-path="/run/netns/$name" \
      -M "$name" -D "$(host_root "$n")" --boot
  ) < /dev/null > "$dir/console.log" 2>&1 9>&- &
  echo $! > "$dir/nspawn.pid"
}

# host_wait_booted N: bounded wait until host N's systemd reports it booted;
# a degraded boot is allowed (and its failed units are shown).
host_wait_booted() {
  local n=$1 name state
  name=$(host_name "$n")
  if ! wait_for 30 "$name's init to start" host_pid "$n" ||
     ! wait_for "${HAI_BOOT_LIMIT:-120}" "$name to boot" host_booted "$n"; then
    tail -n 30 "$(host_dir "$n")/console.log" >&2 || true
    return 1
  fi
  state=$(host_exec "$n" systemctl is-system-running 2> /dev/null) || true
  if [[ "$state" == degraded ]]; then
    hai_log "$name booted degraded; failed units:"
    host_exec "$n" systemctl --failed --no-legend --plain >&2 || true
  fi
}

host_cgroup_empty() { [[ -z "$(host_cgroup_pids "$1")" ]]; }

# hosts_stop: an orderly poweroff of every host at once (SIGTERM to
# systemd-nspawn becomes SIGRTMIN+4, poweroff, for the container's init),
# then SIGKILL for any that takes longer than HAI_STOP_LIMIT seconds.
hosts_stop() {
  local n pid rc=0
  local -A nspawn=()
  for n in $(host_numbers); do
    pid=$(nspawn_pid "$n") || continue
    nspawn[$n]=$pid
    kill -TERM "$pid" 2> /dev/null || true
  done
  for n in "${!nspawn[@]}"; do
    pid=${nspawn[$n]}
    if ! wait_for "${HAI_STOP_LIMIT:-30}" "$(host_name "$n") to power off" pid_gone "$pid"; then
      kill -KILL "$pid" 2> /dev/null || true
      wait_for 10 "$(host_name "$n")'s systemd-nspawn to exit" pid_gone "$pid" || rc=1
    fi
    rm -f "$(host_dir "$n")/nspawn.pid"
  done
  # Whatever still runs in a host's cgroups (a container that would not
  # stop, or an nspawn from a run that was killed) is killed.
  for n in $(host_numbers); do
    local left
    left=$(host_cgroup_pids "$n")
    [[ -z "$left" ]] && continue
    hai_log "killing what is left in $(host_name "$n")'s cgroups: ${left//$'\n'/ }"
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL $left 2> /dev/null || true
    wait_for 10 "$(host_name "$n")'s processes to end" host_cgroup_empty "$n" || rc=1
  done
  return "$rc"
}

# ---- teardown ---------------------------------------------------------------

# Everything a run made, in any state it may have been left in: containers
# powered off (killed when they do not), overlays unmounted, the run
# directory, namespaces, veths and the bridge removed, a debootstrap
# interrupted half-way deleted. The cached base root file system stays.
hai_teardown() {
  local rc=0
  hosts_stop || rc=1
  cgroups_remove || rc=1
  remove_tree "$HAI_WORK/run" || rc=1
  local partial
  for partial in "$HAI_WORK"/rootfs/partial-*; do
    [[ -e "$partial" ]] && { remove_tree "$partial" || rc=1; }
  done
  net_down
  local left
  left=$(net_leftovers)
  if [[ -n "$left" ]]; then
    hai_log "still present after teardown: ${left//$'\n'/, }"
    rc=1
  fi
  return "$rc"
}

# Anything of an earlier run still around (its run directory or the
# network objects the harness names).
hai_leftovers() {
  [[ -e "$HAI_WORK/run" ]] && echo "run directory $HAI_WORK/run"
  local root
  while read -r root; do
    [[ -d "$root/$HAI_CGROUP_NAME" ]] && echo "cgroup $root/$HAI_CGROUP_NAME"
  done < <(cgroup_roots)
  net_leftovers
}

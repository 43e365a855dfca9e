#!/bin/bash
# The three-host cluster harness (docs/cluster-harness.md): hosts hai-1..3 in
# systemd-nspawn containers on bridge haibr0 (169.254.77.0/24), our DEB
# installed, hai-install run on each (control on hai-1, workers on the
# others), then the cluster checked end to end from outside.
#
#   harness.sh [--build-dir DIR] [--work DIR] [--deb FILE] COMMAND
#     run          up, check, and always tear down; exit 0 only when every check passed
#     up           make and provision the hosts and leave them running
#     check        run the checks against hosts left by `up`
#     down         remove everything `up` made (the cached base rootfs stays)
#     exec N CMD…  run CMD inside host hai-N
# Exit status: 0 pass, 1 fail, 2 usage, 77 skipped (not root, or a tool missing).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"
# shellcheck source=SCRIPTDIR/rootfs.sh
source "$here/rootfs.sh"
# shellcheck source=SCRIPTDIR/install.sh
source "$here/install.sh"
# shellcheck source=SCRIPTDIR/checks.sh
source "$here/checks.sh"

usage() { sed -n '7,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; }

build_dir=$(cd "$here/../.." && pwd)/build
HAI_WORK=""
deb=""
while (($#)); do
  case "$1" in
    --build-dir) build_dir=${2:?--build-dir needs a directory}; shift 2 ;;
    --work) HAI_WORK=${2:?--work needs a directory}; shift 2 ;;
    --deb) deb=${2:?--deb needs a file}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) hai_log "unknown option $1"; usage; exit 2 ;;
    *) break ;;
  esac
done
command=${1:-}
[[ -n "$command" ]] || { usage; exit 2; }
shift
HAI_WORK=${HAI_WORK:-$build_dir/acceptance}

# Skips (77) when this machine cannot run the harness at all.
prerequisites() {
  if ((EUID != 0)); then
    hai_log "SKIP: needs root (network namespaces, mounts, systemd-nspawn)"
    exit 77
  fi
  local tool missing=()
  for tool in debootstrap systemd-nspawn nsenter setsid ip chroot mount dpkg-deb curl python3 flock; do
    command -v "$tool" > /dev/null || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    hai_log "SKIP: missing ${missing[*]} (Debian: debootstrap systemd-container iproute2 curl python3)"
    exit 77
  fi
  if ! grep -qw overlay /proc/filesystems && ! modprobe overlay 2> /dev/null; then
    hai_log "SKIP: the kernel has no overlay file system"
    exit 77
  fi
}

# One harness at a time on this machine: the bridge and namespace names are fixed.
take_lock() {
  mkdir -p "$HAI_WORK"
  # fd 9: host_start closes it for the containers, which outlive `up`.
  mkdir -p /run/lock
  exec 9> /run/lock/hai-cluster-harness.lock
  flock -n 9 || { hai_log "another cluster harness is running on this machine"; exit 1; }
}

find_deb() {
  if [[ -n "$deb" ]]; then
    [[ -f "$deb" ]] || { hai_log "$deb: no such file"; return 1; }
    realpath "$deb"
    return 0
  fi
  local found
  # The newest when several versions lie there.
  found=$(find "$build_dir/packages" -maxdepth 1 -name 'hai_*.deb' -printf '%T@ %p\n' 2> /dev/null |
          sort -rn | head -n 1 | cut -d' ' -f2-) || true
  if [[ -z "$found" ]]; then
    hai_log "no $build_dir/packages/hai_*.deb: build it with cmake --build $build_dir --target packages"
    return 1
  fi
  echo "$found"
}

remove_leftovers() {
  local left
  left=$(hai_leftovers)
  [[ -z "$left" ]] && return 0
  hai_log "removing what an earlier run left: ${left//$'\n'/, }"
  hai_teardown
}

# Makes, boots and provisions the hosts; each phase timed.
cluster_up() {
  local package base n
  package=$(find_deb) || return 1
  hai_log "package under test: $package"
  # In the background, so that a signal is acted on at once rather than
  # after a debootstrap that may take minutes.
  mkdir -p "$HAI_WORK/rootfs"
  interruptible rootfs_base "$package" > "$HAI_WORK/rootfs/chosen" || return 1
  base=$(< "$HAI_WORK/rootfs/chosen")

  phase_begin copy
  mkdir -p "$HAI_WORK/run"
  rootfs_image "$base" "$package" || return 1
  for n in $(host_numbers); do rootfs_host "$n" "$base" || return 1; done
  write_install_configs
  phase_end

  phase_begin boot
  net_up || return 1
  for n in $(host_numbers); do host_start "$n"; done
  for n in $(host_numbers); do host_wait_booted "$n" || return 1; done
  phase_end

  phase_begin install
  install_cluster || return 1
  phase_end
}

cluster_check() {
  phase_begin checks
  local failed=0
  run_checks || failed=$?
  phase_end
  return "$failed"
}

# The journals and logs of every host, kept outside the run directory so
# they survive the teardown.
collect_logs() {
  local logs="$HAI_WORK/logs" n dir
  rm -rf "$logs"
  mkdir -p "$logs"
  for n in $(host_numbers); do
    dir=$(host_dir "$n")
    host_exec "$n" journalctl --no-pager -b -o short-monotonic > "$logs/$(host_name "$n").journal" \
      2> /dev/null || true
    for f in console install verify; do
      [[ -f "$dir/$f.log" ]] && cp "$dir/$f.log" "$logs/$(host_name "$n").$f.log"
    done
  done
  [[ -f "$HAI_WORK/run/demo.log" ]] && cp "$HAI_WORK/run/demo.log" "$logs/"
  return 0
}

summary() {
  local verdict=$1 line total
  {
    line=$(awk '{ printf "%s%s %s s%s", (NR > 1 ? ", " : ""), $1, $2, ($3 != "" ? " (" $3 ")" : "") }' \
           "$HAI_WORK/timings" 2> /dev/null)
    total=$(awk '{ t += $2 } END { printf "%.1f", t }' "$HAI_WORK/timings" 2> /dev/null)
    echo "timings: ${line:-none}; total ${total:-0} s"
    ((${#HAI_CHECKS_PASSED[@]})) && echo "checks passed: ${HAI_CHECKS_PASSED[*]}"
    ((${#HAI_CHECKS_FAILED[@]})) && echo "checks failed: ${HAI_CHECKS_FAILED[*]}"
    echo "$verdict"
  } | tee "$HAI_WORK/last-run.txt" | sed 's/^/harness: /' >&2
}

HAI_VERDICT=FAIL

# The harness's own helpers that may still run when it is interrupted (a
# debootstrap or apt-get in a command substitution, an install in the
# background), but not the containers: the teardown powers those off.
stop_helpers() {
  local keep=" " n p c pids=() queue=("$$")
  for n in $(host_numbers); do keep+="$(nspawn_pid "$n" || true) "; done
  while ((${#queue[@]})); do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    local children=()
    read -ra children <<< "$(cat /proc/"$p"/task/*/children 2> /dev/null)"
    for c in "${children[@]}"; do
      [[ "$keep" == *" $c "* ]] && continue
      pids+=("$c")
      queue+=("$c")
    done
  done
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2> /dev/null || true
  for p in "${pids[@]}"; do wait_for 15 "helper process $p to end" pid_gone "$p" || true; done
}

# After a run, whichever way it ends: logs kept, everything removed, the summary.
finish_run() {
  local rc=$?
  set +e                # every step of the teardown is tried, whatever fails
  trap '' INT TERM HUP  # and it runs to its end
  stop_helpers
  collect_logs
  phase_begin teardown
  if ! hai_teardown; then
    HAI_VERDICT="FAIL (teardown incomplete)"
    rc=1
  fi
  phase_end
  hai_log "the cached base root file system stays in $HAI_WORK/rootfs for the next run"
  summary "$HAI_VERDICT"
  exit "$rc"
}

cmd_run() {
  trap 'HAI_VERDICT="FAIL (interrupted)"; exit 1' INT TERM HUP
  trap finish_run EXIT
  remove_leftovers
  if cluster_up && cluster_check; then HAI_VERDICT=PASS; fi
  [[ "$HAI_VERDICT" == PASS ]]
}

cmd_up() {
  remove_leftovers
  if ! cluster_up; then
    hai_log "up failed; the hosts are left as they are for a look (harness.sh down removes them)"
    summary FAIL
    return 1
  fi
  summary "UP: hosts $(for n in $(host_numbers); do printf '%s ' "$(host_name "$n")"; done)running"
  hai_log "enter one with: $0 exec N bash; remove them with: $0 down"
}

cmd_check() {
  local n
  for n in $(host_numbers); do
    host_pid "$n" > /dev/null || { hai_log "$(host_name "$n") is not running: harness.sh up first"; return 1; }
  done
  : > "$HAI_WORK/timings"
  if cluster_check; then summary PASS; else summary FAIL; return 1; fi
}

case "$command" in
  run | up)
    prerequisites
    take_lock
    : > "$HAI_WORK/timings"
    "cmd_$command"
    ;;
  check)
    prerequisites
    take_lock
    cmd_check
    ;;
  down)
    prerequisites
    take_lock
    : > "$HAI_WORK/timings"
    phase_begin teardown
    hai_teardown
    phase_end
    hai_log "down: the cached base root file system stays in $HAI_WORK/rootfs (delete it by hand to rebuild)"
    ;;
  exec)
    (($# >= 2)) || { usage; exit 2; }
    host_exec "$@"
    ;;
  *)
    usage
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Runs an end-to-end scenario against `haictl up`: by default the "Clusters &
# accelerators" one (cluster.e2e.mjs).
#
#   e2e/run-cluster.sh BIN_DIR [SCRIPT]
#
# SCRIPT names the scenario in e2e/ (e.g. deploy.e2e.mjs).
#
# BIN_DIR holds haictl and the daemons (e.g. build/bin); haictl serves the web
# UI from BIN_DIR/../share/hai/web, so build it there first
# (HAI_WEB_OUT=BIN_DIR/../share/hai/web npm run build), or name another
# build in HAI_WEB_DIR. The whole appliance
# (portal, scheduler, three simulated agents, ...) starts on a temporary data
# directory and a free block of loopback ports; it gets SIGTERM when the test
# ends. Screenshots go to $SCREENSHOT_DIR when set; HAI_E2E_KEEP=1 keeps the
# data directory. The exit status is the test's.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 BIN_DIR [SCRIPT]" >&2
  exit 2
fi

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir=$(cd "$1" && pwd)
haictl="$bin_dir/haictl"
scenario=${2:-cluster.e2e.mjs}
ready_timeout_s=${HAI_READY_TIMEOUT_S:-90}
stop_timeout_s=${HAI_STOP_TIMEOUT_S:-30}

[[ -x "$haictl" ]] || { echo "run-cluster.sh: $haictl is not an executable" >&2; exit 2; }
[[ -f "$script_dir/$scenario" ]] || { echo "run-cluster.sh: no scenario $script_dir/$scenario" >&2; exit 2; }
web_dir=${HAI_WEB_DIR:-$bin_dir/../share/hai/web}
[[ -f "$web_dir/index.html" ]] ||
  echo "run-cluster.sh: warning: no web UI in $web_dir (build it with HAI_WEB_OUT)" >&2
web_args=()
[[ -n "${HAI_WEB_DIR:-}" ]] && web_args=(--web-dir "$(cd "$HAI_WEB_DIR" && pwd)")

tmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/hai-cluster-e2e.XXXXXX")
data_dir="$tmp_dir/data"
ready_file="$tmp_dir/ready.out"
log_file="$tmp_dir/haictl.log"
haictl_pid=""

stop_haictl() {
  [[ -n "$haictl_pid" ]] || return 0
  if kill -0 "$haictl_pid" 2>/dev/null; then
    kill -TERM "$haictl_pid" 2>/dev/null || true
    local deadline=$((SECONDS + stop_timeout_s))
    while kill -0 "$haictl_pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    if kill -0 "$haictl_pid" 2>/dev/null; then
      echo "run-cluster.sh: haictl did not stop within ${stop_timeout_s}s; killing its process group" >&2
      kill -KILL -- "-$haictl_pid" 2>/dev/null || kill -KILL "$haictl_pid" 2>/dev/null || true
    fi
  fi
  wait "$haictl_pid" 2>/dev/null || true
  haictl_pid=""
}

cleanup() {
  stop_haictl
  if [[ "${HAI_E2E_KEEP:-0}" == 1 ]]; then
    echo "run-cluster.sh: kept $tmp_dir"
  else
    rm -rf "$tmp_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A base port N whose whole block is free on loopback: haictl up uses N..N+4
# for the daemons, N+10.. for the agents and N+100..N+159 for engines.
base_port=$(node -e '
  const net = require("net");
  const free = (p) => new Promise((res) => {
    const s = net.createServer();
    s.once("error", () => res(false));
    s.listen({ port: p, host: "127.0.0.1", exclusive: true }, () => s.close(() => res(true)));
  });
  (async () => {
    const offsets = [...Array(20).keys(), ...Array.from({ length: 60 }, (_, i) => 100 + i)];
    for (let tries = 0; tries < 200; tries++) {
      const n = 20000 + 10 * Math.floor(Math.random() * 4000);
      let ok = true;
      for (const o of offsets) if (!(await free(n + o))) { ok = false; break; }
      if (ok) { console.log(n); return; }
    }
    process.exit(1);
  })();
') || { echo "run-cluster.sh: no free block of loopback ports" >&2; exit 1; }

# setsid: haictl leads its own process group, so a last-resort kill reaches
# the daemons it started as well.
setsid "$haictl" up --data "$data_dir" --base-port "$base_port" "${web_args[@]}" >"$ready_file" 2>"$log_file" &
haictl_pid=$!

ready_line=""
deadline=$((SECONDS + ready_timeout_s))
while [[ -z "$ready_line" ]]; do
  if ! kill -0 "$haictl_pid" 2>/dev/null; then
    echo "run-cluster.sh: haictl up exited before it was ready; its log:" >&2
    tail -n 60 "$log_file" >&2
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "run-cluster.sh: haictl up not ready after ${ready_timeout_s}s; its log:" >&2
    tail -n 60 "$log_file" >&2
    exit 1
  fi
  ready_line=$(grep -m1 '"ready"' "$ready_file" 2>/dev/null || true)
  [[ -n "$ready_line" ]] || sleep 0.3
done

read -r portal_url admin_password < <(node -e '
  const r = JSON.parse(process.argv[1]);
  if (r.ready !== true || !r.portal || !r.admin_password) process.exit(1);
  console.log(r.portal, r.admin_password);
' "$ready_line") || { echo "run-cluster.sh: unexpected ready line: $ready_line" >&2; exit 1; }
admin_user=$(node -e 'console.log(JSON.parse(process.argv[1]).admin_user || "admin")' "$ready_line")
gateway_url=$(node -e 'console.log(JSON.parse(process.argv[1]).gateway || "")' "$ready_line")
echo "run-cluster.sh: haictl up (pid $haictl_pid) ready, portal $portal_url"

status=0
PORTAL_URL="$portal_url" ADMIN_USER="$admin_user" ADMIN_PASSWORD="$admin_password" GATEWAY_URL="$gateway_url" \
  node "$script_dir/$scenario" || status=$?

if [[ $status -ne 0 ]]; then
  echo "run-cluster.sh: test failed (status $status); last lines of the haictl log:" >&2
  grep -v ' path=/internal/v1/nodes/[^ ]*/heartbeat ' "$log_file" | tail -n 40 >&2 || true
fi

stop_haictl
exit $status

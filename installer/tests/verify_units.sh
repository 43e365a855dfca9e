#!/bin/bash
# Checks every systemd unit in installer/units with `systemd-analyze verify`
# (any warning fails: verify itself exits 0 on unknown keys), that each daemon
# unit keeps the settings the appliance relies on, and that the daemon behind
# each Type=notify unit with WatchdogSec= sends READY=1 and WATCHDOG=1.
# Usage: verify_units.sh UNITS_DIR BIN_DIR SOURCE_DIR
set -euo pipefail
units_dir=$1
bin_dir=$2
source_dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for unit in "$units_dir"/*.service "$units_dir"/*.target; do
  # Point ExecStart at the build tree: verify checks that the program exists.
  sed -E "s|/usr/bin/(hai-[a-z-]+)|$bin_dir/\\1|g" "$unit" > "$work/$(basename "$unit")"
done

status=0
fail() { echo "FAIL $*"; status=1; }

for unit in "$work"/*; do
  out=$(systemd-analyze verify --man=no "$unit" 2>&1) || status=1
  if [[ -n "$out" ]]; then
    echo "FAIL $(basename "$unit"):"; echo "$out"; status=1
  fi
done

for unit in "$units_dir"/hai-*.service; do
  name=$(basename "$unit" .service)
  for setting in Type=notify NotifyAccess=main WatchdogSec= Restart=on-failure \
                 RestartPreventExitStatus=78 User=hai Group=hai NoNewPrivileges=yes \
                 ProtectSystem=strict PrivateTmp=yes ReadWritePaths= CapabilityBoundingSet= \
                 PartOf=hai.target WantedBy=hai.target \
                 "ExecStart=/usr/bin/$name --config /etc/hai/hai.toml"; do
    grep -q -- "^$setting" "$unit" || fail "$name.service: missing $setting"
  done
  # Wants=/Requires= on another HAI daemon would start it on a worker node,
  # where hai-install enables only the agent and the gateway.
  if grep -E '^(Wants|Requires|BindsTo|Requisite)=.*hai-' "$unit"; then
    fail "$name.service: pulls in another HAI unit (only After= is allowed)"
  fi
  # WatchdogSec= is honest only if the program pings; it must also say READY=1.
  main="$source_dir/daemons/${name#hai-}/main.cc"
  for call in 'systemd::NotifyReady()' 'systemd::NotifyWatchdog()' 'systemd::WatchdogPingInterval()'; do
    grep -qF "$call" "$main" || fail "$name: $main does not call $call"
  done
done

if grep -E '^(Wants|Requires)=.*hai-' "$units_dir/hai.target"; then
  fail "hai.target: pulls in role-specific units (hai-install enables them)"
fi

verified=("$work"/*)
if [[ $status -eq 0 ]]; then echo "units verified: ${#verified[@]}"; fi
exit $status

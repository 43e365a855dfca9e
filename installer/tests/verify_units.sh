#!/bin/bash
# Checks every systemd unit in installer/units with `systemd-analyze verify`
# (any warning fails: verify itself exits 0 on unknown keys) and that each
# daemon unit keeps the settings the appliance relies on.
set -euo pipefail
units_dir=$1
bin_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for unit in "$units_dir"/*.service "$units_dir"/*.target; do
  # Point ExecStart at the build tree: verify checks that the program exists.
  sed -E "s|/usr/bin/(hai-[a-z-]+)|$bin_dir/\\1|g" "$unit" > "$work/$(basename "$unit")"
done

status=0
for unit in "$work"/*; do
  out=$(systemd-analyze verify --man=no "$unit" 2>&1) || status=1
  if [[ -n "$out" ]]; then
    echo "FAIL $(basename "$unit"):"; echo "$out"; status=1
  fi
done

for unit in "$units_dir"/hai-*.service; do
  for setting in Type=notify WatchdogSec= Restart=on-failure NoNewPrivileges=yes \
                 ProtectSystem=strict PrivateTmp=yes ReadWritePaths= PartOf=hai.target; do
    if ! grep -q "^$setting" "$unit"; then
      echo "FAIL $(basename "$unit"): missing $setting"; status=1
    fi
  done
done

if [[ $status -eq 0 ]]; then echo "units verified: $(ls "$work" | wc -l)"; fi
exit $status

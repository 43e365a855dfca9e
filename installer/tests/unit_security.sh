#!/bin/bash
# Prints the `systemd-analyze security` exposure of each HAI service (0 = fully
# sandboxed, 10 = not at all; read offline from the unit file, so it needs
# neither a running systemd nor the installed programs). With MAX, exits 1
# when any unit's exposure is above MAX and names it.
# Usage: unit_security.sh UNITS_DIR [MAX]
set -euo pipefail
units_dir=$1
max=${2:-}
status=0

printf '%-24s %s\n' unit exposure
for unit in "$units_dir"/*.service; do
  name=$(basename "$unit")
  out=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1) || true
  exposure=$(sed -n "s/.*Overall exposure level for $name: \\([0-9.]*\\) .*/\\1/p" <<<"$out")
  if [[ -z $exposure ]]; then
    echo "FAIL $name: no exposure figure from systemd-analyze security:"; echo "$out"; status=1; continue
  fi
  rating=$(sed -n "s/.*Overall exposure level for $name: [0-9.]* \\([A-Z]*\\).*/\\1/p" <<<"$out")
  printf '%-24s %s %s\n' "$name" "$exposure" "$rating"
  if [[ -n $max ]] && awk -v e="$exposure" -v m="$max" 'BEGIN { exit !(e > m) }'; then
    echo "FAIL $name: exposure $exposure is above $max; what it lacks:"
    grep '^✗' <<<"$out" || true
    status=1
  fi
done
exit $status

#!/usr/bin/env bash
# Runs the portal end-to-end test against a freshly started hai-portal.
#
#   e2e/run.sh BIN_DIR
#
# BIN_DIR holds the hai-portal binary (e.g. build/bin). The built web UI is
# taken from $HAI_WEB_DIR (default: ../dist next to this script); the OpenAPI
# document from $HAI_OPENAPI (default: the repository's docs/api/openapi.json
# when present). Screenshots go to $SCREENSHOT_DIR when
# set. The portal gets a temporary data directory and a free port, and is
# stopped when the test ends; the exit status is the test's.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BIN_DIR" >&2
  exit 2
fi

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir=$(cd "$1" && pwd)
portal="$bin_dir/hai-portal"
web_dir=${HAI_WEB_DIR:-$script_dir/../dist}
ready_timeout_s=${HAI_READY_TIMEOUT_S:-30}

[[ -x "$portal" ]] || { echo "run.sh: $portal is not an executable" >&2; exit 2; }
[[ -f "$web_dir/index.html" ]] || { echo "run.sh: no built web UI in $web_dir (run npm run build)" >&2; exit 2; }
web_dir=$(cd "$web_dir" && pwd)

data_dir=$(mktemp -d "${TMPDIR:-/tmp}/hai-portal-e2e.XXXXXX")
portal_pid=""

cleanup() {
  if [[ -n "$portal_pid" ]] && kill -0 "$portal_pid" 2>/dev/null; then
    kill "$portal_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$portal_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$portal_pid" 2>/dev/null || true
    wait "$portal_pid" 2>/dev/null || true
  fi
  if [[ "${HAI_E2E_KEEP:-0}" == 1 ]]; then
    echo "run.sh: kept $data_dir"
  else
    rm -rf "$data_dir"
  fi
}
trap cleanup EXIT

openapi=${HAI_OPENAPI:-$script_dir/../../../../docs/api/openapi.json}
extra=()
[[ -f "$openapi" ]] && extra+=(--openapi "$openapi")

"$portal" --data-dir "$data_dir" --port 0 --ready-file "$data_dir/ready.json" \
  --web-dir "$web_dir" "${extra[@]}" >"$data_dir/portal.log" 2>&1 &
portal_pid=$!

port=""
deadline=$((SECONDS + ready_timeout_s))
while [[ -z "$port" ]]; do
  if ! kill -0 "$portal_pid" 2>/dev/null; then
    echo "run.sh: hai-portal exited before it was ready; its log:" >&2
    cat "$data_dir/portal.log" >&2
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "run.sh: hai-portal not ready after ${ready_timeout_s}s; its log:" >&2
    cat "$data_dir/portal.log" >&2
    exit 1
  fi
  if [[ -s "$data_dir/ready.json" ]]; then
    port=$(node -e 'try { const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).port; if (Number.isInteger(p) && p > 0) console.log(p); } catch {}' "$data_dir/ready.json")
  fi
  [[ -n "$port" ]] || sleep 0.2
done

[[ -s "$data_dir/admin-password" ]] || { echo "run.sh: no $data_dir/admin-password" >&2; exit 1; }
admin_password=$(tr -d '\r\n' <"$data_dir/admin-password")
echo "run.sh: hai-portal (pid $portal_pid) ready on port $port"

status=0
PORTAL_URL="http://127.0.0.1:$port" ADMIN_PASSWORD="$admin_password" \
  node "$script_dir/portal.e2e.mjs" || status=$?

if [[ $status -ne 0 ]]; then
  echo "run.sh: test failed (status $status); last lines of the portal log:" >&2
  tail -n 40 "$data_dir/portal.log" >&2
fi
exit $status

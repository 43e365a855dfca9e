#!/bin/bash
# One entry point for a fresh Debian 12 machine (as root):
#   bootstrap.sh up    install what is missing, build, start the embedded default
#   bootstrap.sh test  install what is missing, build, run every test
# Extra arguments after `up` go to `haictl up` (for example --base-port 9080).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
mode=${1:-}
shift || true

log() { echo "bootstrap: $*" >&2; }

install_packages() {
  local missing=()
  while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < installer/dev/deps.txt
  # Node.js 20 or newer builds the web UI; keep one that is already there
  # (it may come from another package than Debian's nodejs).
  if ! command -v node > /dev/null || ! command -v npm > /dev/null; then missing+=(nodejs npm); fi
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  local web=daemons/portal/web
  # npm ci only when the lockfile changed since the last install.
  if [[ ! -f $web/node_modules/.package-lock.json ]] ||
     ! cmp -s <(sha256sum < $web/package-lock.json) $web/node_modules/.hai-lock-sum; then
    log "npm ci in $web"
    (cd $web && npm ci --no-audit --no-fund --loglevel=error)
    sha256sum < $web/package-lock.json > $web/node_modules/.hai-lock-sum
  fi
}

build() {  # build DIR [cmake args…]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
  cmake --build "$dir"
}

case "$mode" in
  up)
    install_packages
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    log "starting the embedded default (Ctrl-C stops it)"
    exec build/bin/haictl up "$@"
    ;;
  test)
    install_packages
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    log "tests: release build"
    (cd build && ctest --output-on-failure -j2 --timeout 900)
    log "tests: AddressSanitizer + UBSan build (unit and API tests)"
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DHAI_SANITIZE=ON -DHAI_BUILD_WEB=OFF
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
       ctest --output-on-failure -j2 --timeout 900 -L 'unit|api')
    ;;
  *)
    echo "usage: $0 up [haictl up options] | test" >&2
    exit 2
    ;;
esac

#!/bin/bash
# The cluster harness's own parts that need no containers: the mirror read
# from apt sources in both formats, the install configs it writes (checked
# by hai-install --dry-run itself when its path is given), host naming and
# the removal that never crosses a mount point.
#   harness_lib_test.sh [HAI_INSTALL_BINARY]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hai_install=${1:-}
HAI_WORK=$(mktemp -d)
trap 'umount "$HAI_WORK/tree/mnt" 2> /dev/null || true; rm -rf --one-file-system "$HAI_WORK"' EXIT
# shellcheck source=SCRIPTDIR/../lib.sh
source "$here/lib.sh"
# shellcheck source=SCRIPTDIR/../rootfs.sh
source "$here/rootfs.sh"
# shellcheck source=SCRIPTDIR/../install.sh
source "$here/install.sh"

failures=0
expect_eq() {  # expect_eq WHAT GOT WANT
  if [[ "$2" == "$3" ]]; then
    echo "ok: $1"
  else
    echo "FAIL: $1: got '$2', want '$3'"
    failures=$((failures + 1))
  fi
}

# ---- the mirror ---------------------------------------------------------------

HAI_APT_DIR="$HAI_WORK/apt"
mkdir -p "$HAI_APT_DIR/sources.list.d"
cat > "$HAI_APT_DIR/sources.list.d/debian.sources" << 'EOF'
Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
# a comment inside the stanza
URIs: http://mirror.example/debian http://second.example/debian
Suites: bookworm bookworm-updates
Components: main
EOF
expect_eq "deb822: the stanza whose Suites has bookworm itself" "$(apt_mirror)" \
  "http://mirror.example/debian"

rm "$HAI_APT_DIR/sources.list.d/debian.sources"
cat > "$HAI_APT_DIR/sources.list" << 'EOF'
# deb http://commented.example/debian bookworm main
deb http://security.example/debian-security bookworm-security main
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://line.example/debian bookworm main
EOF
expect_eq "one-line format with options" "$(apt_mirror)" "http://line.example/debian"

rm "$HAI_APT_DIR/sources.list"
if apt_mirror 2> /dev/null; then got=found; else got=refused; fi
expect_eq "no sources: a clear refusal" "$got" refused

# ---- names and addresses ---------------------------------------------------------

expect_eq "host name" "$(host_name 2)" hai-2
expect_eq "host address" "$(host_addr 3)" 169.254.77.3
expect_eq "roles" "$(host_role 1) $(host_role 2) $(host_role 3)" "control worker worker"
expect_eq "units of a worker" "$(host_units 2)" "hai-agent hai-gateway"
expect_eq "a fourth host repeats the last profile" "$(host_profile 4)" hygon-k100-x4

# ---- install configs ----------------------------------------------------------------

config_1=$(install_config 1)
config_2=$(install_config 2)
for want in 'name = "hai-1"' 'role = "control"' 'mode = "self-signed"' 'profile = "ascend-910b3-x8"' \
            'addresses = ["169.254.77.1", "169.254.77.2", "169.254.77.3"]'; do
  [[ "$config_1" == *"$want"* ]] && got=yes || got=no
  expect_eq "hai-1's install config has $want" "$got" yes
done
for want in 'role = "worker"' 'mode = "provided"' "token_file = \"$HAI_JOIN_DIR/cluster-token\"" \
            "ca_file = \"$HAI_JOIN_DIR/ca.crt\"" \
            'control_address = "169.254.77.1"' 'profile = "metax-c500-x8"'; do
  [[ "$config_2" == *"$want"* ]] && got=yes || got=no
  expect_eq "hai-2's install config has $want" "$got" yes
done

# What hai-install expects of a Debian 12 node with the hai package
# installed: the hai user, chrony's and nftables' configuration, our units.
debian_node_root() {
  local root=$1
  mkdir -p "$root/etc/chrony" "$root/var/lib" "$root/usr/lib/systemd/system"
  printf 'root:x:0:0::/root:/bin/sh\nhai:x:999:999::/var/lib/hai:/usr/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nhai:x:999:\n' > "$root/etc/group"
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n' > "$root/etc/os-release"
  printf 'pool 2.debian.pool.ntp.org iburst\nconfdir /etc/chrony/conf.d\n' > "$root/etc/chrony/chrony.conf"
  printf '#!/usr/sbin/nft -f\n\nflush ruleset\n' > "$root/etc/nftables.conf"
  cp "$here"/../../installer/units/* "$root/usr/lib/systemd/system/"
  printf '[Unit]\nDescription=nftables\n[Service]\nType=oneshot\nExecStart=/usr/sbin/nft -f /etc/nftables.conf\n' \
    > "$root/usr/lib/systemd/system/nftables.service"
}

if [[ -n "$hai_install" ]]; then
  # The configs as hai-install reads them: a plan for a root directory,
  # with the worker's inputs where the config names them.
  HAI_JOIN_DIR="$HAI_WORK/join"
  mkdir -p "$HAI_JOIN_DIR"
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | cut -c1-43 > "$HAI_JOIN_DIR/cluster-token"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=hai-1 \
    -keyout "$HAI_JOIN_DIR/hai.key" -out "$HAI_JOIN_DIR/hai.crt" > /dev/null 2>&1
  cp "$HAI_JOIN_DIR/hai.crt" "$HAI_JOIN_DIR/ca.crt"
  for n in 1 2; do
    install_config "$n" > "$HAI_WORK/install-$n.toml"
    debian_node_root "$HAI_WORK/root-$n"
    if out=$("$hai_install" --config "$HAI_WORK/install-$n.toml" --root "$HAI_WORK/root-$n" \
               --dry-run 2>&1); then
      got=0
    else
      got=$?
      printf '  %s\n' "${out//$'\n'/$'\n'  }"
    fi
    expect_eq "hai-install --dry-run accepts $(host_name "$n")'s config" "$got" 0
  done
fi

# ---- removal never crosses a mount point -----------------------------------------------

mkdir -p "$HAI_WORK/tree/a/b"
expect_eq "no mounts below a fresh tree" "$(mounts_under "$HAI_WORK/tree")" ""
if ((EUID == 0)); then
  mkdir -p "$HAI_WORK/tree/mnt"
  mount -t tmpfs harness-test "$HAI_WORK/tree/mnt"
  touch "$HAI_WORK/tree/mnt/kept-by-the-mount"
  expect_eq "a mount below is found" "$(mounts_under "$HAI_WORK/tree")" "$HAI_WORK/tree/mnt"
  remove_tree "$HAI_WORK/tree" && got=removed || got=refused
  expect_eq "remove_tree unmounts first, then removes" "$got" removed
  expect_eq "nothing left mounted" "$(mounts_under "$HAI_WORK/tree")" ""
fi
remove_tree "$HAI_WORK/tree"
[[ -e "$HAI_WORK/tree" ]] && got=present || got=gone
expect_eq "remove_tree removes the tree" "$got" gone

((failures == 0)) || { echo "$failures failure(s)"; exit 1; }
echo "all passed"

#!/bin/bash
# Installs the hai DEB's payload into a temporary root (dpkg-deb -x) and
# checks it there as a node would use it:
#   - systemd-sysusers --root creates user and group hai (home /var/lib/hai,
#     no login shell) and systemd-tmpfiles --root makes /var/lib/hai and /etc/hai;
#   - systemd-analyze verify --root accepts every extracted unit with the
#     extracted programs (ExecStart= resolves inside the root);
#   - every extracted program runs (--help), so the stripped binaries load;
#   - the paths the programs derive from their own location resolve:
#     {engine_bin_dir} (the directory of hai-agent) holds every program an
#     engine profile names, and the portal's defaults (web_dir, openapi_file,
#     catalog_dir and engine_profiles_dir next to openapi_file) exist.
# Usage: package_payload.sh PACKAGES_DIR SOURCE_DIR
set -euo pipefail
packages_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root

status=0
fail() { echo "FAIL $*"; status=1; }

shopt -s nullglob
debs=("$packages_dir"/hai_*.deb)
[[ ${#debs[@]} -eq 1 ]] || { echo "FAIL expected one hai_*.deb in $packages_dir, found ${#debs[@]}"; exit 1; }
dpkg-deb -x "${debs[0]}" "$root"

# The hai user, as the postinst makes it (the root starts with empty files,
# as a minimal system's would not be: sysusers needs them to exist).
mkdir -p "$root/etc"
touch "$root"/etc/{passwd,group,shadow,gshadow}
for conf in sysusers.d tmpfiles.d; do
  [[ -f $root/usr/lib/$conf/hai.conf ]] || fail "payload has no /usr/lib/$conf/hai.conf"
done
systemd-sysusers --root="$root" hai.conf || fail "systemd-sysusers --root failed"
IFS=: read -r _ _ uid gid _ home shell < <(grep '^hai:' "$root/etc/passwd" || echo 'x:x:x:x:x:x:x')
[[ $uid =~ ^[0-9]+$ && $uid -lt 1000 ]] || fail "sysusers: no system user hai in $root/etc/passwd"
[[ $home == /var/lib/hai ]] || fail "sysusers: hai's home is '$home', expected /var/lib/hai"
[[ $shell == */nologin ]] || fail "sysusers: hai's shell is '$shell', expected nologin"
grep -q "^hai:x:$gid:" "$root/etc/group" || fail "sysusers: no group hai with gid $gid"
for group in video render; do
  grep -Eq "^$group:x:[0-9]+:(.*,)?hai(,|$)" "$root/etc/group" || fail "sysusers: hai is not in group $group"
done

systemd-tmpfiles --root="$root" --create hai.conf || fail "systemd-tmpfiles --root --create failed"
check_dir() {  # path mode owner group
  if [[ ! -d $root$1 ]]; then fail "tmpfiles: $1 was not made"; return; fi
  local got
  got=$(stat -c '%a %u %g' "$root$1")
  [[ $got == "$2 $3 $4" ]] || fail "tmpfiles: $1 is '$got' (mode uid gid), expected '$2 $3 $4'"
}
check_dir /var/lib/hai 700 "$uid" "$gid"
check_dir /etc/hai 750 0 "$gid"

# Units, verified against the extracted tree. The root gets the host's own
# systemd units first (sysinit.target, network-online.target …), as a node
# with systemd installed has them; ours are never overwritten.
units=("$root"/usr/lib/systemd/system/hai*)
host_units=/usr/lib/systemd/system
[[ -d $host_units ]] || host_units=/lib/systemd/system
cp -Rn "$host_units/." "$root/usr/lib/systemd/system/"
[[ ${#units[@]} -ge 5 ]] || fail "units: found ${#units[@]} in the payload, expected 5"
for unit in "${units[@]}"; do
  name=$(basename "$unit")
  out=$(systemd-analyze verify --man=no --root="$root" "$name" 2>&1) || fail "verify $name"
  [[ -z $out ]] || { fail "verify $name:"; echo "$out"; }
  exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
  if [[ -n $exec_start && ! -x $root$exec_start ]]; then fail "$name: ExecStart program $exec_start is not in the payload"; fi
done

for program in "$root"/usr/bin/*; do
  "$program" --help > "$work/help.out" 2>&1 || fail "$(basename "$program") --help failed: $(head -3 "$work/help.out")"
done

# {engine_bin_dir} is the directory hai-agent runs from (lib/proc SelfDirectory).
for profile in "$root"/usr/share/hai/profiles/engines/*.toml; do
  while read -r program; do
    [[ -x $root/usr/bin/$program ]] ||
      fail "$(basename "$profile"): {engine_bin_dir}/$program is not in /usr/bin of the payload"
  done < <(grep -o '{engine_bin_dir}/[A-Za-z0-9_.-]*' "$profile" | sed 's|.*/||' | sort -u)
done
# hai-agent also finds its engine profiles at <its dir>/../share/hai/profiles/engines.
[[ -n $(ls "$root"/usr/bin/../share/hai/profiles/engines/*.toml 2>/dev/null) ]] ||
  fail "agent: no engine profiles at /usr/bin/../share/hai/profiles/engines"
# The portal's defaults, read from daemons/portal/portal_config.h; catalog_dir
# and engine_profiles_dir default to ../catalog and ../profiles/engines beside
# openapi_file's directory (portal_config.cc).
config_h=$source_dir/daemons/portal/portal_config.h
web_dir=$(sed -n 's/.*std::string web_dir = "\([^"]*\)".*/\1/p' "$config_h")
openapi_file=$(sed -n 's/.*std::string openapi_file = "\([^"]*\)".*/\1/p' "$config_h")
[[ -n $web_dir && -n $openapi_file ]] || fail "cannot read web_dir and openapi_file defaults from $config_h"
share=$(dirname "$(dirname "$openapi_file")")
[[ -f $root$web_dir/index.html ]] || fail "portal web_dir default $web_dir has no index.html in the payload"
[[ -f $root$openapi_file ]] || fail "portal openapi_file default $openapi_file is not in the payload"
for dir in "$share/catalog" "$share/profiles/engines"; do
  [[ -n $(ls "$root$dir"/*.toml 2>/dev/null) ]] || fail "portal default $dir holds no *.toml in the payload"
done

programs=("$root"/usr/bin/*)
[[ $status -eq 0 ]] && echo "payload checked: user hai ($uid:$gid), ${#units[@]} units verified, ${#programs[@]} programs run"
exit $status

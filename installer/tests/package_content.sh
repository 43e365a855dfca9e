#!/bin/bash
# Checks the hai DEB and RPM in PACKAGES_DIR against the installed layout of
# docs/packages.md: every program, unit, sysusers/tmpfiles file, the web UI,
# the OpenAPI document, profiles, examples and docs; the dependencies; no
# file under /etc; and maintainer scripts equal to the ones the build wrote.
# Every failure names what is missing.
# Usage: package_content.sh PACKAGES_DIR SOURCE_DIR SCRIPTS_DIR
set -euo pipefail
packages_dir=$1
source_dir=$2
scripts_dir=$3   # ${CMAKE_BINARY_DIR}/packaging: deb/{postinst,prerm,postrm}, rpm/{post,preun,postun}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
fail() { echo "FAIL $*"; status=1; }

shopt -s nullglob
debs=("$packages_dir"/hai_*.deb)
rpms=("$packages_dir"/hai-*.rpm)
[[ ${#debs[@]} -eq 1 ]] || { echo "FAIL expected one hai_*.deb in $packages_dir, found ${#debs[@]}"; exit 1; }
[[ ${#rpms[@]} -eq 1 ]] || { echo "FAIL expected one hai-*.rpm in $packages_dir, found ${#rpms[@]}"; exit 1; }
deb=${debs[0]}
rpm=${rpms[0]}

# The paths each package must hold, from the contract and the source tree.
expected=$work/expected
{
  for program in hai-portal hai-scheduler hai-agent hai-gateway hai-engine hai-model haictl hai-install \
      hai-hwcheck hai-netconf; do
    echo "/usr/bin/$program"
  done
  for unit in "$source_dir"/installer/units/*; do echo "/usr/lib/systemd/system/$(basename "$unit")"; done
  echo /usr/lib/sysusers.d/hai.conf
  echo /usr/lib/tmpfiles.d/hai.conf
  echo /usr/share/hai/web/index.html
  echo /usr/share/hai/api/openapi.json
  for f in "$source_dir"/profiles/catalog/*.toml; do echo "/usr/share/hai/catalog/$(basename "$f")"; done
  for kind in engines nodes tuning fabric; do
    for f in "$source_dir/profiles/$kind"/*.toml; do echo "/usr/share/hai/profiles/$kind/$(basename "$f")"; done
  done
  echo /usr/share/hai/examples/install-control.toml
  echo /usr/share/hai/examples/install-worker.toml
  for f in "$source_dir"/docs/*.md; do echo "/usr/share/doc/hai/$(basename "$f")"; done
} | sort -u > "$expected"
[[ -n $(ls "$source_dir"/profiles/tuning/*.toml 2>/dev/null) ]] ||
  fail "source: profiles/tuning/ has no *.toml (the package would ship no tuning profile)"

dpkg-deb -c "$deb" | awk '{print $NF}' | sed -e 's|^\./|/|' -e 's|/$||' | sort -u > "$work/deb.list"
rpm -qlp "$rpm" | sort -u > "$work/rpm.list"
for kind in deb rpm; do
  while read -r path; do fail "$kind: missing $path"; done < <(comm -23 "$expected" "$work/$kind.list")
  while read -r path; do fail "$kind: holds a file under /etc: $path"; done < <(grep '^/etc' "$work/$kind.list" || true)
done
# The whole web UI, not just its index: every file the build staged.
web_files=$(grep -c '^/usr/share/hai/web/.*\.js$' "$work/deb.list" || true)
[[ $web_files -gt 0 ]] || fail "deb: no JavaScript under /usr/share/hai/web"
cmp -s <(grep '^/usr/share/hai/web/' "$work/deb.list") <(grep '^/usr/share/hai/web/' "$work/rpm.list") ||
  fail "deb and rpm hold different web files"

# Programs: executable in the DEB and stripped (no .debug sections shipped).
while read -r mode path; do
  [[ $mode == -rwxr-xr-x ]] || fail "deb: $path has mode $mode, expected -rwxr-xr-x"
done < <(dpkg-deb -c "$deb" | awk '$NF ~ /^\.\/usr\/bin\/./ {print $1, $NF}')
dpkg-deb -x "$deb" "$work/root"
for program in "$work"/root/usr/bin/*; do
  if readelf -S "$program" | grep -q '\.debug_info'; then fail "deb: $(basename "$program") is not stripped"; fi
done

# Dependencies: ours, plus libraries dpkg-shlibdeps and rpm found.
depends=$(dpkg-deb -f "$deb" Depends)
for dep in systemd nftables chrony libc6 libsystemd0 libsqlite3-0 libssl3 'libopenblas0-openmp | libopenblas0'; do
  [[ ", $depends," == *", $dep"[\ ,]* ]] || fail "deb: Depends lacks $dep (Depends: $depends)"
done
recommends=$(dpkg-deb -f "$deb" Recommends)
for dep in ipmitool smartmontools iproute2; do
  [[ ", $recommends," == *", $dep,"* ]] || fail "deb: Recommends lacks $dep (Recommends: $recommends)"
done
[[ $(dpkg-deb -f "$deb" Package) == hai ]] || fail "deb: package name is not hai"
requires=$(rpm -qp --requires "$rpm")
for dep in systemd nftables chrony 'libc.so.6()(64bit)' 'libsystemd.so.0()(64bit)' 'libsqlite3.so.0()(64bit)'; do
  grep -qxF -- "$dep" <<<"$requires" || fail "rpm: Requires lacks $dep"
done
[[ $(rpm -qp --qf '%{NAME}' "$rpm") == hai ]] || fail "rpm: package name is not hai"
[[ $(rpm -qp --qf '%{ARCH}' "$rpm") == "$(uname -m)" ]] || fail "rpm: architecture is not $(uname -m)"

# Maintainer scripts: exactly the ones the build generated, and none that
# enables or starts a unit (hai-install does that for the node's role).
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  if [[ ! -f $work/control/$script ]]; then fail "deb: no $script"; continue; fi
  cmp -s "$work/control/$script" "$scripts_dir/deb/$script" || fail "deb: $script differs from $scripts_dir/deb/$script"
  [[ -x $work/control/$script ]] || fail "deb: $script is not executable"
done
[[ ! -s $work/control/conffiles ]] || fail "deb: has conffiles: $(tr '\n' ' ' < "$work/control/conffiles")"
for pair in POSTIN:post PREUN:preun POSTUN:postun; do
  tag=${pair%%:*}
  file=$scripts_dir/rpm/${pair#*:}
  body=$(rpm -qp --qf "%{$tag}" "$rpm")
  body=${body#$'\n'}  # CPack starts some scriptlets with an empty line
  [[ $body == "$(cat "$file")" ]] || fail "rpm: %${pair#*:} differs from $file"
done
all_scripts=$(cat "$work"/control/{postinst,prerm,postrm} 2>/dev/null; rpm -qp --scripts "$rpm")
if grep -En 'systemctl( +-[-a-z]+)* +(enable|start|reenable|restart)\b' <<<"$all_scripts"; then
  fail "a maintainer script enables or starts a unit"
fi
for needed in 'systemd-sysusers hai.conf' 'useradd --system' 'systemd-tmpfiles --create hai.conf' \
              'systemctl daemon-reload' 'systemctl stop' 'systemctl --no-reload disable'; do
  grep -qF -- "$needed" "$work/control/postinst" "$work/control/prerm" ||
    fail "deb: maintainer scripts lack '$needed'"
  rpm -qp --scripts "$rpm" | grep -qF -- "$needed" || fail "rpm: scriptlets lack '$needed'"
done

if [[ $status -eq 0 ]]; then
  echo "packages checked: $(basename "$deb") ($(wc -l < "$work/deb.list") paths)," \
       "$(basename "$rpm") ($(wc -l < "$work/rpm.list") paths), $(wc -l < "$expected") required paths each"
fi
exit $status

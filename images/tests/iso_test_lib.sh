# Helpers of build_iso_test.sh (sourced). They use its globals: work (the work
# directory), images (the images/ folder), tree (the x86_64 ISO's extracted
# files), roles (node -> role), ns (the unshare command), real_rpm and
# hai_install.
# shellcheck shell=bash disable=SC2154 # the globals above

failures=0 passes=0
pass() { passes=$((passes + 1)); echo "ok   $*"; }
fail() { failures=$((failures + 1)); echo "FAIL $*"; }
check() {  # DESCRIPTION COMMAND...: passes when the command succeeds
  local what=$1; shift
  if "$@" > "$work/check.out" 2>&1; then
    pass "$what"
  else
    fail "$what"
    sed 's/^/     /' "$work/check.out"
  fi
}

# --- Reading ISOs ---------------------------------------------------------------
eltorito() {  # ISO: the boot catalogue without block addresses
  xorriso -indev "$1" -report_el_torito plain 2> /dev/null |
    grep -E '^El Torito (boot img|img path|img opts)' | awk '$3 == "boot" { $NF = "" } { print }'
}
volid_of() { xorriso -indev "$1" -pvd_info 2> /dev/null | sed -n 's/^Volume Id *: *//p'; }
extract_all() {  # ISO DIR
  rm -rf "$2"
  xorriso -osirrox on -indev "$1" -extract / "$2" > /dev/null 2>&1
  chmod -R u+w "$2"
}
efi_grub_of() {  # EXTRACTED-TREE OUT: the grub.cfg inside images/efiboot.img
  MTOOLS_SKIP_CHECK=1 mcopy -n -i "$1/images/efiboot.img" ::/EFI/BOOT/grub.cfg "$2"
}

# --- Inputs ---------------------------------------------------------------------
make_hai_rpm() {  # ARCH DIR: a small package named hai, standing in for the real one
  local top=$work/rpmbuild-$1
  mkdir -p "$top" "$2"
  cat > "$top/hai.spec" <<'EOF'
Name: hai
Version: 0.0.1
Release: 1
Summary: small stand-in for the hai package (ISO tests)
License: MIT
Requires: systemd
# Like the real package's library requirements: only a DVD that has it will do.
Requires: libsodium.so.23()(64bit)

%description
Stands in for the hai package in images/tests when the real one is not built.

%install
mkdir -p %{buildroot}/usr/bin
printf '#!/bin/sh\necho "hai-install stand-in: $*"\n' > %{buildroot}/usr/bin/hai-install
chmod 0755 %{buildroot}/usr/bin/hai-install

%files
/usr/bin/hai-install
EOF
  rpmbuild --quiet --define "_topdir $top" --define 'debug_package %{nil}' \
    --define '__os_install_post %{nil}' --target "$1" -bb "$top/hai.spec" > /dev/null 2>&1
  find "$top/RPMS" -name 'hai-*.rpm' -exec cp {} "$2/" \;
}

write_node() {  # DIR NAME ROLE ADDRESS [more TOML]: an install config
  {
    printf '[node]\nname = "%s"\nrole = "%s"\naddress = "%s"\n\n' "$2" "$3" "$4"
    printf '[cluster]\ncontrol_address = "10.20.0.11"\n'
    printf 'addresses = ["10.20.0.11", "10.20.0.12", "10.20.0.13"]\n'
    printf 'token_file = "/etc/hai/cluster-token"\n%s' "${5:-}"
  } > "$1/$2.toml"
}

# --- Boot menus -------------------------------------------------------------------
check_entries() {  # MENU VOLID NODE...: one entry per node, every volume reference VOLID
  local file=$1 vol=$2 n labels
  shift 2
  labels=$(grep -oE "LABEL=[^ :'\"]+|-l '[^']+'" "$file" |
    sed -E "s/^LABEL=//; s/^-l '(.*)'$/\1/" | sort -u)
  [[ $labels == "$vol" ]] || { echo "$file: volume references: $labels (want $vol)"; return 1; }
  for n in "$@"; do
    grep -q "Install HAI $n (${roles[$n]})" "$file" || { echo "$file: no entry for $n"; return 1; }
    [[ $(grep -cE "inst\.ks=hd:LABEL=$vol:/ks\.cfg hai\.node=$n\$" "$file") == 1 ]] ||
      { echo "$file: no kernel line with inst.ks and hai.node=$n"; return 1; }
  done
  [[ $(grep -c 'hai\.node=' "$file") == "$#" ]] || { echo "$file: extra hai.node entries"; return 1; }
}

grub_default_title() {  # GRUB.CFG: the title of the default top-level entry
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
index = int(re.search(r'set default="(\d+)"', text)[1])
depth, titles = 0, []
for line in text.splitlines():
    if depth == 0 and re.match(r"\s*(menuentry|submenu)\s", line):
        titles.append(re.search(r"'([^']*)'", line)[1])
    depth += line.count("{") - line.count("}")
print(titles[index])
PY
}

# --- Running the kickstart's scripts ---------------------------------------------------
ks_section() {  # KS HEADER-PREFIX: the body of the first section whose header starts so
  python3 - "$@" <<'PY'
import sys
ks, header = open(sys.argv[1]).read().splitlines(), sys.argv[2]
start = [i for i, line in enumerate(ks) if line.startswith(header)][0]
end = next(i for i in range(start, len(ks)) if ks[i] == "%end")
print("\n".join(ks[start + 1:end]))
PY
}

# Runs %pre (and, given, %post --nochroot) as anaconda would, in a mount
# namespace: /proc/cmdline says CMDLINE, /sys/firmware has efi/ or not, the
# ISO's tree is where dracut mounts the DVD, and /tmp is $work/box/tmp with the
# new system's root at /tmp/sysroot. %pre's output goes to its --log file.
sandbox() {  # CMDLINE yes|no [POST-SCRIPT]
  local box=$work/box
  rm -rf "$box"
  mkdir -p "$box/tmp/sysroot/root"
  printf '%s\n' "$1" > "$box/cmdline"
  cp "$work/pre.sh" "$box/tmp/pre.sh"
  echo 'bash /tmp/pre.sh > /tmp/hai-pre.log 2>&1 || { cat /tmp/hai-pre.log; exit 1; }' \
    > "$box/tmp/run.sh"
  if [[ -n ${3:-} ]]; then
    cp "$3" "$box/tmp/post.sh"
    echo 'ANA_INSTALL_PATH=/tmp/sysroot bash /tmp/post.sh' >> "$box/tmp/run.sh"
  fi
  # shellcheck disable=SC2016 # expanded by the inner shell
  "${ns[@]}" bash -euo pipefail -c '
    box=$1 tree=$2 efi=$3
    mount -t tmpfs tmpfs /run && mkdir -p /run/install/repo
    mount --bind "$tree" /run/install/repo
    mount --bind "$box/cmdline" /proc/cmdline
    mount -t tmpfs tmpfs /sys/firmware
    if [[ $efi == yes ]]; then mkdir /sys/firmware/efi; fi
    mount --bind "$box/tmp" /tmp
    bash /tmp/run.sh
  ' sandbox "$box" "$tree" "$2"
}

# The new system's root after %post --nochroot, completed with what an
# installed openEuler system has that hai-install touches (os-release, chrony,
# nftables, systemd units, the hai user the package makes) and the package.
openeuler_root() {  # ROOT
  local root=$1 u
  mkdir -p "$root"/etc/{sysconfig,chrony.d} "$root/usr/lib/systemd/system"
  printf 'NAME="openEuler"\nVERSION="24.03 (LTS-SP1)"\nID="openEuler"\nVERSION_ID="24.03"\n' \
    > "$root/etc/os-release"
  printf 'pool pool.ntp.org iburst\ndriftfile /var/lib/chrony/drift\n' > "$root/etc/chrony.conf"
  printf '# nftables service configuration\n' > "$root/etc/sysconfig/nftables.conf"
  printf 'root:x:0:0:root:/root:/bin/bash\nhai:x:990:990:HAI:/var/lib/hai:/sbin/nologin\n' \
    > "$root/etc/passwd"
  printf 'root:x:0:\nhai:x:990:\n' > "$root/etc/group"
  for u in nftables chronyd sshd; do
    printf '[Unit]\nDescription=%s\n[Service]\nExecStart=/bin/true\n' "$u" \
      > "$root/usr/lib/systemd/system/$u.service"
    printf '[Install]\nWantedBy=multi-user.target\n' >> "$root/usr/lib/systemd/system/$u.service"
  done
  if [[ -n $real_rpm ]]; then
    rpm2archive -n < "$real_rpm" | tar -xf - -C "$root"
  else
    cp "$images/../installer/units/"* "$root/usr/lib/systemd/system/"
    mkdir -p "$root/usr/share/hai"
    cp -r "$images/../profiles" "$root/usr/share/hai/profiles"
  fi
}

# What the installer does for NODE up to and including %post: %pre and
# %post --nochroot from the ISO, then hai-install --config
# /etc/hai/install.toml --no-start on the new root (--root here, where the
# installer uses a chroot). token_file and tls.cert_file are read where
# hai-install runs, so /etc/hai of this namespace is the new system's.
run_hai_install() {  # NODE
  local root=$work/box/tmp/sysroot bin=$hai_install
  sandbox "hai.node=$1" yes "$work/post-nochroot.sh" > /dev/null || return 1
  openeuler_root "$root"
  [[ -n $real_rpm ]] && bin=$root/usr/bin/hai-install
  mkdir -p "$work/box/etc-upper" "$work/box/etc-work"
  # shellcheck disable=SC2016 # expanded by the inner shell
  "${ns[@]}" bash -euo pipefail -c '
    box=$1 root=$2 bin=$3
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$box/etc-upper,workdir=$box/etc-work" /etc
    mkdir -p /etc/hai && mount --bind "$root/etc/hai" /etc/hai
    "$bin" --config /etc/hai/install.toml --root "$root" --no-start
  ' hai-install "$work/box" "$root" "$bin"
}

# --- Bad input --------------------------------------------------------------------------
expect_fail() {  # NAME EXIT MESSAGE-REGEX BUILD-ISO-ARGS...: fails so, and writes no ISO
  local name=$1 want=$2 message=$3 rc=0
  shift 3
  local out=$work/bad-$name.iso
  "$images/build-iso.sh" "$@" --out "$out" > "$work/bad.out" 2>&1 || rc=$?
  if [[ $rc == "$want" ]] && grep -qE -- "$message" "$work/bad.out" &&
     [[ ! -e $out && ! -e $out.partial ]]; then
    pass "rejects $name: $(grep -m 1 -E -- "$message" "$work/bad.out")"
  else
    fail "rejects $name (exit $rc, want $want; message /$message/; left: $(ls "$out"* 2> /dev/null))"
    sed 's/^/     /' "$work/bad.out"
  fi
}

#!/bin/bash
# Tests images/build-iso.sh on small synthetic DVDs (make_base_iso.sh):
#   x86_64 (BIOS + UEFI, hybrid MBR/GPT), three nodes, static addressing;
#   the kickstart's %pre and %post --nochroot run for real in a mount namespace,
#   then hai-install applies the node's config from the ISO to that root;
#   aarch64 (UEFI only) with a new volume id, DHCP and a reused TLS pair;
#   bad inputs fail with a clear message and leave no ISO behind.
#
#   build_iso_test.sh --work DIR [--packages DIR] [--hai-install BIN]
# --packages: the build's packages directory; its hai-*.x86_64.rpm goes on the
# x86_64 ISO and is unpacked into the node's root, whose own hai-install then
# runs. Without it a small RPM named hai, built here, stands in, and
# --hai-install (the build's program) runs on the node's root instead.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
images=$(dirname "$here")
usage="usage: $0 --work DIR [--packages DIR] [--hai-install BIN]"
work='' packages='' hai_install=''
while (($#)); do
  case $1 in
    --work) work=$2 ;;
    --packages) packages=$2 ;;
    --hai-install) hai_install=$2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -n $work ]] || { echo "$usage" >&2; exit 2; }
work=$(realpath -m "$work")
rm -rf "$work"
mkdir -p "$work"
# shellcheck source=iso_test_lib.sh source-path=SCRIPTDIR
source "$here/iso_test_lib.sh"
if [[ $(id -u) == 0 ]]; then
  ns=(unshare --mount --propagation private)
else
  ns=(unshare -Urm --propagation private)
fi

# --- Packages: the real hai RPM when the build made one, else a stand-in -------------
pk64=$work/packages-x86_64 pkarm=$work/packages-aarch64
mkdir -p "$pk64"
real_rpm=''
if [[ -n $packages ]]; then
  real_rpm=$(find "$packages" -maxdepth 1 -name 'hai-*.x86_64.rpm' | sort | tail -n 1)
  [[ -n $real_rpm ]] || { echo "FAIL no hai-*.x86_64.rpm in $packages" >&2; exit 1; }
  cp "$real_rpm" "$pk64/"
  echo "using the built package $(basename "$real_rpm")"
else
  make_hai_rpm x86_64 "$pk64"
  echo "using a small stand-in hai RPM (no --packages)"
fi
make_hai_rpm aarch64 "$pkarm"
hai64=$(ls "$pk64"/*.rpm)

# --- Synthetic DVDs ------------------------------------------------------------------
vol64=openEuler-24.03-LTS-x86_64
volarm=openEuler-24.03-LTS-SP1-aarch64
t0=$SECONDS
"$here/make_base_iso.sh" --arch x86_64 --volid "$vol64" --out "$work/dvd-x86_64.iso" \
  --work "$work/dvd-x86_64" --provides-of "$hai64"
"$here/make_base_iso.sh" --arch aarch64 --volid "$volarm" --out "$work/dvd-aarch64.iso" \
  --work "$work/dvd-aarch64" --provides-of "$(ls "$pkarm"/*.rpm)"
# Without --provides-of: lacks the libraries hai requires.
"$here/make_base_iso.sh" --arch x86_64 --volid "$vol64" --out "$work/dvd-bare.iso" \
  --work "$work/dvd-bare"
echo "synthetic DVDs built in $((SECONDS - t0)) s"

# --- Install configs and credentials ------------------------------------------------------
nodes=$work/nodes
mkdir -p "$nodes"
worker_tls=$'\n[tls]\ncert_file = "/etc/hai/install-tls/hai.crt"\n'
worker_tls+=$'key_file = "/etc/hai/install-tls/hai.key"\n'
write_node "$nodes" hai-1 control 10.20.0.11
write_node "$nodes" hai-2 worker 10.20.0.12 "$worker_tls"
write_node "$nodes" hai-3 worker 10.20.0.13 "$worker_tls"$'\n[log]\nlevel = "debug"\n'
declare -A roles=([hai-1]=control [hai-2]=worker [hai-3]=worker)
all_nodes=(--node "$nodes/hai-1.toml" --node "$nodes/hai-2.toml" --node "$nodes/hai-3.toml")
key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8qRkRpNr0x3t0Zz0p3Qz6w9sYk3m2u6yJfK1cGx0aB ops@site"
echo "$key" > "$work/root.pub"
root_hash=$(openssl passwd -6 -salt haitestsalt hai-test)  # as an operator would make it

# --- x86_64: three nodes, static addressing ---------------------------------------------
dvd64=$work/dvd-x86_64.iso
out64=$work/hai-x86_64.iso
t0=$SECONDS
check "x86_64 ISO builds" "$images/build-iso.sh" --base "$dvd64" --packages "$pk64" \
  "${all_nodes[@]}" --out "$out64" --disk nvme0n1 --ssh-key "$work/root.pub" \
  --gateway 10.20.0.1 --prefix 24 --dns 10.20.0.2,10.20.0.3
build64=$((SECONDS - t0))
cat "$work/check.out"
[[ -f $out64 ]] || { echo "FAIL no ISO written; stopping"; exit 1; }

check "boot catalogue unchanged (same El Torito images and options)" \
  test "$(eltorito "$dvd64")" == "$(eltorito "$out64")"
check "El Torito: BIOS isolinux.bin and UEFI efiboot.img" grep -qzE \
  'img path :   1  /isolinux/isolinux.bin.*img path :   2  /images/efiboot.img' \
  <(xorriso -indev "$out64" -report_el_torito plain 2> /dev/null)
check "hybrid MBR boot code kept" cmp -n 432 "$dvd64" "$out64"
check "GPT still has the EFI partition on images/efiboot.img" \
  grep -qE 'GPT partition path : +[0-9]+  /images/efiboot.img' \
  <(xorriso -indev "$out64" -report_system_area plain 2> /dev/null)
check "volume id kept" test "$(volid_of "$out64")" == "$vol64"
if command -v checkisomd5 > /dev/null; then
  check "implanted media checksum verifies" checkisomd5 "$out64"
fi

tree=$work/tree-x86_64
dvd=$work/dvd-x86_64/tree
extract_all "$out64" "$tree"
unchanged() {
  local f
  for f in $(cd "$dvd" && find Packages repodata images/pxeboot .treeinfo -type f); do
    cmp "$dvd/$f" "$tree/$f" || return 1
  done
}
check "the DVD's own files unchanged" unchanged
# Bytes 8-63 of a boot-info-table image hold its block address, rewritten on every write.
check "isolinux.bin unchanged past its boot info table" \
  cmp -i 64 "$dvd/isolinux/isolinux.bin" "$tree/isolinux/isolinux.bin"
check "hai/repodata lists the hai package and its file is on the ISO" python3 - "$tree/hai" <<'PY'
import gzip, sys, xml.etree.ElementTree as ET
from pathlib import Path
repo = Path(sys.argv[1])
ns = {"r": "http://linux.duke.edu/metadata/repo", "c": "http://linux.duke.edu/metadata/common"}
data = ET.parse(repo / "repodata/repomd.xml").getroot().findall("r:data", ns)
href = [d.find("r:location", ns).get("href") for d in data if d.get("type") == "primary"][0]
pkgs = ET.fromstring(gzip.decompress((repo / href).read_bytes())).findall("c:package", ns)
hai = [p for p in pkgs if p.findtext("c:name", namespaces=ns) == "hai"]
assert len(hai) == 1, f"hai packages in primary.xml: {len(hai)}"
location = hai[0].find("c:location", ns).get("href")
assert (repo / location).is_file(), location
print("hai", hai[0].find("c:version", ns).attrib, location)
PY
for n in hai-1 hai-2 hai-3; do
  check "hai/nodes/$n.toml is the install config, byte for byte" \
    cmp "$nodes/$n.toml" "$tree/hai/nodes/$n.toml"
done
check "hai/nodes/hai-2.ks: static address with the node's host name" grep -qx \
  "network --bootproto=static --ip=10.20.0.12 --netmask=255.255.255.0 --gateway=10.20.0.1 \
--nameserver=10.20.0.2,10.20.0.3 --device=link --hostname=hai-2 --onboot=yes --activate" \
  "$tree/hai/nodes/hai-2.ks"
check "cluster token: 43 url-safe characters" grep -qxE '[A-Za-z0-9_-]{43}' "$tree/hai/cluster-token"
cert_names() {
  local names n
  names=$(openssl x509 -in "$tree/hai/tls/hai.crt" -noout -ext subjectAltName | tail -n 1)
  for n in DNS:hai-1 DNS:hai-2 DNS:hai-3 DNS:localhost 'IP Address:127.0.0.1' \
           'IP Address:10.20.0.11' 'IP Address:10.20.0.12' 'IP Address:10.20.0.13'; do
    [[ $names == *"$n"* ]] || { echo "no $n in $names"; return 1; }
  done
}
check "the cluster certificate names every node, address and localhost" cert_names
check "the cluster key is the certificate's" test \
  "$(openssl x509 -in "$tree/hai/tls/hai.crt" -noout -pubkey)" == \
  "$(openssl pkey -in "$tree/hai/tls/hai.key" -pubout)"
check "ks.cfg installs on the --disk only" grep -qx 'ignoredisk --only-use=nvme0n1' "$tree/ks.cfg"

efi_grub=$work/efiboot-grub.cfg
efi_grub_of "$tree" "$efi_grub"
for menu in "EFI/BOOT/grub.cfg=$tree/EFI/BOOT/grub.cfg" "grub.cfg in efiboot.img=$efi_grub" \
            "isolinux/isolinux.cfg=$tree/isolinux/isolinux.cfg"; do
  check "${menu%%=*}: one entry per node, labels match" \
    check_entries "${menu#*=}" "$vol64" hai-1 hai-2 hai-3
done
check "grub's default is still the DVD's (Test this media), not a node install" test \
  "$(grub_default_title "$tree/EFI/BOOT/grub.cfg")" == "$(grub_default_title "$dvd/EFI/BOOT/grub.cfg")"
isolinux_default() { awk '$1 == "label" { label = $2 } /menu default/ { print label }' "$1"; }
check "isolinux's default is still the DVD's" test \
  "$(isolinux_default "$tree/isolinux/isolinux.cfg")" == "$(isolinux_default "$dvd/isolinux/isolinux.cfg")"
check "the kickstart checker passes the ISO" \
  python3 "$images/lib/check_media.py" --media "$tree" --volid "$vol64" --menu "efiboot=$efi_grub"

# --- The kickstart's %pre and %post --nochroot, run in a mount namespace ------------------
ks_section "$tree/ks.cfg" "%pre " > "$work/pre.sh"
ks_section "$tree/ks.cfg" "%post --nochroot" > "$work/post-nochroot.sh"
ks_section "$tree/ks.cfg" "%post --interpreter" > "$work/post.sh"
check "%post (in the new system) runs hai-install as the contract says" \
  grep -qx 'hai-install --config /etc/hai/install.toml --no-start' "$work/post.sh"
if "${ns[@]}" true 2> /dev/null; then
  box=$work/box/tmp
  new=$box/sysroot
  check "%pre + %post --nochroot for hai-2 on UEFI" sandbox \
    "BOOT_IMAGE=/images/pxeboot/vmlinuz inst.ks=hd:LABEL=$vol64:/ks.cfg hai.node=hai-2 quiet" \
    yes "$work/post-nochroot.sh"
  check "  %pre copied hai-2's network fragment" cmp "$tree/hai/nodes/hai-2.ks" "$box/hai-node.ks"
  check "  %pre chose /boot/efi for UEFI" \
    grep -qx 'part /boot/efi --fstype=efi --size=600 --ondisk=nvme0n1' "$box/hai-platform.ks"
  check "  %post put hai-2's install config at /etc/hai/install.toml" \
    cmp "$nodes/hai-2.toml" "$new/etc/hai/install.toml"
  check "  %post put the cluster token at /etc/hai/cluster-token" \
    cmp "$tree/hai/cluster-token" "$new/etc/hai/cluster-token"
  check "  %post put the cluster certificate where the worker's config names it" \
    cmp "$tree/hai/tls/hai.crt" "$new/etc/hai/install-tls/hai.crt"
  check "  ... and the key where the control node's hai-install keeps it" \
    cmp "$tree/hai/tls/hai.key" "$new/etc/hai/tls/hai.key"
  check "  install.toml, the token and the TLS keys are 0600" test "$(stat -c %a \
    "$new"/etc/hai/{install.toml,cluster-token,install-tls/hai.key,tls/hai.key})" == \
    "$(printf '600\n600\n600\n600')"
  check "  the media log went to /root on the node" \
    grep -q 'wrote /etc/hai/install.toml' "$new/root/hai-media.log"
  check "  the %pre log went to /root on the node" \
    grep -q 'installing node hai-2' "$new/root/hai-pre.log"
  check "%pre on BIOS firmware" sandbox "hai.node=hai-1" no
  check "  chooses a biosboot partition" \
    grep -qx 'part biosboot --fstype=biosboot --size=1 --ondisk=nvme0n1' "$box/hai-platform.ks"
  if sandbox "quiet" yes > "$work/sandbox.out" 2>&1; then
    fail "%pre without hai.node= must fail"
  else
    check "%pre without hai.node= fails and says why" grep -q 'no valid hai.node=' "$work/sandbox.out"
  fi
  if sandbox "hai.node=hai-9" yes > "$work/sandbox.out" 2>&1; then
    fail "%pre for a node not on the medium must fail"
  else
    check "%pre for a node not on the medium fails and says why" \
      grep -q "no install config for node 'hai-9'" "$work/sandbox.out"
  fi
else
  echo "SKIP %pre/%post in a mount namespace: unshare is not permitted here"
fi

# --- hai-install applies each node's config from the ISO (what %post does) -------------------
if [[ -n $real_rpm || -n $hai_install ]] && "${ns[@]}" true 2> /dev/null; then
  declare -A role_units=(
    [control]="hai-agent.service hai-gateway.service hai-portal.service hai-scheduler.service"
    [worker]="hai-agent.service hai-gateway.service")
  for n in hai-1 hai-2; do
    check "hai-install applies $n's config from the ISO (${roles[$n]})" run_hai_install "$n"
    root=$work/box/tmp/sysroot
    check "  $n: the cluster token is the ISO's" \
      cmp "$tree/hai/cluster-token" "$root/var/lib/hai/cluster-token"
    check "  $n: the TLS certificate is the ISO's" cmp "$tree/hai/tls/hai.crt" "$root/etc/hai/tls/hai.crt"
    check "  $n: hai.toml points at the control node over HTTPS" \
      grep -q 'portal_url = "https://10.20.0.11:8080"' "$root/etc/hai/hai.toml"
    check "  $n: hai.target enabled" \
      test -L "$root/etc/systemd/system/multi-user.target.wants/hai.target"
    check "  $n: the ${roles[$n]}'s units enabled, no others" test \
      "$(cd "$root/etc/systemd/system/hai.target.wants" && echo *)" == "${role_units[${roles[$n]}]}"
  done
else
  echo "SKIP hai-install on the node's root: no real package, no --hai-install or no unshare"
fi

# --- aarch64: UEFI only, a new volume id, DHCP, root password, reused TLS pair and token ----------
outarm=$work/hai-aarch64.iso
newvol=HAI-2403-AARCH64
check "aarch64 ISO builds with --label $newvol, reusing the x86_64 ISO's TLS pair and token" \
  "$images/build-iso.sh" --base "$work/dvd-aarch64.iso" --packages "$pkarm" \
  --node "$nodes/hai-1.toml" --node "$nodes/hai-2.toml" --out "$outarm" \
  --disk sda --rootpw-hash "$root_hash" --label "$newvol" --token "$tree/hai/cluster-token" \
  --tls-cert "$tree/hai/tls/hai.crt" --tls-key "$tree/hai/tls/hai.key"
check "  volume id is the new label" test "$(volid_of "$outarm")" == "$newvol"
check "  boot catalogue unchanged (UEFI image only)" \
  test "$(eltorito "$work/dvd-aarch64.iso")" == "$(eltorito "$outarm")"
treearm=$work/tree-aarch64
extract_all "$outarm" "$treearm"
efi_grub_of "$treearm" "$work/efiboot-arm.cfg"
check "  EFI/BOOT/grub.cfg follows the new label everywhere" \
  check_entries "$treearm/EFI/BOOT/grub.cfg" "$newvol" hai-1 hai-2
check "  efiboot.img's grub.cfg follows the new label everywhere" \
  check_entries "$work/efiboot-arm.cfg" "$newvol" hai-1 hai-2
check "  Kunpeng console/SMMU arguments kept in the node entries" \
  grep -q 'smmu.bypassdev=0x1000:0x17 .*hai.node=hai-1' "$treearm/EFI/BOOT/grub.cfg"
check "  no isolinux on aarch64" test ! -e "$treearm/isolinux"
check "  DHCP when no --gateway" grep -qx \
  'network --bootproto=dhcp --device=link --hostname=hai-1 --onboot=yes --activate' \
  "$treearm/hai/nodes/hai-1.ks"
check "  root password from the hash" grep -qxF "rootpw --iscrypted $root_hash" "$treearm/ks.cfg"
check "  the given TLS pair went on the ISO" cmp "$tree/hai/tls/hai.crt" "$treearm/hai/tls/hai.crt"
check "  the given token went on the ISO" cmp "$tree/hai/cluster-token" "$treearm/hai/cluster-token"
check "  the kickstart checker passes it" python3 "$images/lib/check_media.py" \
  --media "$treearm" --volid "$newvol" --menu "efiboot=$work/efiboot-arm.cfg"

# --- Bad input: a clear message, non-zero exit, no ISO ----------------------------------------
bad=$work/bad
mkdir -p "$bad"
login=(--disk sda --ssh-key "$work/root.pub")
common=(--base "$dvd64" --packages "$pk64" "${login[@]}" --node "$nodes/hai-1.toml")
printf '[node]\nname = "hai-2"\naddress = "10.20.0.12"\n[cluster]\ntoken_file = "%s"\n' \
  /etc/hai/cluster-token > "$bad/no-role.toml"
expect_fail missing-role 1 'no-role.toml: node.role: missing' "${common[@]}" --node "$bad/no-role.toml"
sed 's/worker/control/' "$nodes/hai-2.toml" > "$bad/second-control.toml"
expect_fail two-controls 1 'exactly one node must have role = "control"; found 2' \
  "${common[@]}" --node "$bad/second-control.toml"
sed 's/"hai-3"/"hai-2"/; s/10.20.0.13"$/10.20.0.14"/' "$nodes/hai-3.toml" > "$bad/same-name.toml"
expect_fail duplicate-name 1 'node.name: "hai-2" is also the name in' \
  "${common[@]}" --node "$nodes/hai-2.toml" --node "$bad/same-name.toml"
sed 's/^role = .*/role = "gpu"/' "$nodes/hai-2.toml" > "$bad/bad-role.toml"
expect_fail unknown-role 1 'node.role: "gpu" is not "control" or "worker"' \
  "${common[@]}" --node "$bad/bad-role.toml"
sed '/token_file/d' "$nodes/hai-2.toml" > "$bad/no-token.toml"
expect_fail worker-without-token 1 'cluster.token_file: not set; must be "/etc/hai/cluster-token"' \
  "${common[@]}" --node "$bad/no-token.toml"
sed '/^\[tls\]/,$d' "$nodes/hai-2.toml" > "$bad/worker-no-cert.toml"
expect_fail worker-without-certificate 1 \
  'worker-no-cert.toml: tls.cert_file: a worker must name the cluster certificate' \
  "${common[@]}" --node "$bad/worker-no-cert.toml"
sed '/^address/d' "$nodes/hai-2.toml" > "$bad/no-address.toml"
expect_fail self-signed-without-address 1 'no-address.toml: node.address: missing; with TLS self-signed' \
  "${common[@]}" --node "$bad/no-address.toml"
sed 's/hai-3/hai-4/; s/10.20.0.13/10.20.0.14/' "$nodes/hai-3.toml" > "$bad/hai-4.toml"
expect_fail certificate-lacking-a-node 1 'hai.crt does not name 10.20.0.14, hai-4' \
  "${common[@]}" --node "$bad/hai-4.toml" \
  --tls-cert "$tree/hai/tls/hai.crt" --tls-key "$tree/hai/tls/hai.key"
printf 'this is = = not toml\n' > "$bad/garbled.toml"
expect_fail not-toml 1 'garbled.toml: not valid TOML' "${common[@]}" --node "$bad/garbled.toml"
expect_fail arch-mismatch 1 "built for x86_64, but the DVD is aarch64" \
  --base "$work/dvd-aarch64.iso" --packages "$pk64" "${login[@]}" "${all_nodes[@]}"
expect_fail missing-dependency 1 'requires .*, which neither the DVD' \
  --base "$work/dvd-bare.iso" --packages "$pk64" "${login[@]}" --node "$nodes/hai-1.toml"
expect_fail plain-password 1 'rootpw-hash must be a SHA-512' \
  --base "$dvd64" --packages "$pk64" --disk sda --rootpw-hash secret "${all_nodes[@]}"
expect_fail nobody-can-log-in 1 'give --rootpw-hash or --ssh-key' \
  --base "$dvd64" --packages "$pk64" --disk sda "${all_nodes[@]}"
expect_fail static-outside-subnet 1 'does not contain the gateway 192.168.1.1' \
  "${common[@]}" --gateway 192.168.1.1 --prefix 24
expect_fail no-disk 2 '--disk is required' \
  --base "$dvd64" --packages "$pk64" --ssh-key "$work/root.pub" "${all_nodes[@]}"
expect_fail remaster-twice 1 'already has /hai' \
  --base "$out64" --packages "$pk64" "${login[@]}" "${all_nodes[@]}"

# --- Figures -----------------------------------------------------------------------------------
size() { stat -c %s "$1"; }
echo "figures: x86_64 build-iso ${build64} s; DVD $(size "$dvd64") B -> ISO $(size "$out64") B;" \
  "hai/ $(du -sb "$tree/hai" | cut -f1) B; hai RPM $(size "$hai64") B;" \
  "aarch64 DVD $(size "$work/dvd-aarch64.iso") B -> ISO $(size "$outarm") B"
echo "$passes passed, $failures failed"
((failures == 0))

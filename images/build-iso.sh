#!/bin/bash
# Builds the HAI appliance ISO by remastering an openEuler/Kylin installation
# DVD with xorriso: the DVD stays as it is (its files, El Torito and EFI boot
# records, hybrid MBR/GPT) and gains
#   /hai/             our RPMs and their repodata (createrepo_c)
#   /hai/nodes/       one install config per node (<name>.toml) and its
#                     network kickstart fragment (<name>.ks)
#   /hai/cluster-token  the token every node of the cluster shares
#   /hai/tls/         the cluster's self-signed TLS certificate and key
#   /ks.cfg           the kickstart (images/kickstart/ks.cfg.in)
# and one boot entry per node, "Install HAI <name> (<role>)", in
# EFI/BOOT/grub.cfg, the grub.cfg inside images/efiboot.img and
# isolinux/isolinux.cfg. See docs/iso.md.
set -euo pipefail
umask 022

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=$here/lib
# Where the kickstart's %pre mounts the medium during the install.
media_root=/run/install/hai-media

usage() {
  cat <<'EOF'
usage: build-iso.sh --base DVD.iso --packages DIR --node NODE.toml [--node NODE.toml ...]
                    --out OUT.iso --disk DEV (--rootpw-hash HASH | --ssh-key FILE) [options]

  --base FILE         the openEuler/Kylin DVD ISO for the nodes' architecture
  --packages DIR      our RPMs (hai-*.rpm; any other *.rpm there goes along)
  --node FILE         a node's install config (TOML, [node] name and role); once per node
  --out FILE          the ISO to write (not written at all when anything fails)
  --disk DEV          the disk to install on, as anaconda names it: sda, nvme0n1,
                      disk/by-id/...; every other disk is left alone
  --rootpw-hash HASH  root's password as a crypt(3) hash ($6$/$5$/$y$; openssl passwd -6)
  --ssh-key FILE      OpenSSH public keys for root (root's password is locked without
                      --rootpw-hash)
  --label VOLID       a new volume id (default: keep the DVD's); boot menus follow it
  --token FILE        the cluster token to install (default: make a new one)
  --tls-cert FILE --tls-key FILE
                      the cluster's TLS pair to install (default: make a new self-signed
                      one naming every node); for adding a node to an existing cluster,
                      the control node's /etc/hai/tls/hai.crt and hai.key
  --gateway IP --prefix N [--dns IP[,IP]]
                      static addressing: each node's [node] address/N via IP
                      (default: DHCP)
  --netdev DEV        the interface to configure (default: link = the first one with link)
  --skip-deps-check   build even if the DVD lacks something our packages require
  --no-md5            do not implant a media checksum (implantisomd5)
EOF
}

die() { echo "build-iso: $*" >&2; exit 1; }
usage_error() { echo "build-iso: $*" >&2; echo "build-iso: --help shows the usage" >&2; exit 2; }

base='' pkgdir='' out='' disk='' label='' rootpw_hash='' ssh_key='' token='' tls_cert='' tls_key=''
gateway='' prefix='' dns='' netdev=link deps_check=1 md5=1
nodes=()
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --skip-deps-check) deps_check=0; shift; continue ;;
    --no-md5) md5=0; shift; continue ;;
  esac
  [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"
  case $1 in
    --base) base=$2 ;;
    --packages) pkgdir=$2 ;;
    --node) nodes+=("$2") ;;
    --out) out=$2 ;;
    --disk) disk=${2#/dev/} ;;
    --label) label=$2 ;;
    --rootpw-hash) rootpw_hash=$2 ;;
    --ssh-key) ssh_key=$2 ;;
    --token) token=$2 ;;
    --tls-cert) tls_cert=$2 ;;
    --tls-key) tls_key=$2 ;;
    --gateway) gateway=$2 ;;
    --prefix) prefix=$2 ;;
    --dns) dns=$2 ;;
    --netdev) netdev=$2 ;;
    *) usage_error "unknown option $1" ;;
  esac
  shift 2
done

[[ -n $base ]] || usage_error "--base is required"
[[ -n $pkgdir ]] || usage_error "--packages is required"
[[ -n $out ]] || usage_error "--out is required"
[[ -n $disk ]] || usage_error "--disk is required (the install wipes it)"
((${#nodes[@]})) || usage_error "at least one --node is required"
[[ -z $prefix || $prefix =~ ^[0-9]+$ ]] || usage_error "--prefix must be a number"
[[ -f $base ]] || die "$base: no such file"
[[ -d $pkgdir ]] || die "$pkgdir: no such directory"
[[ -d $(dirname "$out") ]] || die "$(dirname "$out"): no such directory (for --out)"
[[ ! $out -ef $base ]] || die "--out must not be the --base ISO"
[[ -z $label || $label =~ ^[A-Za-z0-9._-]{1,32}$ ]] ||
  die "--label: at most 32 characters of A-Z a-z 0-9 . _ -"
for tool in xorriso createrepo_c python3 rpm; do
  command -v "$tool" > /dev/null || die "$tool is needed (Debian/openEuler package: ${tool/_/-})"
done

start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/hai-iso.XXXXXX")
partial=$out.partial
trap 'rm -rf "$work" "$partial"' EXIT
rm -f "$partial"
log() { echo "build-iso: $*"; }

# --- The DVD: volume id, architecture, the few files we edit or read ---------
old_volid=$(xorriso -indev "$base" -pvd_info 2> /dev/null | sed -n 's/^Volume Id *: *//p')
[[ -n $old_volid ]] || die "$base: not an ISO 9660 image (no volume id)"
[[ $old_volid =~ ^[A-Za-z0-9._-]+$ ]] ||
  die "$base: volume id '$old_volid' has characters the boot menus cannot match reliably"
volid=${label:-$old_volid}
mapfile -t listing < <(xorriso -indev "$base" -find / -maxdepth 3 2> /dev/null |
  sed -n "s/^'\(.*\)'$/\1/p")
declare -A in_base=()
for path in "${listing[@]}"; do in_base[$path]=1; done
has() { [[ -n ${in_base[$1]:-} ]]; }
has /hai && die "$base: already has /hai (an appliance ISO?); start from the vendor's DVD"
has /repodata/repomd.xml ||
  die "$base: no /repodata: not an installation DVD (use the full DVD ISO, not netinst)"
menus=()
for m in /EFI/BOOT/grub.cfg /isolinux/isolinux.cfg; do has "$m" && menus+=("$m"); done
((${#menus[@]})) || die "$base: no boot menu (/EFI/BOOT/grub.cfg or /isolinux/isolinux.cfg)"
extract=("${menus[@]}" /repodata/repomd.xml)
has /.treeinfo && extract+=(/.treeinfo)
has /images/efiboot.img && extract+=(/images/efiboot.img)
xorriso -osirrox on -indev "$base" -extract_l / "$work/base" "${extract[@]}" -- \
  > "$work/xorriso-extract.log" 2>&1 ||
  { cat "$work/xorriso-extract.log" >&2; die "$base: cannot read"; }
chmod -R u+w "$work/base"

arch=''
[[ -f $work/base/.treeinfo ]] && arch=$(sed -n 's/^arch *= *//p;T;q' "$work/base/.treeinfo")
if [[ -z $arch ]]; then
  case $old_volid in
    *x86_64*|*amd64*) arch=x86_64 ;;
    *aarch64*|*arm64*) arch=aarch64 ;;
    *loongarch64*) arch=loongarch64 ;;
  esac
fi
[[ -n $arch ]] ||
  die "$base: cannot tell the architecture (no arch in .treeinfo nor in the volume id)"
log "base $base: volume id $old_volid, $arch"

# --- Our packages ------------------------------------------------------------
mkdir -p "$work/stage/hai"
shopt -s nullglob
rpms=("$pkgdir"/*.rpm)
shopt -u nullglob
((${#rpms[@]})) || die "$pkgdir: no *.rpm"
found_hai=0
for f in "${rpms[@]}"; do
  read -r name rpm_arch < <(rpm -qp --nosignature --qf '%{NAME} %{ARCH}\n' "$f" 2> /dev/null) ||
    die "$f: not an RPM"
  [[ $rpm_arch == "$arch" || $rpm_arch == noarch ]] ||
    die "$f: built for $rpm_arch, but the DVD is $arch"
  [[ $name == hai ]] && found_hai=1
  cp "$f" "$work/stage/hai/"
done
((found_hai)) || die "$pkgdir: no RPM of the package hai"
compress=()
# gzip metadata: every dnf/libsolv of the openEuler family reads it.
# (Help text read whole: `| grep -q` could end the pipe early and, with
# pipefail, fail it.)
if [[ $(createrepo_c --help 2>&1) == *--general-compress-type* ]]; then
  compress=(--general-compress-type gz)
fi
createrepo_c --quiet --no-database "${compress[@]}" "$work/stage/hai" ||
  die "createrepo_c failed on $work/stage/hai"

# --- The grub.cfg inside the EFI boot image (what firmware reads from a CD) ---
efi_menus=()
if [[ -f $work/base/images/efiboot.img ]]; then
  command -v mcopy > /dev/null || die "mtools is needed to edit images/efiboot.img"
  export MTOOLS_SKIP_CHECK=1
  mapfile -t efi_menus < <(mdir -/ -b -i "$work/base/images/efiboot.img" ::/ 2> /dev/null |
    grep -i '/grub\.cfg$' || true)
  mkdir -p "$work/efi-menus"
  for i in "${!efi_menus[@]}"; do
    mcopy -n -i "$work/base/images/efiboot.img" "${efi_menus[$i]}" "$work/efi-menus/$i-grub.cfg"
  done
fi

# --- Kickstart, node configs, token, boot menus --------------------------------
stage_args=(--stage "$work/stage" --template "$here/kickstart/ks.cfg.in" --volid "$volid"
  --old-volid "$old_volid" --disk "$disk" --media-root "$media_root" --netdev "$netdev")
[[ -n $rootpw_hash ]] && stage_args+=(--rootpw-hash "$rootpw_hash")
[[ -n $ssh_key ]] && stage_args+=(--ssh-key "$ssh_key")
[[ -n $token ]] && stage_args+=(--token "$token")
[[ -n $tls_cert ]] && stage_args+=(--tls-cert "$tls_cert")
[[ -n $tls_key ]] && stage_args+=(--tls-key "$tls_key")
[[ -n $gateway ]] && stage_args+=(--gateway "$gateway")
[[ -n $prefix ]] && stage_args+=(--prefix "$prefix")
[[ -n $dns ]] && stage_args+=(--dns "$dns")
for m in "${menus[@]}"; do stage_args+=(--menu "$work/base$m"); done
for i in "${!efi_menus[@]}"; do stage_args+=(--menu "$work/efi-menus/$i-grub.cfg"); done
for n in "${nodes[@]}"; do stage_args+=(--node "$n"); done
python3 "$lib/hai_media.py" stage "${stage_args[@]}" > "$work/nodes.txt"
while read -r name role file; do log "node $name ($role) from $file"; done < "$work/nodes.txt"
for i in "${!efi_menus[@]}"; do
  mcopy -o -i "$work/base/images/efiboot.img" "$work/efi-menus/$i-grub.cfg" "${efi_menus[$i]}" ||
    die "images/efiboot.img: cannot write ${efi_menus[$i]} back (image full?)"
done

# --- Do the DVD's repository and ours meet our packages' requirements? --------
extract_repodata() {  # ISO DIR: repomd.xml plus the primary and comps files it names
  local iso=$1 dir=$2 hrefs
  mkdir -p "$dir"
  xorriso -osirrox on -indev "$iso" -extract /repodata/repomd.xml "$dir/repodata/repomd.xml" \
    > /dev/null 2>&1 || return 1
  mapfile -t hrefs < <(python3 - "$dir/repodata/repomd.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = "{http://linux.duke.edu/metadata/repo}"
for d in ET.parse(sys.argv[1]).getroot().iter(ns + "data"):
    if d.get("type") in ("primary", "group", "group_gz", "group_xz"):
        print("/" + d.find(ns + "location").get("href"))
PY
  )
  ((${#hrefs[@]})) || return 1
  xorriso -osirrox on -indev "$iso" -extract_l / "$dir" "${hrefs[@]}" -- > /dev/null 2>&1
}
if ((deps_check)); then
  extract_repodata "$base" "$work/base-repo" || die "$base: cannot read /repodata"
  python3 "$lib/hai_media.py" deps --ours "$work/stage/hai" --base "$work/base-repo"
fi

# --- Write the ISO: the DVD plus our files, its boot records replayed ---------
map=(-map "$work/stage/hai" /hai -map "$work/stage/ks.cfg" /ks.cfg)
for m in "${menus[@]}"; do map+=(-map "$work/base$m" "$m"); done
((${#efi_menus[@]})) && map+=(-map "$work/base/images/efiboot.img" /images/efiboot.img)
relabel=()
[[ $volid != "$old_volid" ]] && relabel=(-volid "$volid")
log "writing $out"
if ! xorriso -indev "$base" -outdev "$partial" -boot_image any replay \
    -joliet on -compliance joliet_long_names "${relabel[@]}" "${map[@]}" -end \
    > "$work/xorriso-write.log" 2>&1; then
  grep -E 'FAILURE|SORRY|FATAL' "$work/xorriso-write.log" >&2 ||
    tail -n 20 "$work/xorriso-write.log" >&2
  die "xorriso could not write the ISO"
fi
if ((md5)); then
  if command -v implantisomd5 > /dev/null; then
    # The DVD's own checksum no longer matches; "Test this media" needs a new one.
    implantisomd5 --force "$partial" > /dev/null || die "implantisomd5 failed"
  else
    log "warning: implantisomd5 (isomd5sum) not found: the DVD's 'Test this media' entry will fail"
  fi
fi

# --- Check what was written before calling it done ----------------------------
eltorito() { xorriso -indev "$1" -report_el_torito plain 2> /dev/null |
  grep -E '^El Torito (boot img|img path|img opts)' | awk '$3 == "boot" { $NF = "" } { print }'; }
[[ "$(eltorito "$base")" == "$(eltorito "$partial")" ]] ||
  die "the written ISO's El Torito boot records differ from the DVD's"
check=$work/check
xorriso -osirrox on -indev "$partial" -extract_l / "$check" /ks.cfg /hai "${menus[@]}" -- \
  > /dev/null 2>&1 || die "cannot read back the written ISO"
extract_repodata "$partial" "$check" || die "cannot read back /repodata"
check_args=(--media "$check" --volid "$volid")
if ((${#efi_menus[@]})); then
  xorriso -osirrox on -indev "$partial" -extract /images/efiboot.img "$work/efiboot-out.img" \
    > /dev/null 2>&1
  for i in "${!efi_menus[@]}"; do
    mcopy -n -i "$work/efiboot-out.img" "${efi_menus[$i]}" "$work/efi-out-$i.cfg"
    check_args+=(--menu "efiboot.img:${efi_menus[$i]#::}=$work/efi-out-$i.cfg")
  done
fi
python3 "$lib/check_media.py" "${check_args[@]}" || die "the written ISO fails its checks"

mv "$partial" "$out"
size=$(stat -c %s "$out")
log "wrote $out: volume id $volid, $((size / 1048576)) MiB, ${#nodes[@]} node(s)," \
  "$((SECONDS - start)) s"

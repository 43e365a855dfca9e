#!/bin/bash
# Builds a small ISO laid out like an openEuler installation DVD, for testing
# build-iso.sh without a 4 GB download: volume id, .treeinfo, EFI/BOOT with
# grub.cfg, images/efiboot.img (FAT, the EFI El Torito image, with its own
# grub.cfg), images/pxeboot, isolinux/ on x86_64 (BIOS El Torito image and a
# hybrid MBR/GPT as the real x86_64 DVD has), Packages/ with tiny RPMs and
# repodata/ with comps (group core, environment minimal-environment).
# The kernel, initrd and boot loaders are placeholder files: nothing here boots.
#
#   make_base_iso.sh --arch x86_64|aarch64 --volid ID --out FILE --work DIR
#                    [--provides-of RPM]...
# --provides-of adds a package to the DVD that provides what RPM requires, the
# way the real DVD's libraries would.
set -euo pipefail

arch='' volid='' out='' work='' provides_of=()
while (($#)); do
  case $1 in
    --arch) arch=$2 ;;
    --volid) volid=$2 ;;
    --out) out=$2 ;;
    --work) work=$2 ;;
    --provides-of) provides_of+=("$2") ;;
    *) echo "make_base_iso: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[[ $arch == x86_64 || $arch == aarch64 ]] || { echo "make_base_iso: --arch x86_64|aarch64" >&2; exit 2; }
work=$(realpath -m "$work")
out=$(realpath -m "$out")
rm -rf "$work"
tree=$work/tree
mkdir -p "$tree"/{EFI/BOOT,images/pxeboot,Packages} "$work/rpm"

# --- Packages/ and repodata/ --------------------------------------------------
make_rpm() {  # NAME ARCH [Provides lines...]
  local name=$1 rpm_arch=$2; shift 2
  local spec=$work/rpm/$name.spec
  {
    printf 'Name: %s\nVersion: 1.0\nRelease: 1.oe2403\nSummary: synthetic %s\nLicense: MIT\n' \
      "$name" "$name"
    local p; for p in "$@"; do printf 'Provides: %s\n' "$p"; done
    printf '\n%%description\nA placeholder %s for a synthetic DVD.\n\n%%files\n' "$name"
  } > "$spec"
  rpmbuild --quiet --define "_topdir $work/rpm/top" --define 'debug_package %{nil}' \
    --define '__os_install_post %{nil}' --target "$rpm_arch" -bb "$spec" > /dev/null 2>&1 ||
    { echo "make_base_iso: rpmbuild $name failed" >&2; exit 1; }
}
make_rpm chrony "$arch"
make_rpm nftables "$arch"
make_rpm ipmitool "$arch"
make_rpm smartmontools "$arch"
make_rpm iproute "$arch"
make_rpm systemd "$arch" /bin/sh
if ((${#provides_of[@]})); then
  mapfile -t needs < <(for f in "${provides_of[@]}"; do rpm -qp --nosignature --requires "$f"; done |
    sed 's/ *[<>=].*//' | grep -v '^rpmlib(' | sort -u)
  make_rpm dvd-libraries "$arch" "${needs[@]}"
fi
find "$work/rpm/top/RPMS" -name '*.rpm' -exec cp {} "$tree/Packages/" \;
cat > "$work/comps.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//openEuler//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>core</id>
    <name>Core</name>
    <default>true</default>
    <uservisible>false</uservisible>
    <packagelist>
      <packagereq type="mandatory">systemd</packagereq>
    </packagelist>
  </group>
  <environment>
    <id>minimal-environment</id>
    <name>Minimal Install</name>
    <grouplist>
      <groupid>core</groupid>
    </grouplist>
  </environment>
</comps>
EOF
createrepo_c --quiet --no-database -g "$work/comps.xml" "$tree" > /dev/null

# --- Installer images and boot loaders (placeholders) ----------------------------
printf 'synthetic kernel\n' > "$tree/images/pxeboot/vmlinuz"
printf 'synthetic initrd\n' > "$tree/images/pxeboot/initrd.img"
printf 'synthetic stage2\n' > "$tree/images/install.img"
if [[ $arch == x86_64 ]]; then
  efi_names=(BOOTX64.EFI grubx64.efi)
  linux=linuxefi initrd=initrdefi extra='quiet fpi_to_tail=off'
else
  efi_names=(BOOTAA64.EFI grubaa64.efi)
  linux=linux initrd=initrd
  extra='console=tty0 smmu.bypassdev=0x1000:0x17 smmu.bypassdev=0x1000:0x15 video=efifb:off'
fi
for f in "${efi_names[@]}"; do printf 'synthetic %s\n' "$f" > "$tree/EFI/BOOT/$f"; done
release=${volid%-*}
release=${release//-/ }
stage2="inst.stage2=hd:LABEL=$volid"
cat > "$tree/EFI/BOOT/grub.cfg" <<EOF
set default="1"

function load_video {
  insmod efi_gop
  insmod efi_uga
  insmod video_bochs
  insmod video_cirrus
  insmod all_video
}

load_video
set gfxpayload=keep
insmod gzio
insmod part_gpt
insmod ext2

set timeout=60
### END /etc/grub.d/00_header ###

search --no-floppy --set=root -l '$volid'

### BEGIN /etc/grub.d/10_linux ###
menuentry 'Install $release' --class red --class gnu-linux --class gnu --class os {
	$linux /images/pxeboot/vmlinuz $stage2 $extra
	$initrd /images/pxeboot/initrd.img
}
menuentry 'Test this media & install $release' --class red --class gnu-linux --class gnu --class os {
	$linux /images/pxeboot/vmlinuz $stage2 rd.live.check $extra
	$initrd /images/pxeboot/initrd.img
}
submenu 'Troubleshooting -->' {
	menuentry 'Install $release in basic graphics mode' --class red --class gnu-linux --class gnu --class os {
		$linux /images/pxeboot/vmlinuz $stage2 nomodeset $extra
		$initrd /images/pxeboot/initrd.img
	}
	menuentry 'Rescue a $release system' --class red --class gnu-linux --class gnu --class os {
		$linux /images/pxeboot/vmlinuz $stage2 inst.rescue $extra
		$initrd /images/pxeboot/initrd.img
	}
}
EOF
cat > "$tree/.treeinfo" <<EOF
[general]
name = $release
family = ${volid%%-*}
version = $(cut -d- -f2- <<< "$release" | tr ' ' '-')
arch = $arch
packagedir = Packages

[stage2]
mainimage = images/install.img

[images-$arch]
kernel = images/pxeboot/vmlinuz
initrd = images/pxeboot/initrd.img
efiboot.img = images/efiboot.img
EOF

# The EFI El Torito image: a FAT file system with the loaders and a grub.cfg.
efiboot=$tree/images/efiboot.img
mkfs.vfat -n ANACONDA -C "$efiboot" 2880 > /dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$efiboot" ::/EFI ::/EFI/BOOT
for f in "${efi_names[@]}" grub.cfg; do mcopy -i "$efiboot" "$tree/EFI/BOOT/$f" "::/EFI/BOOT/$f"; done

boot=(-e images/efiboot.img -no-emul-boot)
if [[ $arch == x86_64 ]]; then
  mkdir -p "$tree/isolinux"
  cp "$tree/images/pxeboot/vmlinuz" "$tree/images/pxeboot/initrd.img" "$tree/isolinux/"
  # Recognisable bytes, so a test can see the boot image and MBR code survive.
  head -c 4096 /dev/zero | tr '\0' 'I' > "$tree/isolinux/isolinux.bin"
  head -c 432 /dev/zero | tr '\0' 'M' > "$work/mbr-code.bin"
  cat > "$tree/isolinux/isolinux.cfg" <<EOF
default vesamenu.c32
timeout 600

display boot.msg
menu clear
menu background splash.png
menu title $release
menu vshift 8
menu rows 18
menu tabmsg Press Tab for full configuration options on menu items.

menu separator # insert an empty line

label linux
  menu label ^Install $release
  kernel vmlinuz
  append initrd=initrd.img $stage2 quiet fpi_to_tail=off

label check
  menu label Test this ^media & install $release
  menu default
  kernel vmlinuz
  append initrd=initrd.img $stage2 rd.live.check quiet fpi_to_tail=off

menu separator # insert an empty line

menu begin ^Troubleshooting
  menu title Troubleshooting

label rescue
  menu indent count 5
  menu label ^Rescue a $release system
  kernel vmlinuz
  append initrd=initrd.img $stage2 inst.rescue quiet

menu separator # insert an empty line

label returntomain
  menu label Return to ^main menu
  menu exit

menu end
EOF
  boot=(-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4
    -boot-info-table -eltorito-alt-boot "${boot[@]}"
    -isohybrid-mbr "$work/mbr-code.bin" -isohybrid-gpt-basdat)
fi

xorriso -as mkisofs -quiet -R -J -joliet-long -V "$volid" -o "$out" "${boot[@]}" "$tree" \
  > "$work/xorriso.log" 2>&1 || { cat "$work/xorriso.log" >&2; exit 1; }

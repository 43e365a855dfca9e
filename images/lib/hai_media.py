#!/usr/bin/env python3
"""Prepares what build-iso.sh adds to the DVD (called by it, not by people).

  stage: validates the install configs and writes into a staging directory
         ks.cfg, hai/nodes/<name>.toml and .ks, hai/cluster-token,
         hai/tls/hai.{crt,key}, and edits the given copies of the DVD's boot
         menus in place.
  deps:  checks that the DVD's repository and ours meet every requirement of
         our packages.
Exit status: 0 done, 1 a problem (each printed as "build-iso: ..."), 2 usage.
"""

import argparse
import re
import secrets
import sys
from pathlib import Path

# Run from the source tree (or a read-only medium): leave no __pycache__ there.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import boot_menus  # noqa: E402
import cluster_tls  # noqa: E402
import install_configs  # noqa: E402
import kickstart  # noqa: E402
import repodata  # noqa: E402

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,256}$")


def fail(lines):
    for line in lines:
        print(f"build-iso: {line}", file=sys.stderr)
    sys.exit(1)


def read_token(path):
    if not path:
        return secrets.token_urlsafe(32)  # 43 url-safe characters, as the portal makes it
    try:
        text = Path(path).read_text().strip()
    except OSError as e:
        fail([f"{path}: cannot read: {e.strerror}"])
    if not TOKEN.match(text):
        fail([f"{path}: not a cluster token (one line of 32-256 url-safe characters: "
              "A-Z a-z 0-9 - _)"])
    return text


def read_ssh_keys(path):
    if not path:
        return []
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as e:
        fail([f"{path}: cannot read: {e.strerror}"])
    keys = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not keys:
        fail([f"{path}: no public key in it"])
    return keys


def edit_menu(path, old, new, nodes):
    text = path.read_text()
    stray = boot_menus.labels_in(text) - {old}
    if stray:
        fail([f"{path.name}: refers to volume {sorted(stray)}, but the DVD's volume id is "
              f"{old}: this does not look like the DVD's own boot menu"])
    text = boot_menus.relabel(text, old, new)
    if "isolinux" in path.name or "syslinux" in path.name:
        text = boot_menus.add_syslinux_entries(text, new, nodes)
    else:
        text = boot_menus.add_grub_entries(text, new, nodes)
    path.write_text(text)


def stage(args):
    nodes, problems = install_configs.load_cluster(args.node)
    if problems:
        fail(problems.lines)
    out = Path(args.stage)
    node_dir = out / "hai" / "nodes"
    node_dir.mkdir(parents=True)
    try:
        net = kickstart.Network(args.gateway, args.prefix,
                                tuple(d for d in args.dns.split(",") if d), args.netdev)
        net.check()
        fragments = {n.name: kickstart.node_fragment(n, net) for n in nodes}
        auth = kickstart.auth_lines(args.rootpw_hash, read_ssh_keys(args.ssh_key))
        ks = kickstart.render(Path(args.template).read_text(), args.volid, args.disk,
                              args.media_root, auth)
        for menu in args.menu:
            edit_menu(Path(menu), args.old_volid, args.volid, nodes)
    except (kickstart.KickstartError, boot_menus.MenuError) as e:
        fail([str(e)])
    for n in nodes:
        (node_dir / f"{n.name}.toml").write_bytes(n.text)
        (node_dir / f"{n.name}.ks").write_text(fragments[n.name])
    (out / "hai" / "cluster-token").write_text(read_token(args.token) + "\n")
    if any(n.tls_mode == "self-signed" for n in nodes):
        names = install_configs.certificate_names(nodes)
        control = next(n for n in nodes if n.role == "control")
        try:
            if args.tls_cert or args.tls_key:
                if not (args.tls_cert and args.tls_key):
                    fail(["--tls-cert and --tls-key go together"])
                cluster_tls.use(args.tls_cert, args.tls_key, names, out / "hai" / "tls")
            else:
                cluster_tls.make(names, f"HAI cluster {control.name}", out / "hai" / "tls")
        except cluster_tls.TlsError as e:
            fail([str(e)])
    (out / "ks.cfg").write_text(ks)
    for n in nodes:
        print(f"{n.name} {n.role} {n.path}")


def deps(args):
    try:
        ours = repodata.load(args.ours)
        base = repodata.load(args.base)
    except repodata.RepoError as e:
        fail([str(e)])
    missing = repodata.unresolved(ours, base)
    if missing:
        fail([f"{p.location}: requires {what}, which neither the DVD's repository nor "
              f"hai/ provides" for p, what in missing] +
             ["(build the packages on the DVD's release, or add the missing RPMs to --packages; "
              "--skip-deps-check builds the ISO anyway)"])
    print(f"dependencies met: {sum(len(p.requires) for p in ours.packages)} requirements of "
          f"{len(ours.packages)} package(s) against {len(base.packages)} DVD packages")


def main():
    parser = argparse.ArgumentParser(prog="hai_media.py")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("stage")
    s.add_argument("--stage", required=True)
    s.add_argument("--template", required=True)
    s.add_argument("--volid", required=True)
    s.add_argument("--old-volid", required=True)
    s.add_argument("--disk", required=True)
    s.add_argument("--media-root", required=True)
    s.add_argument("--rootpw-hash", default="")
    s.add_argument("--ssh-key", default="")
    s.add_argument("--token", default="")
    s.add_argument("--tls-cert", default="")
    s.add_argument("--tls-key", default="")
    s.add_argument("--gateway", default="")
    s.add_argument("--prefix", type=int, default=0)
    s.add_argument("--dns", default="")
    s.add_argument("--netdev", default="link")
    s.add_argument("--menu", action="append", default=[])
    s.add_argument("--node", action="append", required=True)
    d = sub.add_parser("deps")
    d.add_argument("--ours", required=True)
    d.add_argument("--base", required=True)
    args = parser.parse_args()
    if args.command == "stage":
        stage(args)
    else:
        deps(args)


if __name__ == "__main__":
    main()

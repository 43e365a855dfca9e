#!/usr/bin/env python3
"""Checks an appliance ISO's tree: kickstart, our repository, node configs, boot menus.

  check_media.py --media DIR --volid VOLID [--menu FILE]...

DIR holds the files of the ISO this checks (at least ks.cfg, hai/, repodata/
and the boot menus), extracted from the ISO; --menu adds menus that live
elsewhere (the grub.cfg inside images/efiboot.img). build-iso.sh runs it on
the ISO it has just written; the tests run it too. Exit 0 when every check
passes, 1 otherwise with one line per problem.
"""

import argparse
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

# Run from the source tree (or a read-only medium): leave no __pycache__ there.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ks_lint  # noqa: E402
import repodata  # noqa: E402

try:
    import tomllib
except ModuleNotFoundError:
    import tomli as tomllib

# hai-install's command line (docs/hai-install.md): flags and whether they take a value.
HAI_INSTALL_FLAGS = {"--config": True, "--root": True, "--dry-run": False, "--verify": False,
                     "--json": False, "--no-start": False}
REQUIRED_COMMANDS = ("lang", "keyboard", "timezone", "rootpw", "bootloader", "clearpart")
REQUIRED_MOUNTS = ("/", "/boot", "/boot/efi", "/var/lib/hai")


class Report:
    def __init__(self):
        self.problems = []
        self.passed = 0

    def check(self, ok, problem):
        if ok:
            self.passed += 1
        else:
            self.problems.append(problem)
        return ok


def _sections(ks, name, nochroot=None):
    return [s for s in ks.sections if s.name == name and
            (nochroot is None or ("--nochroot" in s.options) == nochroot)]


def check_kickstart(media, r):
    path = media / "ks.cfg"
    if not r.check(path.is_file(), "ks.cfg: missing from the ISO's root"):
        return None
    ks, lint = ks_lint.lint_text(path.read_text(), "ks.cfg")
    names = {c.name for c in ks.commands}
    for need in REQUIRED_COMMANDS:
        r.check(need in names, f"ks.cfg: no {need} command (the install would stop and ask)")
    r.check(names & {"text", "cmdline"}, "ks.cfg: neither text nor cmdline: the graphical "
            "installer needs a screen")
    r.check(len(_sections(ks, "%packages")) == 1, "ks.cfg: needs exactly one %packages section")
    r.check(_sections(ks, "%post"), "ks.cfg: no %post section")
    r.check(_sections(ks, "%pre"), "ks.cfg: no %pre section (it picks the node)")
    # The disk layout, including what %pre writes for the firmware in use.
    commands = list(ks.commands)
    for target, lines in ks_lint.pre_fragments(ks).items():
        if any(target == inc for _, inc in ks.includes):
            for line in lines:
                sub, sub_lint = ks_lint.lint_text(line, f"%pre fragment {target}")
                for p in sub_lint.problems:
                    r.check(False, p)
                commands += sub.commands
    mounts = ks_lint.check_layout(commands, lint)
    for p in lint.problems:
        r.check(False, p)
    if not lint.problems:
        r.passed += 1
    for m in REQUIRED_MOUNTS:
        r.check(m in mounts, f"ks.cfg: no {m} in the disk layout")
    return ks


def media_root_of(ks, r):
    """The path %pre mounts the medium on (media=... and a mount onto "$media")."""
    pre = "\n".join("\n".join(s.body) for s in _sections(ks, "%pre"))
    m = re.search(r"^\s*media=(\S+)\s*$", pre, re.MULTILINE)
    r.check(m and re.search(r"mount\b.*\"\$media\"", pre), "ks.cfg: %pre does not mount the "
            "medium on media=<path>")
    return m[1] if m else None


def check_repos(ks, media, r):
    """Every repo line names a repository on this ISO; returns it, loaded."""
    root = media_root_of(ks, r)
    repos = {}
    for c in (c for c in ks.commands if c.name == "repo"):
        url = c.options.get("--baseurl") or ""
        if not r.check(root and url.startswith(f"file://{root}/"),
                       f"ks.cfg:{c.line}: repo {url} is not on the medium ({root})"):
            continue
        rel = url[len(f"file://{root}/"):]
        if r.check((media / rel / "repodata" / "repomd.xml").is_file(),
                   f"ks.cfg:{c.line}: repo {url}: the ISO has no /{rel}/repodata/repomd.xml"):
            try:
                repos[c.options["--name"]] = repodata.load(media / rel)
            except repodata.RepoError as e:
                r.check(False, f"ks.cfg:{c.line}: {e}")
    return repos


def check_packages(ks, media, repos, r):
    try:
        base = repodata.load(media)
    except repodata.RepoError as e:
        r.check(False, f"the DVD's repository: {e}")
        return
    names = set().union(*(repo.provided() for repo in list(repos.values()) + [base]))
    for section in _sections(ks, "%packages"):
        for item in section.body:
            item = item.split("#")[0].strip()
            if not item or item.startswith("-"):
                continue
            if item.startswith("@^"):
                r.check(item[2:] in base.environments,
                        f"%packages: environment {item[2:]} is not in the DVD's comps")
            elif item.startswith("@"):
                r.check(item[1:] in base.groups | base.environments,
                        f"%packages: group {item[1:]} is not in the DVD's comps")
            else:
                r.check(item in names, f"%packages: no repository on the ISO has {item}")


def check_hai_install(ks, repos, r):
    """%post runs hai-install as the contract spells it, on the file %post --nochroot wrote."""
    calls = []
    for s in _sections(ks, "%post", nochroot=False):
        for line in s.body:
            words = shlex.split(line, comments=True)
            if words and words[0] in ("hai-install", "/usr/bin/hai-install"):
                calls.append(words)
    if not r.check(len(calls) == 1, f"%post: expected one hai-install call, found {len(calls)}"):
        return
    words, options = calls[0][1:], {}
    while words:
        flag = words.pop(0)
        if not r.check(flag in HAI_INSTALL_FLAGS, f"%post: hai-install has no option {flag}"):
            continue
        if HAI_INSTALL_FLAGS[flag]:
            options[flag] = words.pop(0) if words else None
        else:
            options[flag] = True
    config = options.get("--config")
    r.check(config, "%post: hai-install needs --config FILE")
    r.check("--no-start" in options, "%post: hai-install must run with --no-start inside the "
            "installer (units start at the first boot)")
    r.check("--dry-run" not in options and "--verify" not in options,
            "%post: hai-install must apply, not --dry-run or --verify")
    nochroot = "\n".join("\n".join(s.body) for s in _sections(ks, "%post", nochroot=True))
    r.check(config and re.search(r"\$root" + re.escape(config) + r"\"?\s*$", nochroot,
                                 re.MULTILINE),
            f"%post --nochroot does not write {config}, the file hai-install reads")
    hai = repos.get("hai")
    r.check(hai and any("/usr/bin/hai-install" in p.files for p in hai.packages),
            "repo hai: no package ships /usr/bin/hai-install")


def _cert_names(cert):
    if not shutil.which("openssl") or not cert.is_file():
        return None
    run = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-ext", "subjectAltName"],
                         capture_output=True, text=True)
    return set(re.findall(r"(?:DNS|IP Address):([^,\s]+)", run.stdout))


def _check_node_tls(media, toml, doc, r):
    """A self-signed node gets the ISO's pair; it must name the node."""
    tls = doc.get("tls", {})
    if tls.get("mode", "self-signed") != "self-signed":
        return
    cert = media / "hai" / "tls" / "hai.crt"
    r.check(cert.is_file() and (media / "hai" / "tls" / "hai.key").is_file(),
            f"hai/nodes/{toml.name}: TLS self-signed, but the ISO has no hai/tls/hai.crt and "
            "hai.key")
    names = _cert_names(cert)
    node = doc.get("node", {})
    if names is not None:
        wanted = {node.get("name"), node.get("address")} - {None}
        r.check(wanted <= names, f"hai/tls/hai.crt does not name {sorted(wanted - names)} "
                f"(node {toml.stem})")
    if node.get("role") == "worker":
        r.check(tls.get("cert_file", "").startswith("/etc/hai/install-tls/"),
                f"hai/nodes/{toml.name}: a worker's tls.cert_file must name the copy the "
                "install makes in /etc/hai/install-tls/")


def _node_roles(media, r):
    roles = {}
    for toml in sorted((media / "hai" / "nodes").glob("*.toml")):
        try:
            doc = tomllib.loads(toml.read_text())
        except tomllib.TOMLDecodeError as e:
            r.check(False, f"hai/nodes/{toml.name}: {e}")
            continue
        node = doc.get("node", {})
        _check_node_tls(media, toml, doc, r)
        r.check(node.get("name") == toml.stem,
                f"hai/nodes/{toml.name}: [node] name is {node.get('name')!r}, not {toml.stem!r}")
        fragment = toml.with_suffix(".ks")
        if r.check(fragment.is_file(), f"hai/nodes/{toml.stem}.ks: missing"):
            sub, lint = ks_lint.lint_text(fragment.read_text(), f"hai/nodes/{fragment.name}")
            for p in lint.problems:
                r.check(False, p)
            network = [c for c in sub.commands if c.name == "network"]
            r.check(len(network) == 1 and len(sub.commands) == 1 and
                    network[0].options.get("--hostname") == toml.stem,
                    f"hai/nodes/{fragment.name}: expected one network command with "
                    f"--hostname={toml.stem}")
        roles[toml.stem] = node.get("role")
    r.check(list(roles.values()).count("control") == 1,
            f"hai/nodes: exactly one control node expected, roles are {roles}")
    r.check((media / "hai" / "cluster-token").is_file(), "hai/cluster-token: missing")
    return roles


def _grub_default_is_ours(text):
    m = re.search(r"^\s*set\s+default=[\"']?(\d+)", text, re.MULTILINE)
    if not m:
        return False
    depth, titles = 0, []
    for line in text.splitlines():
        if depth == 0 and re.match(r"^\s*(menuentry|submenu)\s", line):
            titles.append(line)
        depth += line.count("{") - line.count("}")
    index = int(m[1])
    return index < len(titles) and "hai.node" in text and "Install HAI" in titles[index]


def check_menu(path, label, volid, roles, r):
    text = path.read_text()
    refs = set(re.findall(r"\bLABEL=([^\s:'\"]+)", text))
    refs |= set(re.findall(r"search\s.*?(?:-l|--label)\s+['\"]?([^'\"\s]+)", text))
    r.check(refs == {volid}, f"{label}: volume references {sorted(refs)} do not all match the "
            f"volume id {volid}")
    found = {}
    for line in text.splitlines():
        m = re.search(r"\bhai\.node=(\S+)", line)
        if m:
            found.setdefault(m[1], []).append(line)
            r.check(f"inst.ks=hd:LABEL={volid}:/ks.cfg" in line.split(),
                    f"{label}: the entry for {m[1]} does not load inst.ks=hd:LABEL={volid}:/ks.cfg")
            r.check("rd.live.check" not in line.split(), f"{label}: {m[1]}: rd.live.check")
    r.check(set(found) == set(roles), f"{label}: entries for {sorted(found)}, nodes on the ISO "
            f"are {sorted(roles)}")
    for name, role in roles.items():
        title = f"Install HAI {name} ({role})"
        r.check(text.count(title) == 1, f"{label}: no single entry titled '{title}'")
    if "menuentry" in text:
        r.check(not _grub_default_is_ours(text), f"{label}: the default entry installs a node: "
                "an unattended boot would wipe the disk")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--media", required=True)
    parser.add_argument("--volid", required=True)
    parser.add_argument("--menu", action="append", default=[],
                        help="LABEL=FILE: a boot menu that is not in the tree")
    args = parser.parse_args()
    media, r = Path(args.media), Report()
    ks = check_kickstart(media, r)
    if ks is not None:
        repos = check_repos(ks, media, r)
        check_packages(ks, media, repos, r)
        check_hai_install(ks, repos, r)
    roles = _node_roles(media, r)
    menus = [(rel, media / rel) for rel in ("EFI/BOOT/grub.cfg", "isolinux/isolinux.cfg")
             if (media / rel).is_file()]
    menus += [tuple(m.split("=", 1)) for m in args.menu]
    r.check(menus, "no boot menu found (EFI/BOOT/grub.cfg, isolinux/isolinux.cfg)")
    for label, path in menus:
        check_menu(Path(path), label, args.volid, roles, r)
    for p in r.problems:
        print(f"check_media: {p}", file=sys.stderr)
    print(f"check_media: {r.passed} checks passed, {len(r.problems)} failed "
          f"({len(roles)} nodes, {len(menus)} boot menus)")
    sys.exit(1 if r.problems else 0)


if __name__ == "__main__":
    main()

"""A kickstart checker for what our ks.cfg uses (Debian has no pykickstart).

It knows anaconda's command names (openEuler 22.03/24.03 era), the options of
the commands we write, the sections and their options, and checks the things
an unattended install dies on: unknown commands or options, sections not
closed by %end, duplicated single-use commands, an incomplete disk layout,
%include files nobody writes, and shell scripts that do not parse.
"""

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

COMMANDS = {
    "auth", "authconfig", "authselect", "autopart", "autostep", "bootloader", "btrfs", "cdrom",
    "clearpart", "cmdline", "device", "deviceprobe", "dmraid", "driverdisk", "eula", "fcoe",
    "firewall", "firstboot", "graphical", "group", "halt", "harddrive", "hmc", "ignoredisk",
    "install", "iscsi", "iscsiname", "keyboard", "lang", "liveimg", "logging", "logvol",
    "mediacheck", "method", "module", "mount", "multipath", "network", "nfs", "nvdimm",
    "ostreecontainer", "ostreesetup", "part", "partition", "poweroff", "raid", "realm",
    "reboot", "repo", "reqpart", "rescue", "rootpw", "selinux", "services", "shutdown", "skipx",
    "snapshot", "sshkey", "sshpw", "text", "timesource", "timezone", "updates", "url", "user",
    "vnc", "volgroup", "xconfig", "zerombr", "zfcp", "zipl",
}
# Options of the commands our kickstart writes; other known commands are not
# checked option by option.
OPTIONS = {
    "text": {"--non-interactive"},
    "skipx": set(),
    "zerombr": set(),
    "firstboot": {"--enable", "--enabled", "--disable", "--disabled", "--reconfig"},
    "reboot": {"--eject", "--kexec"},
    "lang": {"--addsupport"},
    "keyboard": {"--vckeymap", "--xlayouts", "--switch"},
    "timezone": {"--utc", "--isUtc", "--nontp", "--ntpservers"},
    "network": {"--bootproto", "--device", "--ip", "--netmask", "--gateway", "--nameserver",
                "--hostname", "--onboot", "--activate", "--no-activate", "--ipv6", "--noipv4",
                "--noipv6", "--mtu", "--nodefroute", "--nodns", "--ipv6gateway", "--bondslaves",
                "--bondopts", "--vlanid", "--interfacename", "--teamslaves", "--teamconfig",
                "--bridgeslaves", "--bridgeopts", "--ethtool", "--dhcpclass", "--bindto"},
    "rootpw": {"--iscrypted", "--plaintext", "--lock", "--allow-ssh"},
    "sshkey": {"--username"},
    "firewall": {"--enabled", "--enable", "--disabled", "--disable", "--service", "--port",
                 "--trust", "--remove-service", "--use-system-defaults", "--ssh"},
    "services": {"--enabled", "--disabled"},
    "repo": {"--name", "--baseurl", "--mirrorlist", "--metalink", "--cost", "--excludepkgs",
             "--includepkgs", "--proxy", "--ignoregroups", "--noverifyssl", "--install"},
    "ignoredisk": {"--only-use", "--drives", "--interactive"},
    "clearpart": {"--all", "--none", "--linux", "--list", "--drives", "--initlabel",
                  "--disklabel", "--cdl"},
    "bootloader": {"--append", "--boot-drive", "--driveorder", "--location", "--password",
                   "--iscrypted", "--timeout", "--leavebootorder", "--disabled", "--nombr"},
    "part": {"--size", "--grow", "--maxsize", "--ondisk", "--ondrive", "--fstype", "--asprimary",
             "--label", "--fsoptions", "--mkfsoptions", "--noformat", "--onpart", "--usepart",
             "--recommended", "--resize", "--encrypted", "--passphrase", "--luks-version"},
    "volgroup": {"--pesize", "--useexisting", "--noformat", "--reserved-space",
                 "--reserved-percent"},
    "logvol": {"--vgname", "--name", "--fstype", "--size", "--grow", "--maxsize", "--percent",
               "--recommended", "--thin", "--thinpool", "--poolname", "--useexisting",
               "--noformat", "--label", "--fsoptions", "--mkfsoptions", "--encrypted",
               "--passphrase", "--luks-version", "--resize"},
}
SINGLE_USE = {"text", "cmdline", "graphical", "lang", "keyboard", "timezone", "rootpw",
              "bootloader", "clearpart", "zerombr", "ignoredisk", "firewall", "selinux",
              "reboot", "poweroff", "halt", "shutdown", "skipx", "firstboot", "autopart"}
SECTIONS = {
    "%pre": {"--interpreter", "--erroronfail", "--log"},
    "%pre-install": {"--interpreter", "--erroronfail", "--log"},
    "%post": {"--interpreter", "--erroronfail", "--log", "--nochroot"},
    "%onerror": {"--interpreter", "--log"},
    "%traceback": {"--interpreter", "--log"},
    "%packages": {"--default", "--excludedocs", "--nocore", "--inst-langs", "--instLangs",
                  "--multilib", "--exclude-weakdeps", "--excludeWeakdeps", "--retries",
                  "--timeout", "--ignoremissing"},
    "%addon": None,  # options belong to the addon
    "%anaconda": set(),
}
FSTYPES = {"xfs", "ext4", "ext3", "ext2", "vfat", "efi", "biosboot", "swap", "prepboot", "btrfs",
           "lvmpv"}
BOOTPROTO = {"dhcp", "static", "bootp", "ibft", "query"}


@dataclass
class Command:
    line: int
    name: str
    args: list
    options: dict  # --name -> value (None for flags)


@dataclass
class Section:
    line: int
    name: str
    options: dict
    body: list = field(default_factory=list)


@dataclass
class Kickstart:
    commands: list
    sections: list
    includes: list  # (line, path)


class Lint:
    def __init__(self, source):
        self.source = source
        self.problems = []

    def add(self, line, problem):
        self.problems.append(f"{self.source}:{line}: {problem}" if line else
                             f"{self.source}: {problem}")


def _split(text, lint, number):
    try:
        return shlex.split(text, comments=True)
    except ValueError as e:
        lint.add(number, f"cannot be parsed: {e}")
        return []


def _options(words):
    options, args = {}, []
    for w in words:
        if w.startswith("--"):
            key, _, value = w.partition("=")
            options[key] = value if "=" in w else None
        else:
            args.append(w)
    return options, args


def parse(text, lint):
    commands, sections, includes = [], [], []
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if current is not None and current.name != "%packages" and stripped != "%end":
            current.body.append(raw)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        words = _split(stripped, lint, number)
        if not words:
            continue
        head = words[0]
        if head == "%end":
            if current is None:
                lint.add(number, "%end without a section")
            current = None
        elif head in ("%include", "%ksappend"):
            if current is not None:
                lint.add(number, f"{head} inside {current.name}")
            includes.append((number, words[1] if len(words) > 1 else ""))
        elif head.startswith("%"):
            if current is not None:
                lint.add(number, f"{head} starts inside {current.name} (line {current.line}): "
                         "missing %end")
            if head not in SECTIONS:
                lint.add(number, f"unknown section {head}")
            options, _ = _options(words[1:])
            current = Section(number, head, options)
            sections.append(current)
        elif current is not None:  # a %packages line
            current.body.append(stripped)
        else:
            options, args = _options(words[1:])
            commands.append(Command(number, head, args, options))
    if current is not None:
        lint.add(current.line, f"{current.name} is not closed by %end")
    return Kickstart(commands, sections, includes)


def _check_command(c, lint):
    if c.name not in COMMANDS:
        lint.add(c.line, f"unknown command {c.name}")
        return
    allowed = OPTIONS.get(c.name)
    if allowed is not None:
        for o in c.options:
            if o not in allowed:
                lint.add(c.line, f"{c.name}: unknown option {o}")
    o = c.options
    if c.name == "network" and o.get("--bootproto", "dhcp") not in BOOTPROTO:
        lint.add(c.line,
                 f"network: --bootproto={o['--bootproto']} is not one of {sorted(BOOTPROTO)}")
    if c.name == "network" and o.get("--bootproto") == "static":
        for need in ("--ip", "--netmask"):
            if not o.get(need):
                lint.add(c.line, f"network: static needs {need}")
    if c.name in ("part", "partition", "logvol"):
        if "--fstype" in o and o["--fstype"] not in FSTYPES:
            lint.add(c.line, f"{c.name}: --fstype={o['--fstype']} is not one of {sorted(FSTYPES)}")
        for size in ("--size", "--maxsize"):
            if size in o and not (o[size] or "").isdigit():
                lint.add(c.line, f"{c.name}: {size} must be a number of MiB")
        if not c.args:
            lint.add(c.line, f"{c.name}: no mount point")
    if c.name == "rootpw":
        if "--plaintext" in o or ("--iscrypted" not in o and "--lock" not in o):
            lint.add(c.line, "rootpw: a plain-text password in the kickstart")
        if "--iscrypted" in o and not (c.args and re.match(r"^\$(5|6|y)\$", c.args[0])):
            lint.add(c.line, "rootpw: --iscrypted needs a $5$/$6$/$y$ crypt(3) hash")
    if c.name == "timezone" and c.args and Path("/usr/share/zoneinfo").is_dir():
        if not (Path("/usr/share/zoneinfo") / c.args[0]).is_file():
            lint.add(c.line, f"timezone: {c.args[0]} is not a time zone")
    if c.name == "repo" and not (o.get("--name") and (o.get("--baseurl") or o.get("--mirrorlist")
                                                      or o.get("--metalink"))):
        lint.add(c.line, "repo: needs --name and --baseurl")


def check_layout(commands, lint):
    """Mount points, volume groups and logical volumes fit together."""
    mounts, pvs, vgs = {}, set(), set()
    for c in commands:
        if c.name in ("part", "partition") and c.args:
            if c.args[0].startswith("pv."):
                pvs.add(c.args[0])
            elif c.args[0] not in ("biosboot", "swap", "prepboot", "None"):
                mounts.setdefault(c.args[0], c.line)
    for c in commands:
        if c.name == "volgroup":
            if len(c.args) < 2:
                lint.add(c.line, "volgroup: needs a name and physical volumes")
                continue
            vgs.add(c.args[0])
            for pv in c.args[1:]:
                if pv not in pvs:
                    lint.add(c.line, f"volgroup: {pv} is not a partition of this kickstart")
        if c.name == "logvol" and c.args:
            if c.options.get("--vgname") not in vgs:
                lint.add(c.line, f"logvol: volume group {c.options.get('--vgname')} not defined "
                         "before it")
            if not c.options.get("--name"):
                lint.add(c.line, "logvol: needs --name")
            if c.args[0] in mounts:
                lint.add(c.line, f"logvol: {c.args[0]} already mounted (line {mounts[c.args[0]]})")
            mounts.setdefault(c.args[0], c.line)
    return mounts


def check_scripts(ks, lint):
    for s in ks.sections:
        allowed = SECTIONS.get(s.name)
        if allowed is not None:
            for o in s.options:
                if o not in allowed:
                    lint.add(s.line, f"{s.name}: unknown option {o}")
        if s.name == "%packages" and "--ignoremissing" in s.options:
            lint.add(s.line, "%packages --ignoremissing would hide a missing package")
        if s.name in ("%pre", "%pre-install", "%post", "%onerror", "%traceback"):
            interpreter = s.options.get("--interpreter") or "/bin/sh"
            if Path(interpreter).name not in ("sh", "bash"):
                continue
            run = subprocess.run(["bash", "-n"], input="\n".join(s.body) + "\n", text=True,
                                 capture_output=True)
            if run.returncode != 0:
                lint.add(s.line, f"{s.name}: shell syntax: {run.stderr.strip()}")


def check_includes(ks, lint):
    """Each %include names a file that %pre writes."""
    pre = "\n".join("\n".join(s.body) for s in ks.sections if s.name == "%pre")
    for number, path in ks.includes:
        if not re.search(r"(>\s*|\s)" + re.escape(path) + r"\s*$", pre, re.MULTILINE):
            lint.add(number, f"%include {path}: no %pre writes it")


def pre_fragments(ks):
    """Kickstart lines %pre echoes into include files: echo "cmd ..." > /tmp/x."""
    pre = "\n".join("\n".join(s.body) for s in ks.sections if s.name == "%pre")
    found = {}
    for line, path in re.findall(r"echo\s+[\"']([^\"']+)[\"']\s*>\s*(\S+)", pre):
        found.setdefault(path, []).append(line)
    return found


def lint_text(text, source):
    """Parses and checks one kickstart; returns (Kickstart, Lint)."""
    lint = Lint(source)
    ks = parse(text, lint)
    seen = {}
    for c in ks.commands:
        _check_command(c, lint)
        if c.name in SINGLE_USE:
            if c.name in seen:
                lint.add(c.line, f"{c.name} given twice (also line {seen[c.name]})")
            seen.setdefault(c.name, c.line)
    check_scripts(ks, lint)
    check_includes(ks, lint)
    return ks, lint

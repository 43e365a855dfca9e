"""Adds one "Install HAI <node> (<role>)" entry per node to the DVD's boot menus.

Each new entry copies the DVD's own first install entry (same kernel, initrd
and arguments, so platform arguments such as the Kunpeng console and SMMU
settings stay) and adds inst.ks=hd:LABEL=<volid>:/ks.cfg hai.node=<name>.
The new entries go first; grub's numeric default is moved past them so that a
boot nobody attends still starts the DVD's own (non-destructive) default.
"""

import re

LABEL_ARG = re.compile(r"\bLABEL=([^\s:'\"]+)")
GRUB_ENTRY = re.compile(r"^\s*menuentry\s")
GRUB_KERNEL = re.compile(r"^(\s*)(linux|linuxefi)(\s+)(\S+)(.*)$")
GRUB_DEFAULT = re.compile(r'^(\s*set\s+default=)(["\']?)(\d+)(["\']?)\s*$')
SYSLINUX_LABEL = re.compile(r"^\s*label\s", re.IGNORECASE)
SYSLINUX_KEY = re.compile(r"^\s*(kernel|linux|append)\s+(.*)$", re.IGNORECASE)
# Arguments of the DVD's entries that make no sense for an unattended install.
DROP_ARGS = {"rd.live.check"}


class MenuError(Exception):
    pass


def labels_in(text):
    """Every LABEL=... and grub `search -l '...'` volume reference in a menu."""
    found = set(LABEL_ARG.findall(text))
    found.update(re.findall(r"search\s.*?(?:-l|--label)\s+['\"]?([^'\"\s]+)", text))
    return found


def relabel(text, old, new):
    """Points every volume reference at the new volume id."""
    if old == new:
        return text
    text = re.sub(r"\bLABEL=" + re.escape(old) + r"(?=[\s:'\"]|$)", "LABEL=" + new, text,
                  flags=re.MULTILINE)
    return re.sub(r"((?:-l|--label)\s+['\"]?)" + re.escape(old) + r"(?=['\"\s]|$)",
                  r"\g<1>" + new, text, flags=re.MULTILINE)


def _install_args(args, volid, node):
    kept = [a for a in args.split() if a not in DROP_ARGS and not a.startswith("inst.ks=")
            and not a.startswith("hai.node=")]
    return " ".join(kept + [f"inst.ks=hd:LABEL={volid}:/ks.cfg", f"hai.node={node.name}"])


def _grub_block(lines, start):
    """Returns the index after the menuentry starting at `start`."""
    depth = 0
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        if depth == 0 and "{" in "".join(lines[start:i + 1]):
            return i + 1
    raise MenuError("grub.cfg: the first menuentry has no closing brace")


def add_grub_entries(text, volid, nodes):
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if GRUB_ENTRY.match(line)), None)
    if first is None:
        raise MenuError("grub.cfg: no menuentry to copy")
    template = lines[first:_grub_block(lines, first)]
    if not any(GRUB_KERNEL.match(line) for line in template):
        raise MenuError("grub.cfg: the first menuentry has no linux/linuxefi line")
    added = []
    for node in nodes:
        for n, line in enumerate(template):
            if n == 0:
                title = f"Install HAI {node.name} ({node.role})"
                line = re.sub(r"^(\s*menuentry\s+)(['\"]).*?\2", lambda m: f"{m[1]}'{title}'",
                              line, count=1)
                line = re.sub(r"\s--id[= ]\S+", "", line)
            else:
                m = GRUB_KERNEL.match(line.rstrip("\n"))
                if m:
                    args = _install_args(m[5], volid, node)
                    line = f"{m[1]}{m[2]}{m[3]}{m[4]} {args}\n"
            added.append(line)
    out = lines[:first] + added + lines[first:]
    for i, line in enumerate(out):
        m = GRUB_DEFAULT.match(line.rstrip("\n"))
        if m:
            out[i] = f"{m[1]}{m[2]}{int(m[3]) + len(nodes)}{m[4]}\n"
    return "".join(out)


def add_syslinux_entries(text, volid, nodes):
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if SYSLINUX_LABEL.match(line)), None)
    if first is None:
        raise MenuError("isolinux.cfg: no label to copy")
    kernel = append = None
    for line in lines[first + 1:]:
        if SYSLINUX_LABEL.match(line) or re.match(r"^\s*menu\s+(begin|separator|end)", line, re.I):
            break
        m = SYSLINUX_KEY.match(line)
        if m and m[1].lower() in ("kernel", "linux"):
            kernel = m[2].strip()
        elif m:
            append = m[2].strip()
    if kernel is None or append is None:
        raise MenuError("isolinux.cfg: the first label has no kernel or append line")
    added = []
    for node in nodes:
        added += [f"label hai-{node.name}\n",
                  f"  menu label Install HAI {node.name} ({node.role})\n",
                  f"  kernel {kernel}\n",
                  f"  append {_install_args(append, volid, node)}\n",
                  "\n"]
    return "".join(lines[:first] + added + lines[first:])

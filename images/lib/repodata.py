"""Reads an RPM repository's metadata (repodata/) as dnf would see it.

Used to check, before an ISO is written, that every requirement of our
packages is provided by the DVD's repository or ours, and that the kickstart's
%packages names exist. Versions are not compared: a requirement is taken as
met when some package provides the name (or ships the file).
"""

import bz2
import gzip
import lzma
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO_NS = "{http://linux.duke.edu/metadata/repo}"
COMMON_NS = "{http://linux.duke.edu/metadata/common}"
RPM_NS = "{http://linux.duke.edu/metadata/rpm}"


class RepoError(Exception):
    pass


@dataclass
class Package:
    name: str
    arch: str
    location: str
    provides: set = field(default_factory=set)
    requires: set = field(default_factory=set)
    files: set = field(default_factory=set)


@dataclass
class Repo:
    packages: list
    groups: set  # comps group ids
    environments: set  # comps environment ids

    def provided(self):
        names = set()
        for p in self.packages:
            names.add(p.name)
            names.update(p.provides)
            names.update(p.files)
        return names


def _open(path):
    data = path.read_bytes()
    suffix = path.suffix
    if suffix == ".gz":
        return gzip.decompress(data)
    if suffix == ".xz":
        return lzma.decompress(data)
    if suffix == ".bz2":
        return bz2.decompress(data)
    if suffix == ".zst":
        if not shutil.which("zstd"):
            raise RepoError(f"{path}: zstd-compressed metadata needs the zstd program")
        return subprocess.run(["zstd", "-dc", str(path)], check=True, capture_output=True).stdout
    return data


def _locations(root):
    repomd = root / "repodata" / "repomd.xml"
    try:
        tree = ET.parse(repomd)
    except (OSError, ET.ParseError) as e:
        raise RepoError(f"{repomd}: {e}") from e
    found = {}
    for data in tree.getroot().iter(f"{REPO_NS}data"):
        location = data.find(f"{REPO_NS}location")
        if location is not None:
            found[data.get("type")] = root / location.get("href")
    return found


def _requirement(entry):
    """A requirement as a name; rich dependencies become their alternatives."""
    name = entry.get("name")
    if name.startswith("("):
        # (a or b), (a if b): met when one of the named capabilities is.
        words = name.strip("()").split()
        return tuple(w for w in words if w not in ("or", "and", "if", "else", "with", "unless")
                     and w[0] not in "<>=" and not w[0].isdigit())
    return (name,)


def _packages(primary):
    packages = []
    root = ET.fromstring(_open(primary))
    for pkg in root.iter(f"{COMMON_NS}package"):
        location = pkg.find(f"{COMMON_NS}location")
        p = Package(pkg.findtext(f"{COMMON_NS}name"), pkg.findtext(f"{COMMON_NS}arch"),
                    location.get("href") if location is not None else "")
        fmt = pkg.find(f"{COMMON_NS}format")
        if fmt is not None:
            for entry in fmt.iterfind(f"{RPM_NS}provides/{RPM_NS}entry"):
                p.provides.add(entry.get("name"))
            for entry in fmt.iterfind(f"{RPM_NS}requires/{RPM_NS}entry"):
                if not entry.get("name").startswith("rpmlib("):
                    p.requires.add(_requirement(entry))
            for f in fmt.iterfind(f"{COMMON_NS}file"):
                p.files.add(f.text)
        packages.append(p)
    return packages


def _comps(path):
    root = ET.fromstring(_open(path))
    return ({g.findtext("id") for g in root.iter("group")},
            {e.findtext("id") for e in root.iter("environment")})


def load(root):
    """Reads the repository whose repodata/ is under `root`."""
    root = Path(root)
    where = _locations(root)
    if "primary" not in where:
        raise RepoError(f"{root}/repodata/repomd.xml lists no primary metadata")
    groups, environments = set(), set()
    comps = where.get("group") or where.get("group_gz") or where.get("group_xz")
    if comps is not None:
        groups, environments = _comps(comps)
    return Repo(_packages(where["primary"]), groups, environments)


def unresolved(ours, base):
    """Requirements of our packages that neither repository meets."""
    available = ours.provided() | base.provided()
    missing = []
    for p in ours.packages:
        for alternatives in sorted(p.requires):
            if not any(a in available for a in alternatives):
                missing.append((p, " or ".join(alternatives)))
    return missing

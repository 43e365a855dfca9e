"""The per-node install configs that go onto the appliance ISO.

Only what the ISO itself relies on is checked here: each file names its node
and role (they pick the boot entry, the host name and hai/nodes/<name>.toml),
the cluster has exactly one control node, and the cluster token and TLS
material the configs point at will exist when %post runs hai-install. Every
other key is hai-install's to check when it reads the file on the node.
"""

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11 (openEuler 22.03's python3 is 3.9)
    try:
        import tomli as tomllib
    except ModuleNotFoundError as e:
        raise SystemExit("build-iso: reading TOML needs Python >= 3.11 or the tomli module") from e

# A node name is also the host name, a file name on the medium and a kernel
# argument value, so it has to be a valid DNS label in lower case.
NODE_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
ROLES = ("control", "worker")
# Where %post --nochroot puts the token and the TLS pair carried on the medium.
TOKEN_PATH = "/etc/hai/cluster-token"
TLS_CERT_PATH = "/etc/hai/install-tls/hai.crt"
TLS_KEY_PATH = "/etc/hai/install-tls/hai.key"
TLS_MODES = ("self-signed", "provided", "off")


@dataclass
class Node:
    path: Path
    name: str
    role: str
    address: str  # "" when the config leaves it to hai-install's default
    token_file: str
    tls_mode: str
    tls_cert_file: str
    tls_key_file: str
    cert_names: set  # what the cluster certificate must name for this node
    text: bytes  # copied to the medium byte for byte


class Problems:
    """Collects every problem so one run reports them all."""

    def __init__(self):
        self.lines = []

    def add(self, path, key, problem):
        self.lines.append(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")

    def __bool__(self):
        return bool(self.lines)


def _string(table, key, path, dotted, problems, required=False):
    value = table.get(key)
    if value is None:
        if required:
            problems.add(path, dotted, "missing (required)")
        return ""
    if not isinstance(value, str):
        problems.add(path, dotted, f"must be a string, not {type(value).__name__}")
        return ""
    return value


def _strings(table, key, path, dotted, problems):
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(path, dotted, "must be an array of strings")
        return []
    return value


def _table(doc, key, path, problems):
    value = doc.get(key, {})
    if not isinstance(value, dict):
        problems.add(path, key, "must be a table")
        return {}
    return value


def load_node(path, problems):
    """Reads one install config; returns None when it cannot be used."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as e:
        problems.add(path, "", f"cannot read: {e.strerror}")
        return None
    try:
        doc = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        problems.add(path, "", f"not valid TOML: {e}")
        return None
    before = len(problems.lines)
    node = _table(doc, "node", path, problems)
    cluster = _table(doc, "cluster", path, problems)
    tls = _table(doc, "tls", path, problems)
    name = _string(node, "name", path, "node.name", problems, required=True)
    role = _string(node, "role", path, "node.role", problems, required=True)
    address = _string(node, "address", path, "node.address", problems)
    token_file = _string(cluster, "token_file", path, "cluster.token_file", problems)
    if name and not NODE_NAME.match(name):
        problems.add(path, "node.name", f'"{name}" is not a host name (lower-case letters, '
                     "digits and '-', at most 63)")
    if role and role not in ROLES:
        problems.add(path, "node.role", f'"{role}" is not "control" or "worker"')
    if address:
        try:
            if ipaddress.ip_address(address).version != 4:
                problems.add(path, "node.address", f'"{address}" is not an IPv4 address')
        except ValueError:
            problems.add(path, "node.address", f'"{address}" is not an IPv4 address')
    tls_mode = _string(tls, "mode", path, "tls.mode", problems) or "self-signed"
    if tls_mode not in TLS_MODES:
        problems.add(path, "tls.mode", f'"{tls_mode}" is not one of {", ".join(TLS_MODES)}')
    if tls_mode == "provided":
        problems.add(path, "tls.mode", '"provided" needs certificate files on the node before '
                     'hai-install runs, which an ISO install cannot place; use "self-signed" and '
                     "install the certificate after the first boot")
    names = {name, address, _string(cluster, "vip", path, "cluster.vip", problems)}
    names.update(_strings(cluster, "addresses", path, "cluster.addresses", problems))
    names.update(_strings(tls, "extra_names", path, "tls.extra_names", problems))
    names.discard("")
    cert_file = _string(tls, "cert_file", path, "tls.cert_file", problems)
    key_file = _string(tls, "key_file", path, "tls.key_file", problems)
    if len(problems.lines) != before:
        return None
    return Node(path, name, role, address, token_file, tls_mode, cert_file, key_file, names, text)


def check_cluster(nodes, problems):
    """Checks what only makes sense across all nodes of the ISO."""
    by_name = {}
    for n in nodes:
        if n.name in by_name:
            problems.add(n.path, "node.name",
                         f'"{n.name}" is also the name in {by_name[n.name].path}')
        else:
            by_name[n.name] = n
    by_address = {}
    for n in nodes:
        if not n.address:
            continue
        if n.address in by_address:
            problems.add(n.path, "node.address",
                         f"{n.address} is also the address in {by_address[n.address].path}")
        else:
            by_address[n.address] = n
    controls = [n for n in nodes if n.role == "control"]
    if len(controls) != 1:
        listed = ", ".join(f"{n.name} ({n.path})" for n in controls) or "none"
        problems.add("install configs", "", f"exactly one node must have role = \"control\"; found "
                     f"{len(controls)}: {listed}")
    # Every node of the cluster must end up with the same token. The medium
    # carries one and %post puts it at TOKEN_PATH; a control node left to make
    # its own ("" ) would not match the workers installed from the same ISO.
    has_workers = any(n.role == "worker" for n in nodes)
    for n in nodes:
        if n.token_file == TOKEN_PATH:
            continue
        if n.role == "worker" or (has_workers and n.token_file == ""):
            shown = f'"{n.token_file}"' if n.token_file else "not set"
            problems.add(n.path, "cluster.token_file",
                         f'{shown}; must be "{TOKEN_PATH}", where the install puts the cluster '
                         "token carried on the ISO, so that every node gets the same one")
        elif n.token_file:
            problems.add(n.path, "cluster.token_file",
                         f'"{n.token_file}" will not exist on a freshly installed node; use '
                         f'"{TOKEN_PATH}" (the token carried on the ISO) or "" (make one)')


def check_tls(nodes, problems):
    """The ISO carries one self-signed pair for the cluster (hai-install's
    self-signed mode: the control node keeps a good pair it finds, workers
    install the copy their config names), so it must name every node."""
    if not any(n.tls_mode == "self-signed" for n in nodes):
        return
    for n in nodes:
        if n.tls_mode != "self-signed":
            continue
        if len(nodes) > 1 and not n.address:
            problems.add(n.path, "node.address", "missing; with TLS self-signed the cluster "
                         "certificate made for the ISO must name every node's address")
        named = (n.tls_cert_file, n.tls_key_file)
        if n.role == "worker" and named != (TLS_CERT_PATH, TLS_KEY_PATH):
            problems.add(n.path, "tls.cert_file", f'a worker must name the cluster certificate '
                         f'the install puts on the node: cert_file = "{TLS_CERT_PATH}", '
                         f'key_file = "{TLS_KEY_PATH}"')


def certificate_names(nodes):
    """Every name and address the cluster certificate has to hold."""
    names = {"localhost", "127.0.0.1"}
    for n in nodes:
        names |= n.cert_names
    return sorted(names)


def load_cluster(paths):
    """Returns (nodes, problems) for the install configs given to the ISO."""
    problems = Problems()
    nodes = [n for n in (load_node(p, problems) for p in paths) if n is not None]
    if len(nodes) == len(paths):
        check_cluster(nodes, problems)
        check_tls(nodes, problems)
    return nodes, problems

"""Renders the kickstart (ks.cfg) and each node's network fragment.

ks.cfg is one file for every node: the boot entry passes hai.node=<name> and
%pre copies hai/nodes/<name>.ks, which holds that node's network command, to
/tmp where ks.cfg %includes it.
"""

import ipaddress
import re
from dataclasses import dataclass

# crypt(3) hashes anaconda's rootpw --iscrypted accepts and that are still
# acceptable: SHA-256, SHA-512, yescrypt. Plain text and MD5 are refused.
ROOT_HASH = re.compile(r"^\$(5|6|y)\$[A-Za-z0-9./=$]{8,}$")
SSH_KEY = re.compile(r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|"
                     r"sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) "
                     r"[A-Za-z0-9+/=]+( [^\"\\]*)?$")
# A disk as anaconda's --ondisk/--drives take it: sda, nvme0n1, disk/by-id/...
DISK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.:+-]*$")
NETDEV = re.compile(r"^(link|bootif|[A-Za-z0-9_.:-]+)$")


class KickstartError(Exception):
    pass


@dataclass
class Network:
    """Static addressing shared by the nodes; gateway "" means DHCP."""
    gateway: str = ""
    prefix: int = 0
    dns: tuple = ()
    device: str = "link"

    def check(self):
        if not NETDEV.match(self.device):
            raise KickstartError(f'--netdev "{self.device}" is not an interface name')
        if not self.gateway:
            if self.prefix or self.dns:
                raise KickstartError("--prefix and --dns need --gateway (static addressing)")
            return
        _ipv4(self.gateway, "--gateway")
        if not 1 <= self.prefix <= 32:
            raise KickstartError("--prefix must be 1..32 with --gateway")
        for server in self.dns:
            _ipv4(server, "--dns")


def _ipv4(text, what):
    try:
        if ipaddress.ip_address(text).version == 4:
            return
    except ValueError:
        pass
    raise KickstartError(f'{what} "{text}" is not an IPv4 address')


def node_fragment(node, net):
    """The network command for one node: its host name, DHCP or static."""
    head = f"# Node {node.name} ({node.role}), from {node.path.name}\n"
    common = f"--device={net.device} --hostname={node.name} --onboot=yes --activate"
    if not net.gateway:
        return head + f"network --bootproto=dhcp {common}\n"
    if not node.address:
        raise KickstartError(f"{node.path}: node.address: missing; static addressing "
                             "(--gateway) takes each node's address from its install config")
    subnet = ipaddress.ip_network(f"{node.address}/{net.prefix}", strict=False)
    if ipaddress.ip_address(net.gateway) not in subnet:
        raise KickstartError(f"{node.path}: node.address: {node.address}/{net.prefix} does not "
                             f"contain the gateway {net.gateway}")
    line = (f"network --bootproto=static --ip={node.address} --netmask={subnet.netmask} "
            f"--gateway={net.gateway}")
    if net.dns:
        line += f" --nameserver={','.join(net.dns)}"
    return head + f"{line} {common}\n"


def auth_lines(root_hash, ssh_keys):
    """rootpw and sshkey commands; someone has to be able to log in."""
    if not root_hash and not ssh_keys:
        raise KickstartError("give --rootpw-hash or --ssh-key: otherwise root is locked with no "
                             "key and nobody can log in to the installed node")
    lines = []
    if root_hash:
        if not ROOT_HASH.match(root_hash):
            raise KickstartError("--rootpw-hash must be a SHA-512, SHA-256 or yescrypt crypt(3) "
                                 "hash ($6$..., $5$..., $y$...), for example from "
                                 "`openssl passwd -6`")
        lines.append(f"rootpw --iscrypted {root_hash}")
    else:
        lines.append("rootpw --lock")
    for key in ssh_keys:
        if not SSH_KEY.match(key):
            raise KickstartError(f'--ssh-key: "{key[:40]}..." is not an OpenSSH public key line')
        lines.append(f'sshkey --username=root "{key}"')
    return "\n".join(lines)


def render(template, volid, disk, media_root, auth):
    if not DISK.match(disk):
        raise KickstartError(f'--disk "{disk}" is not a disk name (sda, nvme0n1, disk/by-id/...)')
    values = {"@VOLID@": volid, "@DISK@": disk, "@MEDIA@": media_root, "@AUTH@": auth}
    text = template
    for key, value in values.items():
        text = text.replace(key, value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise KickstartError(f"kickstart template: unknown placeholders {sorted(set(left))}")
    return text

"""The cluster's self-signed TLS pair, carried on the ISO.

hai-install makes the cluster certificate on the control node and expects
each worker's install config to name a copy of it. Nodes installed from one
ISO at the same time cannot copy from each other, so the ISO carries the pair:
made here with the openssl program (EC P-256, its own CA, as hai-install makes
it) or, to add a node to an existing cluster, the control node's own pair.
The control node keeps a pair that names everything it wants; workers check
that it names their address.
"""

import ipaddress
import re
import subprocess
import tempfile
from pathlib import Path

VALID_DAYS = 3650
RENEW_BEFORE_S = 30 * 86400  # hai-install replaces a pair this close to expiry


class TlsError(Exception):
    pass


def _openssl(*args, stdin=None):
    try:
        run = subprocess.run(["openssl", *args], input=stdin, capture_output=True, text=True)
    except FileNotFoundError as e:
        raise TlsError("the openssl program is needed for the cluster certificate") from e
    if run.returncode != 0:
        raise TlsError(f"openssl {args[0]}: {run.stderr.strip()}")
    return run.stdout


def _san(names):
    entries = []
    for n in names:
        try:
            ipaddress.ip_address(n)
            entries.append(f"IP:{n}")
        except ValueError:
            entries.append(f"DNS:{n}")
    return ",".join(entries)


def make(names, common_name, out_dir):
    """Writes hai.crt and hai.key (PKCS#8) naming `names` into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".cnf") as cnf:
        cnf.write("[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n"
                  f"[dn]\nCN = {common_name}\n"
                  f"[ext]\nbasicConstraints = critical,CA:TRUE\n"
                  "keyUsage = critical,digitalSignature,keyCertSign\n"
                  "extendedKeyUsage = serverAuth,clientAuth\n"
                  "subjectKeyIdentifier = hash\n"
                  f"subjectAltName = {_san(names)}\n")
        cnf.flush()
        _openssl("req", "-x509", "-new", "-config", cnf.name, "-newkey", "ec",
                 "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-sha256",
                 "-days", str(VALID_DAYS), "-keyout", str(out_dir / "hai.key"),
                 "-out", str(out_dir / "hai.crt"))
    (out_dir / "hai.key").chmod(0o600)


def names_in(cert):
    """The subjectAltName entries of a PEM certificate, as plain names."""
    text = _openssl("x509", "-in", str(cert), "-noout", "-ext", "subjectAltName")
    return set(re.findall(r"(?:DNS|IP Address):([^,\s]+)", text))


def use(cert, key, names, out_dir):
    """Copies an existing pair after checking it can serve the cluster."""
    missing = set(names) - names_in(cert)
    if missing:
        raise TlsError(f"{cert} does not name {', '.join(sorted(missing))}")
    if _openssl("x509", "-in", str(cert), "-noout", "-pubkey") != \
            _openssl("pkey", "-in", str(key), "-pubout"):
        raise TlsError(f"{key} is not the key of {cert}")
    try:
        _openssl("x509", "-in", str(cert), "-noout", "-checkend", str(RENEW_BEFORE_S))
    except TlsError as e:
        raise TlsError(f"{cert} expires within 30 days: hai-install would replace it") from e
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "hai.crt").write_bytes(Path(cert).read_bytes())
    (out_dir / "hai.key").write_bytes(Path(key).read_bytes())
    (out_dir / "hai.key").chmod(0o600)

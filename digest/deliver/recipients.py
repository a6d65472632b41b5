"""Who receives the round-up: addresses from the config and a recipients file, checked, once."""

from __future__ import annotations

import csv
import re
from email.utils import parseaddr
from pathlib import Path

from digest.config import DeliveryConfig
from digest.errors import DigestError

ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def check_address(value: str, where: str) -> str:
    """The bare address in `value` ("a@b.org" or "Name <a@b.org>"); DigestError naming `where`."""
    address = parseaddr(value.strip())[1]
    if not address or not ADDRESS.fullmatch(address):
        raise DigestError(f"{where}: not an email address: {value.strip()!r}",
                          "write one address a line, such as 'reader@example.org'")
    return address


def load_recipients(delivery: DeliveryConfig, *, required: bool = True) -> list[str]:
    """Every recipient from `delivery.recipients` and `delivery.recipients_file`, checked, once.

    With `required`, none at all is an error; readers who subscribed are added by the caller.
    """
    found = [check_address(value, f"delivery.recipients[{i}]")
             for i, value in enumerate(delivery.recipients)]
    if delivery.recipients_file is not None:
        found += read_recipients_file(delivery.recipients_file)
    unique: dict[str, str] = {}
    for address in found:
        unique.setdefault(address.lower(), address)
    if not unique and required:
        raise DigestError("no recipients to send to",
                          "set delivery.recipients or delivery.recipients_file in the config")
    return list(unique.values())


def read_recipients_file(path: Path) -> list[str]:
    """Addresses from a file: one a line with `#` comments, or a CSV file with an `email` column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DigestError(f"{path}: recipients file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(f"{path}: cannot read recipients file: {exc}") from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    if path.suffix.lower() == ".csv" or "," in first:
        return _read_csv(path, lines)
    addresses = []
    for number, line in enumerate(lines, 1):
        value = line.split("#", 1)[0].strip()
        if value:
            addresses.append(check_address(value, f"{path}:{number}"))
    return addresses


def _read_csv(path: Path, lines: list[str]) -> list[str]:
    reader = csv.DictReader(lines)
    column = next((c for c in reader.fieldnames or () if c.strip().lower() == "email"), None)
    if column is None:
        raise DigestError(f"{path}:1: CSV recipients file has no 'email' column",
                          "put a header line such as 'email,name' first")
    addresses = []
    for row in reader:
        value = (row.get(column) or "").strip()
        if value and not value.startswith("#"):
            addresses.append(check_address(value, f"{path}:{reader.line_num}"))
    return addresses

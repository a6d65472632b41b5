"""Readers' display names: a recipient written "Ann Lee <ann@example.org>" keeps the name in To:."""

from __future__ import annotations

import csv
from email.utils import formataddr, parseaddr

from digest.config import DeliveryConfig


def display_names(delivery: DeliveryConfig) -> dict[str, str]:
    """Each recipient written with a name ("Ann Lee <ann@example.org>", or a CSV `name`
    column), by lower-case address, as the `To:` header shows them."""
    values = list(delivery.recipients)
    path = delivery.recipients_file
    if path is not None and path.is_file():
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        if path.suffix.lower() == ".csv" or any("," in line for line in lines[:1]):
            for row in csv.DictReader(lines):
                row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
                values.append(formataddr((row.get("name", ""), row.get("email", ""))))
        else:
            values.extend(line.split("#", 1)[0].strip() for line in lines)
    names = {}
    for value in values:
        name, address = parseaddr(value)
        if name and address:
            names[address.lower()] = formataddr((name, address))
    return names

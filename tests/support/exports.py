"""Écriture octet par octet des faux exports CRM utilisés par les tests de ``crm_export``."""

from __future__ import annotations

from pathlib import Path


def write(folder: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Écrit ``text`` (ou des octets tels quels) dans ``folder/name`` avec l'encodage donné."""
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path

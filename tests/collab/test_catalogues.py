"""The committed .mo files are the .po files compiled: a translation written into a .po
but not compiled would silently stay German for English readers. The .po files are read
here directly (no gettext tools needed on a developer's machine)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def _entries(po: Path) -> list[dict[str, Any]]:
    """Each entry's fields (`msgctxt`, `msgid`, `msgid_plural`, `msgstr`, `msgstr[0]`, ...)
    and whether it is fuzzy; obsolete (#~) and previous (#|) lines are comments."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {}
    key = None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def _catalog(po: Path) -> dict[Any, str]:
    """What msgfmt compiles: translated, not fuzzy entries, and the header."""
    catalog: dict[Any, str] = {}
    for entry in _entries(po):
        if entry.get("fuzzy") and entry.get("msgid"):
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            forms = {k: v for k, v in entry.items() if k.startswith("msgstr[")}
            if all(forms.values()):
                for name, text in forms.items():
                    catalog[(msgid, int(name[7:-1]))] = text
        elif entry.get("msgstr"):
            catalog[msgid] = entry["msgstr"]
    return catalog


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_each_catalogue_is_compiled(po: Path) -> None:
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    written = _catalog(po)
    header = written.pop("", None)
    compiled.pop("", None)
    assert header is not None
    assert compiled == written, f"run `make messages`: {po.with_suffix('.mo').name} is out of date"

"""``coursehelpers build-exercises`` : ``solutions/`` → ``exercises/`` (versions élèves).

Deux étapes par notebook solution :

1. **Empreintes** : si les sources ont changé depuis la dernière signature (clé
   ``metadata.coursehelpers.signed_sha``), la solution est exécutée dans un noyau neuf
   et les spécifications des réponses (empreintes à la précision déclarée, indices) sont
   recalculées à partir des vraies valeurs, puis écrites dans la cellule technique
   (``load_checks("...")``, repliée). Seules ces données et la clé de signature changent
   dans le notebook solution.
2. **Version élève** : solutions remplacées par ``# VOTRE CODE ICI`` (``nom = ...`` ou
   ``raise NotImplementedError``), réponses rédigées par ``VOTRE RÉPONSE ICI``, tests
   cachés retirés, sorties effacées, octets déterministes.

Un notebook d'exercice qui diffère de la version générée *et* qui a été modifié depuis
sa génération (cellules exécutées, texte changé) n'est jamais écrasé sans ``force=True``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from coursehelpers.errors import DataError
from coursehelpers.grading import notebook_io
from coursehelpers.grading.assignment import SETUP_ID, checks_data, expected_values
from coursehelpers.grading.checks import encode_checks

LOAD_RE = re.compile(r'load_checks\("[^"]*"\)')


@dataclass
class BuildReport:
    """Bilan : fichiers écrits, à jour, périmés (mode ``check``), refusés (copie modifiée)."""

    written: list[Path] = field(default_factory=list)
    signed: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    refused: list[Path] = field(default_factory=list)
    needs_force: list[Path] = field(default_factory=list)  # périmés (mode check) que seul --force remplace

    @property
    def ok(self) -> bool:
        return not self.stale and not self.refused


def _setup_cell(nb: dict) -> dict:
    cell = next((c for c in nb["cells"] if notebook_io.grade_id(c) == SETUP_ID), None)
    if cell is None:
        raise DataError(f"pas de cellule technique « {SETUP_ID} » (load_checks) : écrivez le cahier avec "
                        "authoring.new_assignment, qui l'ajoute.")
    return cell


def solution_sha(nb: dict) -> str:
    """Empreinte des sources de la solution, données de la cellule technique mises à blanc."""
    payload = [[c.get("cell_type"), LOAD_RE.sub('load_checks("")', c.get("source", "")),
                c.get("metadata", {}).get("nbgrader"), c.get("metadata", {}).get("coursehelpers")]
               for c in nb["cells"]]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def needs_signing(nb: dict) -> bool:
    return nb.get("metadata", {}).get("coursehelpers", {}).get("signed_sha") != solution_sha(nb)


def sign(nb: dict, expected: dict[str, dict]) -> dict:
    """Écrit dans la cellule technique les spécifications (empreintes) des réponses ``expected``."""
    cell = _setup_cell(nb)
    blob = encode_checks(checks_data(nb, expected))
    if not LOAD_RE.search(cell["source"]):
        raise DataError(f"la cellule technique « {SETUP_ID} » n'appelle pas load_checks(\"...\").")
    cell["source"] = LOAD_RE.sub(lambda _m: f'load_checks("{blob}")', cell["source"])
    nb.setdefault("metadata", {}).setdefault("coursehelpers", {})["signed_sha"] = solution_sha(nb)
    return nb


def looks_edited(path: Path) -> bool:
    """Vrai si l'exercice a été modifié depuis sa génération (exécuté, complété...)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if isinstance(cell.get("source"), list):
                cell["source"] = "".join(cell["source"])
        recorded = nb.get("metadata", {}).get("coursehelpers", {}).get("content_sha")
    except (OSError, ValueError, KeyError, TypeError):
        return True
    return recorded != notebook_io.content_sha(nb)


def build_exercises(solutions: str | Path = "solutions", out: str | Path = "exercises", *,
                    check: bool = False, force: bool = False, timeout: float = 120,
                    cache_dir: str | Path | None = None) -> BuildReport:
    """Génère (ou vérifie, avec ``check=True``) les versions élèves de ``solutions/*.ipynb``."""
    report = BuildReport()
    sources = sorted(Path(solutions).glob("*.ipynb"))
    if not sources:
        raise DataError("aucun notebook solution (*.ipynb) à transformer.", path=solutions)
    for src in sources:
        before = src.read_bytes()
        nb = notebook_io.read(src)
        if needs_signing(nb):
            if check:
                report.stale.append(f"{src} : empreintes à recalculer")
            else:
                expected = expected_values(src, timeout=timeout, cache_dir=cache_dir)
                if src.read_bytes() != before:
                    # L'auteur a enregistré une nouvelle version pendant l'exécution : ne pas
                    # l'écraser avec la copie signée de l'ancienne (rien n'est perdu).
                    report.stale.append(f"{src} : modifié pendant la génération, relancez la commande")
                    continue
                sign(nb, expected)
                notebook_io.write(nb, src)
                report.signed.append(src)
        generated = notebook_io.dumps(notebook_io.student_version(nb))
        target = Path(out) / src.name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == generated:
            report.up_to_date.append(target)
        elif check and current is not None and not force and looks_edited(target):
            # Même consigne que le mode écriture, qui refuserait d'écraser ce fichier.
            report.stale.append(f"{target} : périmé et modifié depuis sa génération (exécuté, complété "
                                "ou réenregistré) ; « coursehelpers exercices --force » le remplacera "
                                "(ses modifications seront perdues)")
            report.needs_force.append(target)
        elif check:
            report.stale.append(f"{target} : {'absent' if current is None else 'périmé'}")
        elif current is not None and not force and looks_edited(target):
            report.refused.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(generated, encoding="utf-8")
            tmp.replace(target)
            report.written.append(target)
    return report

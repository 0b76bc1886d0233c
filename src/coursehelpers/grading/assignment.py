"""Un devoir : ses exercices notés (métadonnées nbgrader + coursehelpers) et leurs réponses attendues.

Partagé par ``build-exercises`` (qui écrit les empreintes dans la cellule technique) et par le
correcteur en lot (qui recalcule les mêmes spécifications à partir de la solution exécutée) :
les deux passent par :func:`specs_of`, puis par :func:`coursehelpers.grading.rule.judge`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from coursehelpers.errors import DataError
from coursehelpers.grading import encode, notebook_io, rule
from coursehelpers.grading.runner import assemble, new_nonce, run

__all__ = ["SETUP_ID", "Exercise", "checks_data", "exercises_of", "expected_values", "grade_answers",
           "specs_of"]

SETUP_ID = "verifications"  # grade_id de la cellule technique (empreintes, indices)


@dataclass
class Exercise:
    """Un exercice noté : une cellule de vérification (auto) ou une réponse rédigée (manuelle)."""

    grade_id: str
    points: float
    manual: bool = False
    answers: list[str] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)
    precision: dict[str, str] = field(default_factory=dict)  # variable -> précision en mots
    ordered: bool = False
    quiz: list[str] = field(default_factory=list)  # variables réponses de QCM
    weights: list[float] = field(default_factory=list)
    fallback: dict[str, str] = field(default_factory=dict)  # variable -> expression de secours


def _precisions(meta: dict, answers: list[str]) -> dict[str, str]:
    value = meta.get("precision")
    if isinstance(value, str):
        return dict.fromkeys(answers, value)
    return {k: v for k, v in (value or {}).items() if v}


def exercises_of(nb: dict) -> list[Exercise]:
    """Exercices notés d'un notebook, dans l'ordre, d'après les métadonnées nbgrader."""
    quiz_vars = {v for c in nb["cells"] if notebook_io.ch_meta(c).get("quiz")
                 for v in notebook_io.ch_meta(c).get("answers", [])}
    out = []
    for cell in nb["cells"]:
        kind, meta = notebook_io.cell_kind(cell), notebook_io.nbgrader_meta(cell)
        ch = notebook_io.ch_meta(cell)
        if kind in ("test", "manual") and meta.get("grade"):
            answers = list(ch.get("answers", []))
            out.append(Exercise(meta["grade_id"], float(meta.get("points", 0)), manual=kind == "manual",
                                answers=answers, hints=dict(ch.get("hints", {})),
                                precision=_precisions(ch, answers), ordered=bool(ch.get("ordered", False)),
                                quiz=[a for a in answers if a in quiz_vars],
                                weights=[float(w) for w in ch.get("weights", [])],
                                fallback=dict(ch.get("fallback", {}))))
    return out


def specs_of(exercises: list[Exercise], expected: dict[str, dict]) -> dict[str, dict[str, dict]]:
    """Spécifications ``{grade_id: {variable: spec}}`` (règle unique, sans valeur en clair)."""
    out: dict[str, dict[str, dict]] = {}
    for ex in exercises:
        if ex.manual:
            continue
        out[ex.grade_id] = {
            name: rule.make_spec(expected[ex.grade_id][name], name=name, precision=ex.precision.get(name),
                                 ordered=ex.ordered, quiz=name in ex.quiz)
            for name in ex.answers}
    return out


def grade_answers(ex: Exercise, specs: dict[str, dict], snapshot: dict, failed: dict | None = None,
                  owners: dict[str, str] | None = None) -> tuple[list[tuple[str, bool, str, str]], float]:
    """Verdicts ``(variable, juste ?, genre, message)`` et points d'un exercice, côté correcteur en lot.

    ``snapshot`` : réponses relevées dans le noyau de la copie ; ``failed`` : ``{variable: [erreur,
    message]}`` si la cellule de la réponse s'est arrêtée sur une erreur. Même règle que ``check()``.
    """
    verdicts = []
    for var in ex.answers:
        f = (failed or {}).get(var)
        v = rule.judge(snapshot.get(var, {"t": "missing"}), specs[var], name=var,
                       failed=tuple(f) if f else None, owners=owners or {}, exercise=ex.grade_id)
        verdicts.append((var, v.ok, v.kind, v.message))
    return verdicts, rule.answer_points(ex.points, [v[1] for v in verdicts], ex.weights)


def checks_data(nb: dict, expected: dict[str, dict]) -> dict:
    """Contenu de la cellule technique : exercices, points, réponses, spécifications, indices."""
    exercises = exercises_of(nb)
    specs = specs_of(exercises, expected)
    return {"version": rule.VERSION, "exercises": {
        ex.grade_id: {"points": ex.points, "answers": ex.answers, "specs": specs[ex.grade_id],
                      "hints": {k: v for k, v in ex.hints.items() if v},
                      **({"weights": ex.weights} if ex.weights else {}),
                      **({"fallback": ex.fallback} if ex.fallback else {})}
        for ex in exercises if not ex.manual}}


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coursehelpers" / "grading"


def _code_key() -> bytes:
    """Empreinte du code du cours et des données fournies : une réponse attendue en dépend aussi
    (une correction de la bibliothèque change la valeur calculée par la solution)."""
    import coursehelpers

    package = Path(coursehelpers.__file__).parent
    digest = hashlib.sha256(Path(encode.__file__).read_bytes())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    for folder in (package / "_data", package.parents[1] / "datasets"):  # paquet installé, dépôt
        for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def _source_key(nb: dict) -> bytes:
    """Octets qui déterminent les réponses attendues (la cellule technique n'en fait pas partie)."""
    cells = [[c.get("cell_type"), c.get("source", "")] for c in nb["cells"]
             if notebook_io.grade_id(c) != SETUP_ID]
    return json.dumps(cells, sort_keys=True).encode()


def expected_key(nb: dict) -> str:
    """Clé des réponses attendues : sources du notebook solution (hors cellule technique), code du
    paquet et données fournies. Deux corrections de même clé jugent avec les mêmes attendus."""
    return hashlib.sha256(_source_key(nb) + _code_key()).hexdigest()[:24]


def expected_values(solution: str | Path, *, timeout: float = 120,
                    cache_dir: str | Path | None = None, kernels=None) -> dict[str, dict]:
    """Réponses attendues ``{grade_id: {variable: encodage}}`` obtenues en exécutant la solution.

    Le résultat est mis en cache (clé : sources du notebook, code du paquet et données fournies).
    ``kernels`` : réserve de noyaux (:class:`~coursehelpers.grading.runner.KernelPool`) d'où
    prendre le noyau neuf de la solution ; par défaut un noyau lancé pour l'occasion.
    Lève ``DataError`` si la solution ne s'exécute pas ou ne définit pas une réponse.
    """
    path = Path(solution)
    nb = notebook_io.read(path)
    key = expected_key(nb)
    cache = Path(cache_dir) if cache_dir else _cache_dir()
    hit = cache / f"{path.stem}-{key}.json"
    if hit.exists():
        return json.loads(hit.read_text(encoding="utf-8"))
    nonce = new_nonce()
    result = run(assemble(nb, None, nonce), nonce=nonce, timeout=timeout, kernels=kernels)
    if result.dead or result.timeouts:
        raise DataError("la solution ne s'exécute pas jusqu'au bout (noyau arrêté ou délai dépassé).",
                        path=path)
    expected: dict[str, dict] = {}
    for ex in exercises_of(nb):
        if ex.manual:
            continue
        snap = result.snapshots.get(ex.grade_id, {})
        for name in ex.answers:
            if snap.get(name, {}).get("t") in (None, "missing", "ellipsis"):
                raise DataError(f"la solution ne définit pas la variable « {name} » avant la cellule "
                                f"de test « {ex.grade_id} ».", path=path)
        expected[ex.grade_id] = {name: snap[name] for name in ex.answers}
    cache.mkdir(parents=True, exist_ok=True)
    tmp = hit.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(expected, sort_keys=True), encoding="utf-8")
    os.replace(tmp, hit)
    return expected

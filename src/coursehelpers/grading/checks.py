"""Vérification immédiate dans le notebook de l'élève : « Juste », « Presque » ou « À revoir ».

Une cellule de vérification tient en une ligne, ``check("ex3")`` ; les empreintes des réponses
attendues et les indices sont dans la cellule technique du début du cahier (repliée), chargée par
:func:`load_checks`. La décision est celle de :func:`coursehelpers.grading.rule.judge`, la même que
celle du correcteur en lot. En cas d'échec, :class:`CheckFailed` est levée : la cellule compte
comme échouée (nbclient, nbgrader), mais l'étiquette ``raises-exception`` des cellules de
vérification laisse « Redémarrer le noyau et exécuter toutes les cellules » aller jusqu'au bilan.

Affichage : un bloc coloré (vert « Juste », orange « Presque », rouge « À revoir ») dans Jupyter,
du texte simple ailleurs — aucun émoji nécessaire.

>>> from coursehelpers.grading.rule import make_spec
>>> data = {"exercises": {"q1": {"points": 1, "answers": ["taux"],
...         "specs": {"taux": make_spec({"t": "num", "v": 0.5}, name="taux")}, "hints": {}}}}
>>> load_checks(encode_checks(data))
>>> check("q1", namespace={"taux": 0.5})
Juste — exercice q1 : 1 / 1 point
  Juste : « taux » : c'est juste (à 0,01 % près).
"""

from __future__ import annotations

import base64
import html
import json
import sys
import zlib
from collections.abc import Mapping

from coursehelpers.grading import quiz, session
from coursehelpers.grading.encode import encode_value
from coursehelpers.grading.explain import exercise_label
from coursehelpers.grading.rule import Verdict, answer_points, judge

__all__ = ["CheckFailed", "check", "decode_checks", "encode_checks", "load_checks", "progress",
           "reset_progress", "results", "secours"]

_DATA: dict = {"exercises": {}}
# exercice -> (points obtenus, points de l'exercice, [réponse juste ?], niveau affiché)
_RESULTS: dict[str, tuple[float, float, list[bool], str]] = {}

LEVELS = {  # niveau -> (mot, couleur du bord, fond)
    "juste": ("Juste", "#1e7b34", "#e6f4ea"),
    "presque": ("Presque", "#b35c00", "#fff4e0"),
    "faux": ("À revoir", "#b3261e", "#fdecea"),
    "a_faire": ("À faire", "#5f6368", "#f1f3f4"),
}


class CheckFailed(AssertionError):
    """Vérification échouée : la cellule échoue, mais Jupyter n'affiche qu'une ligne (pas de trace)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def _render_traceback_(self) -> list[str]:
        return ["Vérification non réussie : lisez le message ci-dessus, corrigez, puis relancez."]


def encode_checks(data: Mapping) -> str:
    """Données de vérification → texte compact (JSON compressé, base 64) pour la cellule technique."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 9)).decode()


def decode_checks(text: str) -> dict:
    """Inverse de :func:`encode_checks`."""
    return json.loads(zlib.decompress(base64.b64decode(text)).decode())


def load_checks(text: str) -> None:
    """Charge les vérifications du cahier (appelée par sa cellule technique) et branche les crochets."""
    data = decode_checks(text) if text else {"exercises": {}}
    _DATA.clear()
    _DATA.update(data)
    owners = {var: gid for gid, ex in data.get("exercises", {}).items() for var in ex.get("answers", [])}
    _DATA["owners"] = owners
    session.install(owners)
    return None


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


class Block:
    """Bloc de résultat : HTML coloré dans Jupyter, texte simple ailleurs."""

    def __init__(self, level: str, title: str, lines: list[tuple[str, str]]) -> None:
        self.level, self.title, self.lines = level, title, lines

    def text(self) -> str:
        word = LEVELS[self.level][0]
        out = [f"{word} — {self.title}"]
        out += [f"  {LEVELS[lv][0]} : {msg}" for lv, msg in self.lines]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        word, border, background = LEVELS[self.level]
        rows = "".join(
            f'<li><b style="color:{LEVELS[lv][1]}">{LEVELS[lv][0]}</b> — {html.escape(msg)}</li>'
            for lv, msg in self.lines)
        return (f'<div class="ch-check ch-{self.level}" style="border-left:6px solid {border};'
                f'background:{background};color:#1b1b1b;padding:6px 10px;margin:4px 0;'
                f'font-family:sans-serif"><b style="color:{border}">{word}</b> — {html.escape(self.title)}'
                f'<ul style="margin:4px 0 0 0;padding-left:18px">{rows}</ul></div>')

    def __repr__(self) -> str:
        return self.text()


def show(block: Block) -> None:
    """Affiche le bloc (HTML dans Jupyter, texte sinon)."""
    if _in_notebook():
        from IPython.display import display

        display(block)
    else:
        print(block.text())


def _pts(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _points_text(got: float, points: float) -> str:
    return f"{_pts(got)} / {_pts(points)} point{'s' if points > 1 else ''}"


def check(exercise: str, *, namespace: Mapping[str, object] | None = None) -> None:
    """Vérifie les réponses de l'exercice ``exercise`` (``"ex3"``) et affiche le verdict.

    Paramètres
    ----------
    exercise : str
        Identifiant de l'exercice (``grade_id`` de sa cellule de vérification).
    namespace : mapping, optional
        Où lire les variables ; par défaut les variables globales de l'appelant.

    Lève
    ----
    CheckFailed
        Si une réponse au moins n'est pas juste (la cellule compte comme échouée).
    """
    ns = namespace if namespace is not None else sys._getframe(1).f_globals
    ex = _DATA.get("exercises", {}).get(exercise)
    if ex is None:
        message = ("Vérification impossible : exécutez d'abord la cellule technique tout en haut du cahier "
                   "(ou « Redémarrer le noyau et exécuter toutes les cellules »).")
        show(Block("a_faire", f"{exercise_label(exercise)}", [("a_faire", message)]))
        raise CheckFailed(message)
    verdicts: list[tuple[str, Verdict]] = []
    for name in ex["answers"]:
        failed = session.problem(name, ns) if namespace is None else None
        if name in ns:
            actual = encode_value(ns[name])
        else:
            actual = {"t": "missing", "stub": bool(failed and failed[0] == "NotImplementedError")}
        verdict = judge(actual, ex["specs"][name], name=name, failed=failed,
                        owners=_DATA.get("owners", {}), exercise=exercise)
        letter = quiz.clicked(name) if ex["specs"][name].get("quiz") else None
        if not verdict.ok and verdict.level == "a_faire" and letter:
            verdict = Verdict(False, "clic", f"Vous avez cliqué « {letter} », mais un clic ne compte pas : "
                              f"écrivez {name} = \"{letter}\" dans la cellule de la question, exécutez-la, "
                              "puis relancez cette vérification.", "a_faire")
        verdicts.append((name, verdict))
    oks = [v.ok for _, v in verdicts]
    points = float(ex.get("points", 0))
    got = answer_points(points, oks, ex.get("weights"))
    lines = []
    for name, v in verdicts:
        message = v.message
        hint = ex.get("hints", {}).get(name)
        if not v.ok and hint and v.level != "a_faire" and v.kind != "erreur":
            message += f" Indice : {hint}"
        lines.append((v.level, message))
    levels = [v.level for _, v in verdicts]
    level = ("juste" if all(oks) else "a_faire" if all(lv == "a_faire" for lv in levels)
             else "presque" if any(oks) or "presque" in levels else "faux")
    title = f"{exercise_label(exercise)} : {_points_text(got, points)}"
    if len(verdicts) > 1 and not all(oks):
        title += f" ({sum(oks)} réponse{'s' if sum(oks) > 1 else ''} juste{'s' if sum(oks) > 1 else ''} " \
                 f"sur {len(oks)})"
    _RESULTS[exercise] = (got, points, oks, level)
    block = Block(level, title, lines)
    show(block)
    if not all(oks):
        raise CheckFailed(block.text())


def results() -> dict[str, tuple[float, list[bool]]]:
    """Résultats de la session : ``{exercice: (points obtenus, [réponse juste ?])}``."""
    return {gid: (got, list(oks)) for gid, (got, _, oks, _) in _RESULTS.items()}


def secours(name: str, *, namespace: dict | None = None) -> object:
    """Réponse ``name`` de l'élève si elle est juste, sinon une valeur de secours pour continuer.

    Les cellules fournies d'un cahier en plusieurs étapes l'utilisent : un élève bloqué à une
    étape peut faire les suivantes. La valeur de secours est calculée par le code que l'auteur a
    rangé dans la cellule technique ; elle est marquée, et une vérification qui la trouve dans la
    variable réponse ne donne pas de point (ni dans le notebook, ni au correcteur en lot).
    """
    ns = namespace if namespace is not None else sys._getframe(1).f_globals
    exercises = _DATA.get("exercises", {})
    gid = _DATA.get("owners", {}).get(name) or next(
        (g for g, e in exercises.items() if name in e.get("fallback", {})), None)
    ex = exercises.get(gid or "", {})
    code = ex.get("fallback", {}).get(name)
    mine = ns.get(name, ...)
    usable = mine is not ... and not session.is_fallback(mine)
    if usable and name in ex.get("specs", {}):
        usable = judge(encode_value(mine), ex["specs"][name], name=name).ok
    if usable or code is None:
        if name in ns:
            return mine
        raise CheckFailed(f"« {name} » n'existe pas encore : faites d'abord l'{exercise_label(gid)}.")
    value = eval(compile(code, f"<secours {name}>", "eval"), dict(ns))  # code de l'auteur du cahier
    show(Block("presque", f"valeur de secours pour « {name} »", [(
        "presque", f"Votre « {name} » ({exercise_label(gid)}) n'est pas encore juste : la suite du cahier "
                   "utilise une valeur de secours pour que vous puissiez continuer. "
                   f"L'{exercise_label(gid)} ne rapporte ses points qu'avec votre propre calcul.")]))
    return session.mark_fallback(value)


def reset_progress() -> None:
    """Oublie les vérifications de la session (utile pour recommencer un notebook)."""
    _RESULTS.clear()


def progress(exercises: Mapping[str, float] | None = None) -> dict[str, float | None]:
    """Bilan de la session : points obtenus par exercice (indicatif : la note vient du correcteur).

    Paramètres
    ----------
    exercises : mapping, optional
        ``{grade_id: points}`` ; par défaut, les exercices chargés par :func:`load_checks`.

    Renvoie
    -------
    dict
        ``{grade_id: points obtenus, ou None si pas encore vérifié}``.
    """
    if exercises is None:
        exercises = {gid: float(ex.get("points", 0)) for gid, ex in _DATA.get("exercises", {}).items()}
    status: dict[str, float | None] = {}
    lines = []
    earned = 0.0
    for gid, pts in exercises.items():
        result = _RESULTS.get(gid)
        if result is None:
            status[gid] = None
            lines.append(("a_faire", f"{exercise_label(gid)} : pas encore vérifié (0 / {_pts(pts)})"))
            continue
        got, _, oks, shown = result
        status[gid] = got
        earned += got
        level = ("juste" if all(oks) else "presque" if got > 0 else "a_faire" if shown == "a_faire"
                 else "faux")
        word = {"juste": "réussi", "presque": "en partie réussi", "faux": "à revoir",
                "a_faire": "pas encore répondu"}[level]
        lines.append((level, f"{exercise_label(gid)} : {word} ({_pts(got)} / {_pts(pts)})"))
    total = sum(exercises.values())
    done = sum(1 for gid in exercises if gid in _RESULTS and all(_RESULTS[gid][2]))
    level = ("juste" if total and earned == total else "presque" if earned > 0
             else "a_faire" if all(lv == "a_faire" for lv, _ in lines) else "faux")
    title = (f"Bilan indicatif : {_points_text(round(earned, 2), total)} — {done} exercice"
             f"{'s' if done > 1 else ''} réussi{'s' if done > 1 else ''} sur {len(exercises)}")
    show(Block(level, title, lines))
    return status

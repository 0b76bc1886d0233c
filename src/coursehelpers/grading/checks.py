"""Vérification immédiate dans le notebook de l'élève : ✅ ou ❌ avec un indice.

Les cellules de test appellent :func:`check` ; la valeur attendue n'y figure pas,
seulement son empreinte (voir :mod:`coursehelpers.grading.fingerprint`). En cas
d'échec, :class:`CheckFailed` est levée : Jupyter n'affiche que le message (pas de
trace Python) mais la cellule compte bien comme échouée (nbclient, nbgrader).

Exemple (dans un notebook, ``taux`` ayant été calculé plus haut) :

>>> taux = 0.5
>>> from coursehelpers.grading.encode import encode_value
>>> check("taux", fingerprint=make_fingerprint(encode_value(0.5), name="taux"),
...       namespace={"taux": taux})
✅ taux : c'est juste !

Le bilan :func:`progress` reprend les vérifications lancées pendant la session
(indicatif : la note officielle vient du correcteur en lot).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from coursehelpers.grading.compare import RTOL
from coursehelpers.grading.encode import encode_value
from coursehelpers.grading.fingerprint import make_fingerprint, verify

__all__ = ["CheckFailed", "check", "make_fingerprint", "progress", "reset_progress"]

# exercice -> {variable: réussi ?} pour la session en cours
_RESULTS: dict[str, dict[str, bool]] = {}


class CheckFailed(AssertionError):
    """Vérification échouée : message court en français, sans trace Python dans Jupyter."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def _render_traceback_(self) -> list[str]:
        return [f"\N{CROSS MARK} {self.message}"]


def _last_error_was_stub() -> bool:
    last = getattr(sys, "last_type", None)
    return isinstance(last, type) and issubclass(last, NotImplementedError)


def check(name: str, *, fingerprint: str, hint: str = "", exercise: str | None = None,
          points: float | None = None, tolerance: float = RTOL, ordered: bool = True,
          namespace: Mapping[str, object] | None = None) -> None:
    """Vérifie la variable ``name`` de l'élève par rapport à l'empreinte de la bonne réponse.

    Parameters
    ----------
    name : str
        Nom de la variable réponse (lue dans l'espace de noms du notebook).
    fingerprint : str
        Empreinte de la réponse attendue, écrite par ``coursehelpers build-exercises``.
    hint : str
        Indice pédagogique montré en cas d'échec (où regarder, pas la réponse).
    exercise : str, optional
        Identifiant de l'exercice (``grade_id``) pour le bilan :func:`progress`.
    points : float, optional
        Points de l'exercice (affichage seulement).
    tolerance : float
        Tolérance relative sur les nombres : ``|x - attendu| <= tolerance × |attendu|``.
    ordered : bool
        ``False`` : l'ordre des lignes d'une Series/DataFrame n'est pas noté (comme pour le
        correcteur en lot) ; l'empreinte doit avoir été calculée de même (build-exercises).
    namespace : mapping, optional
        Où lire la variable ; par défaut les variables globales de l'appelant.

    Raises
    ------
    CheckFailed
        Si la réponse est absente, pas encore écrite, du mauvais type, de la mauvaise
        taille, avec des NaN, de mauvaises étiquettes, imprécise ou fausse.
    """
    ns = namespace if namespace is not None else sys._getframe(1).f_globals
    actual = encode_value(ns[name]) if name in ns else {"t": "missing", "stub": _last_error_was_stub()}
    verdict = verify(actual, fingerprint, name=name, rtol=tolerance, ordered=ordered)
    _RESULTS.setdefault(exercise or name, {})[name] = verdict.ok
    if verdict.ok:
        # Les points sont ceux de l'EXERCICE : une cellule qui vérifie deux réponses ne vaut
        # pas deux fois ses points, d'où « exercice ex5 : 2 pts » quand l'exercice est connu.
        value = f"{points:g} pt{'s' if points and points > 1 else ''}" if points else ""
        suffix = (f" (exercice {exercise} : {value})" if exercise and value
                  else f" ({value})" if value else "")
        print(f"\N{WHITE HEAVY CHECK MARK} {name} : c'est juste !{suffix}")
        return
    message = verdict.message
    if hint and verdict.kind not in ("absente", "a_faire", "empreinte"):
        message += f"\n\N{ELECTRIC LIGHT BULB} Indice : {hint}"
    raise CheckFailed(message)


def reset_progress() -> None:
    """Oublie les vérifications de la session (utile pour recommencer un notebook)."""
    _RESULTS.clear()


def progress(exercises: Mapping[str, float]) -> dict[str, bool | None]:
    """Affiche le bilan de la session : exercices réussis et points obtenus (indicatif).

    Parameters
    ----------
    exercises : mapping
        ``{grade_id: points}`` de chaque exercice corrigé automatiquement.

    Returns
    -------
    dict
        ``{grade_id: True | False | None}`` (``None`` : pas encore vérifié).

    Examples
    --------
    >>> reset_progress()
    >>> progress({"q1": 1})
    ⬜ q1 : pas encore vérifié (0 / 1)
    Total indicatif : 0 / 1 point — 0 exercice réussi sur 1.
    {'q1': None}
    """
    status: dict[str, bool | None] = {}
    earned = 0.0
    for gid, pts in exercises.items():
        results = _RESULTS.get(gid)
        state = None if not results else all(results.values())
        status[gid] = state
        got = pts if state else 0
        earned += got
        icon, text = {True: ("\N{WHITE HEAVY CHECK MARK}", "réussi"), False: ("\N{CROSS MARK}", "à revoir"),
                      None: ("\N{WHITE LARGE SQUARE}", "pas encore vérifié")}[state]
        print(f"{icon} {gid} : {text} ({got:g} / {pts:g})")
    total = sum(exercises.values())
    done = sum(1 for s in status.values() if s)
    plural = "s" if total > 1 else ""
    print(f"Total indicatif : {earned:g} / {total:g} point{plural} — {done} exercice"
          f"{'s' if done > 1 else ''} réussi{'s' if done > 1 else ''} sur {len(exercises)}.")
    return status

"""Ce que le noyau de l'élève a exécuté : dernière exécution de chaque cellule, erreurs expliquées.

:func:`install` (appelée par la cellule technique du cahier) branche deux crochets IPython :

- après chaque cellule, on note les variables qu'elle affecte et si elle s'est arrêtée sur une
  erreur : :func:`failed_cell` dit alors à la vérification (et au correcteur en lot, qui lit la
  même information dans le noyau de la copie) que la cellule d'une réponse a échoué à sa dernière
  exécution — au lieu de juger une valeur laissée par une exécution précédente ;
- les erreurs fréquentes des débutants (KeyError, TypeError de pandas, UnicodeDecodeError,
  NameError, AttributeError, ZeroDivisionError) s'affichent d'abord par une explication courte en
  français ; le message d'origine reste disponible en une ligne et en entier, replié.

Hors d'IPython, :func:`install` ne fait rien.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterable

from coursehelpers.grading.explain import assigned_names, explain_error

__all__ = ["failed_cell", "install", "is_fallback", "mark_fallback", "problem", "record", "reset"]

# (variables affectées, erreur ou None, noms cités) de chaque exécution de cellule, dans l'ordre
_RUNS: list[tuple[frozenset[str], tuple[str, str] | None, frozenset[str]]] = []
_OWNERS: dict[str, str] = {}
_FALLBACKS: dict[int, object] = {}  # id -> valeur de secours (gardée en vie pour que l'id reste unique)
_INSTALLED: set[int] = set()
EXPLAINED = (KeyError, TypeError, UnicodeDecodeError, NameError, AttributeError, ZeroDivisionError)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def reset() -> None:
    """Oublie les exécutions notées (tests)."""
    _RUNS.clear()


def record(source: str, error: BaseException | None) -> None:
    """Note une exécution de cellule (appelée par le crochet IPython, ou à la main dans les tests)."""
    err = None if error is None else (type(error).__name__, str(error))
    if isinstance(error, SyntaxError):
        err = (type(error).__name__, f"{error.msg} (ligne {error.lineno})")
    _RUNS.append((frozenset(assigned_names(source)), err, frozenset(re.findall(r"[A-Za-z_]\w*", source))))


def failed_cell(names: Iterable[str]) -> tuple[str, str] | None:
    """Erreur de la dernière exécution de la dernière cellule qui affecte l'une de ``names``.

    ``None`` si cette cellule a réussi ou si aucune cellule exécutée n'affecte ces variables.
    """
    run = _last_run(names)
    return run[1] if run else None


def _last_run(names: Iterable[str]):
    wanted = set(names)
    for run in reversed(_RUNS):
        if run[0] & wanted:
            return run
    return None


def mark_fallback(value: object) -> object:
    """Note que ``value`` est une valeur de secours (fournie par le cahier, pas calculée par l'élève)."""
    _FALLBACKS[id(value)] = value
    return value


def is_fallback(value: object) -> bool:
    return id(value) in _FALLBACKS and _FALLBACKS[id(value)] is value


def problem(name: str, namespace) -> tuple[str, str] | None:
    """Ce qui empêche de juger la réponse ``name`` : valeur de secours, ou cellule en erreur."""
    if name in namespace and is_fallback(namespace[name]):
        return ("Secours", "")
    run = _last_run([name])
    if run is None or run[1] is None:
        return None
    assigned, err, cited = run
    if "ellipsis" in err[1]:  # la cellule utilise la réponse d'un exercice pas encore fait
        deps = sorted(n for n in cited - assigned if _OWNERS.get(n) and namespace.get(n, None) is Ellipsis)
        if deps:
            return ("Dependance", deps[0])
    return err


def _post_run(result) -> None:
    info = getattr(result, "info", None)
    source = getattr(info, "raw_cell", "") or ""
    error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec", None)
    record(source, error)


def _explained_traceback(shell, etype, value, tb, tb_offset=None):
    """Affiche l'explication française puis le message d'origine replié ; renvoie une ligne."""
    from IPython.display import display

    french = explain_error(etype.__name__, str(value), owners=_OWNERS)
    try:
        full = "\n".join(shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset))
    except Exception:  # trace indisponible : la ligne d'origine suffit
        full = ""
    full = _ANSI.sub("", full)
    original = f"{etype.__name__}: {value}"
    block = (
        '<div style="border-left:6px solid #b3261e;background:#fdecea;color:#1b1b1b;padding:6px 10px;'
        'margin:4px 0;font-family:sans-serif">'
        f"<b>Erreur</b> — {html.escape(french)}"
        f'<details style="margin-top:4px"><summary>Message d\'origine de Python : '
        f"<code>{html.escape(original[:200])}</code></summary><pre>{html.escape(full)}</pre></details></div>")

    class _Block:
        def _repr_html_(self) -> str:
            return block

        def __repr__(self) -> str:
            return f"Erreur — {french}"

    display(_Block())
    import sys

    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
    # la ligne d'origine, en sortie d'erreur (le correcteur en lot la relève) ; sans
    # _showtraceback (autre interpréteur), le bloc suffit
    with contextlib.suppress(Exception):
        shell._showtraceback(etype, value, [original])
    return [original]


def install(owners: dict[str, str] | None = None) -> bool:
    """Branche les crochets sur le noyau IPython courant (une seule fois). Renvoie ``True`` si branché."""
    if owners:
        _OWNERS.update(owners)
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if id(shell) in _INSTALLED:
        return True
    shell.events.register("post_run_cell", _post_run)
    shell.set_custom_exc(EXPLAINED, _explained_traceback)
    _INSTALLED.add(id(shell))
    return True

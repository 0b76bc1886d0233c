"""Questions à choix unique et à réponse courte (ipywidgets chargé seulement à l'affichage).

La réponse est la ligne ``reponse_q1 = "B"`` écrite dans la cellule de la question : c'est
elle que la vérification et le correcteur en lot lisent. Un clic dans le widget **ne répond
pas** (il ne change aucune variable) : il dit exactement quoi écrire, et la vérification le
rappelle (« vous avez cliqué B, mais un clic ne compte pas... ») au lieu de dire « juste ».
Ainsi aucun clic ne peut afficher « Juste » dans le notebook et valoir 0 au correcteur.

Sans interface graphique (exécution en lot, terminal), la question s'affiche en texte :

>>> ns = {"reponse_q1": ...}
>>> _ = single_choice("reponse_q1", "Combien font 2 + 2 ?", {"A": "3", "B": "4"},
...                   namespace=ns, widget=False)
Combien font 2 + 2 ?
  A. 3
  B. 4
Répondez en écrivant : reponse_q1 = "A" (ou une autre lettre).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, MutableMapping

__all__ = ["clicked", "short_answer", "single_choice"]

_CLICKS: dict[str, str] = {}  # variable -> dernier choix cliqué (jamais une réponse)


def clicked(variable: str) -> str | None:
    """Dernier choix cliqué pour ``variable`` pendant la session (``None`` : aucun clic)."""
    return _CLICKS.get(variable)


def _write_line(variable: str, value: str) -> str:
    return (f"Vous avez choisi « {value} ». Un clic ne suffit pas : pour répondre, écrivez dans la cellule "
            f"ci-dessus <code>{variable} = \"{value}\"</code> (à la place de <code>{variable} = ...</code>), "
            "puis exécutez-la.")


def _namespace(namespace: MutableMapping | None, depth: int = 2) -> MutableMapping:
    return namespace if namespace is not None else sys._getframe(depth).f_globals


def _widgets_available() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _show(box: object, show: bool) -> object:
    """Affiche le widget et ne renvoie rien (sinon Jupyter l'afficherait une 2e fois),
    ou, avec ``show=False``, le renvoie sans l'afficher."""
    if not show:
        return box
    from IPython.display import display

    display(box)
    return None


def single_choice(variable: str, question: str, options: Mapping[str, str], *,
                  namespace: MutableMapping | None = None, widget: bool | None = None,
                  show: bool = True) -> object:
    """Affiche une question à choix unique dont la lettre choisie va dans ``variable``.

    Paramètres
    ----------
    variable : str
        Nom de la variable réponse (``"reponse_q1"``).
    question : str
        Énoncé.
    options : mapping
        ``{"A": "texte de l'option", ...}``.
    namespace : mapping, optional
        Où écrire la variable ; par défaut les variables globales de l'appelant.
    widget : bool, optional
        Forcer (``True``) ou empêcher (``False``) le widget ; par défaut, widget seulement
        dans un noyau Jupyter.

    show : bool
        ``True`` (défaut) : affiche le widget et renvoie ``None``. ``False`` : n'affiche rien
        et renvoie le widget (pour l'intégrer ailleurs).

    Renvoie
    -------
    ipywidgets.VBox (si ``show=False``) ou None
    """
    ns = _namespace(namespace)
    if not (widget if widget is not None else _widgets_available()):
        print(question)
        for key, text in options.items():
            print(f"  {key}. {text}")
        first = next(iter(options))
        print(f'Répondez en écrivant : {variable} = "{first}" (ou une autre lettre).')
        return None
    import ipywidgets as w

    current = ns.get(variable)
    labels = [(f"{k}. {v}", k) for k, v in options.items()]
    radio = w.RadioButtons(options=labels, value=current if isinstance(current, str) and current in options
                           else None,
                           layout=w.Layout(width="max-content"))
    note = w.HTML()

    def _on_change(change: dict) -> None:
        _CLICKS[variable] = change["new"]
        note.value = _write_line(variable, change["new"])

    radio.observe(_on_change, names="value")
    box = w.VBox([w.HTML(f"<b>{question}</b>"), radio, note])
    return _show(box, show)


def short_answer(variable: str, question: str, *, namespace: MutableMapping | None = None,
                 widget: bool | None = None, show: bool = True) -> object:
    """Affiche une question à réponse courte (texte) dont la réponse va dans ``variable``.

    La comparaison ignore majuscules, accents, espaces en trop et ponctuation finale.
    """
    ns = _namespace(namespace)
    if not (widget if widget is not None else _widgets_available()):
        print(question)
        print(f'Répondez en écrivant : {variable} = "votre réponse"')
        return None
    import ipywidgets as w

    current = ns.get(variable)
    text = w.Text(value=current if isinstance(current, str) else "", placeholder="Votre réponse")
    note = w.HTML()

    def _on_change(change: dict) -> None:
        _CLICKS[variable] = change["new"]
        note.value = (f"Un texte tapé ici ne suffit pas : pour répondre, écrivez dans la cellule ci-dessus "
                      f"<code>{variable} = {change['new']!r}</code>, puis exécutez-la.")

    text.observe(_on_change, names="value")
    box = w.VBox([w.HTML(f"<b>{question}</b>"), text, note])
    return _show(box, show)

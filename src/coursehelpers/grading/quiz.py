"""Questions à choix unique et à réponse courte (ipywidgets chargé seulement à l'affichage).

La réponse vit dans une variable du notebook (ex. ``reponse_q1``) que la cellule de
test vérifie. L'élève peut cliquer (la variable est mise à jour pour la session) ou
écrire directement ``reponse_q1 = "B"`` : c'est cette ligne qui compte pour la
correction en lot, le widget le rappelle après chaque clic.

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

__all__ = ["short_answer", "single_choice"]


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

    Parameters
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

    Returns
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
    radio = w.RadioButtons(options=labels, value=current if current in options else None,
                           layout=w.Layout(width="max-content"))
    note = w.HTML()

    def _on_change(change: dict) -> None:
        ns[variable] = change["new"]
        note.value = (f"Choix « {change['new']} » enregistré pour cette session. Pour qu'il compte à la "
                      f"correction, la cellule doit contenir : <code>{variable} = \"{change['new']}\"</code>")

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
        ns[variable] = change["new"]
        note.value = (f"Réponse enregistrée pour cette session. Pour qu'elle compte à la correction, "
                      f"la cellule doit contenir : <code>{variable} = {change['new']!r}</code>")

    text.observe(_on_change, names="value")
    box = w.VBox([w.HTML(f"<b>{question}</b>"), text, note])
    return _show(box, show)

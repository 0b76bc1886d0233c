"""Extension Sphinx du site : les formules LaTeX écrites en MathML au moment de la construction.

Pourquoi : MathJax se charge d'ordinaire depuis un CDN ; le site du cours ne doit rien aller
chercher sur Internet (ni à la construction, ni à la lecture). Les navigateurs actuels
(Chromium ≥ 109, Firefox, Safari) affichent le MathML nativement, à l'écran comme à
l'impression, et le texte des formules reste sélectionnable dans les PDF.
"""

from __future__ import annotations

from typing import Any


def _mathml(latex: str, *, display: str) -> str:
    from latex2mathml.converter import convert

    return convert(latex.strip(), display=display)


def _visit_inline(self: Any, node: Any) -> None:
    from docutils import nodes

    self.body.append(f'<span class="math notranslate">{_mathml(node.astext(), display="inline")}</span>')
    raise nodes.SkipNode


def _visit_block(self: Any, node: Any) -> None:
    from docutils import nodes

    formulas = [part for part in node.astext().split("\n\n") if part.strip()]
    html = "".join(_mathml(part, display="block") for part in formulas)
    self.body.append(f'<div class="math notranslate">{html}</div>\n')
    raise nodes.SkipNode


def setup(app: Any) -> dict[str, Any]:
    """Déclare le moteur de formules « mathml » (``html_math_renderer = "mathml"``)."""
    app.add_html_math_renderer("mathml", (_visit_inline, None), (_visit_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Texte comparable : une seule façon de retirer les accents dans tout ``coursehelpers``.

Sert à reconnaître les en-têtes d'un export (``crm_export``) et à comparer une réponse
d'élève à la réponse attendue (``grading.compare``).
"""

from __future__ import annotations

import unicodedata

__all__ = ["strip_accents"]


def strip_accents(text: str) -> str:
    """Le texte sans ses accents ni signes diacritiques (décomposition NFKD).

    La décomposition NFKD sépare « é » en « e » + accent, puis l'accent est retiré ; elle
    remplace aussi les ligatures et formes de compatibilité (« ﬁ » → « fi », « ² » → « 2 »).

    Exemples
    --------
    >>> strip_accents("Catégorie Socio-Économique")
    'Categorie Socio-Economique'
    >>> strip_accents("Noël à l'île")
    "Noel a l'ile"
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))

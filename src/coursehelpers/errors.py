"""Erreurs et avertissements du cours, tous rédigés en français.

Une :class:`DataError` dit *où* est le problème (fichier, colonne, ligne telle
qu'un tableur l'affiche) et *quoi* faire. Dans Jupyter, seul le message est
affiché (pas de longue trace Python) : c'est une erreur pour l'élève, pas un
bug à déboguer.
"""

from __future__ import annotations

from os import PathLike


def _location(path: str | PathLike[str] | None, column: str | None, line: int | None) -> str:
    parts = []
    if path is not None:
        parts.append(f"fichier « {path} »")
    if column is not None:
        parts.append(f"colonne « {column} »")
    if line is not None:
        parts.append(f"ligne {line}")
    return ", ".join(parts)


class DataError(ValueError):
    """Donnée illisible ou incohérente.

    Attributs
    ---------
    path : chemin du fichier concerné (ou ``None`` pour un DataFrame en mémoire)
    column : nom de la colonne fautive (ou ``None``)
    line : numéro de ligne 1-based, tel qu'un tableur l'affiche (en-tête = ligne 1),
        ou ``None``
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        column: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.column = column
        self.line = line
        where = _location(self.path, column, line)
        super().__init__(f"{where[:1].upper()}{where[1:]} : {message}" if where else message)

    def _render_traceback_(self) -> list[str]:
        """Affichage IPython : le message seul, sans trace Python."""
        return [f"\N{CROSS MARK} Erreur de données — {self}"]


class DataWarning(UserWarning):
    """Anomalie signalée sans bloquer (avoirs négatifs, dates futures...)."""

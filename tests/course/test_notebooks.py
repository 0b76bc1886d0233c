"""Chaque notebook du cours s'exécute dans un noyau neuf (un par notebook, en parallèle avec xdist).

- ``chapters/`` : les sorties enregistrées dans git doivent être reproduites à l'identique
  (régression pytest-notebook). Pour les régénérer après une modification volontaire :
  ``pytest tests/course/test_notebooks.py --nb-force-regen``.
- ``solutions/`` : exécution complète sans erreur (toutes les vérifications passent).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from pytest_notebook.nb_regression import NBRegressionFixture
from repo import CHAPTERS, SOLUTIONS

TIMEOUT = 180  # secondes par cellule : large, la suite entière reste sous 10 min

# Ce qui change à chaque exécution sans que la leçon change ; tout le reste est comparé.
DIFF_IGNORE = (
    # Traces d'erreur : pytest-notebook les ignore par défaut (une erreur fait échouer le test).
    "/cells/*/outputs/*/traceback",
    # Version exacte de Python/IPython de la machine qui exécute.
    "/metadata/language_info",
    # État des widgets : identifiants de modèles tirés au hasard à chaque exécution.
    "/metadata/widgets",
    "/cells/*/outputs/*/data/application/vnd.jupyter.widget-view+json",
    # Octets PNG : varient avec les versions de matplotlib/freetype (titres et axes sont testés
    # dans tests/plots/test_plots.py ; le texte « <Figure size ...> » reste comparé).
    "/cells/*/outputs/*/data/image/png",
    # Métadonnées d'exécution (horodatages ajoutés par certains frontends).
    "/cells/*/metadata/execution",
)
# Adresses mémoire dans les représentations d'objets (« at 0x7f... »).
DIFF_REPLACE = (("/cells/*/outputs", r"at 0x[0-9a-fA-F]+", "at 0x…"),)
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


@pytest.mark.notebook
@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_chapter_reproduces_its_outputs(path: Path, pytestconfig: pytest.Config) -> None:
    fixture = NBRegressionFixture(
        exec_timeout=TIMEOUT,
        exec_cwd=str(path.parent),
        exec_env=KERNEL_ENV,
        diff_ignore=DIFF_IGNORE,
        diff_replace=DIFF_REPLACE,
        diff_use_color=False,
        force_regen=bool(pytestconfig.getoption("nb_force_regen")),
    )
    fixture.check(str(path))


@pytest.mark.notebook
@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_solution_runs_without_error(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # lève CellExecutionError à la première cellule en échec


def test_every_chapter_has_stored_outputs() -> None:
    """Les chapitres sont versionnés exécutés : GitHub et l'export HTML montrent les résultats."""
    assert CHAPTERS, "aucun notebook dans chapters/"
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
        missing = [i for i, c in enumerate(code) if c.execution_count is None]
        assert not missing, f"{path.name} : cellules de code jamais exécutées {missing}"

"""Interface en ligne de commande : ``coursehelpers <commande>`` (= ``python -m coursehelpers``).

Commandes :

- ``ouvrir``          lance JupyterLab sur le cours (chapitre 00 ouvert) ;
- ``donnees``         régénère les jeux de données embarqués (graine fixe) ;
- ``build-exercises`` et ``grade`` : voir :mod:`coursehelpers.grading`.

Aucune commande n'écrase un fichier existant sans option explicite (``--force``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

# Chaque module enregistre ses sous-commandes : register(subparsers) -> None.
# Les modules sont importés seulement quand la commande est appelée.
_EXTRA_COMMANDS = ["coursehelpers.grading.cli"]


def find_course_root(start: Path | None = None) -> Path:
    """Dossier du cours (celui qui contient ``chapters/``), en remontant depuis ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "chapters").is_dir() and (folder / "datasets").is_dir():
            return folder
    source_checkout = Path(__file__).resolve().parents[2]
    if (source_checkout / "chapters").is_dir():
        return source_checkout
    raise SystemExit(
        "Dossier du cours introuvable : placez-vous dans le dossier cloné "
        "(celui qui contient chapters/ et datasets/)."
    )


def _cmd_open(args: argparse.Namespace) -> int:
    root = find_course_root()
    first = root / "chapters" / "00_prise_en_main.ipynb"
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if first.exists():
        cmd.append(str(first.relative_to(root)))
    cmd += list(args.extra)
    print("Ouverture du cours dans JupyterLab :", " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=root)


def _cmd_datasets(args: argparse.Namespace) -> int:
    from coursehelpers import datasets

    out = Path(args.out)
    try:
        written = datasets.write(out, seed=args.seed, overwrite=args.force)
    except FileExistsError as err:
        print(err, file=sys.stderr)
        return 1
    for path in written:
        print(f"écrit : {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursehelpers",
        description="GRC en notebooks : ouvrir le cours, régénérer les données, "
        "générer et corriger les exercices.",
    )
    sub = parser.add_subparsers(dest="command", metavar="<commande>")

    p_open = sub.add_parser("ouvrir", aliases=["lab"],
                            help="lancer JupyterLab sur le cours (options en plus transmises à JupyterLab)")
    p_open.set_defaults(func=_cmd_open, accepts_extra=True)

    p_data = sub.add_parser("donnees", aliases=["datasets"],
                            help="régénérer les CSV embarqués avec le générateur à graine fixe")
    p_data.add_argument("--out", default="datasets", help="dossier de sortie (défaut : datasets)")
    p_data.add_argument("--seed", type=int, default=None, help="graine (défaut : celle du cours)")
    p_data.add_argument("--force", action="store_true",
                        help="autoriser l'écrasement de fichiers existants")
    p_data.set_defaults(func=_cmd_datasets)

    for module_name in _EXTRA_COMMANDS:
        register: Callable[[argparse._SubParsersAction], None]
        module = __import__(module_name, fromlist=["register"])
        register = module.register
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra", False):
        parser.error("arguments non reconnus : " + " ".join(extra))
    args.extra = extra  # options transmises telles quelles à JupyterLab (`ouvrir --no-browser`)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

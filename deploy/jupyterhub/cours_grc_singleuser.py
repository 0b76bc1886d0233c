"""Démarrage du serveur d'un élève sur JupyterHub : le cours d'abord, JupyterLab ensuite.

1. ``coursehelpers.workspace.prepare_workspace`` installe ou met à jour le cours dans ``~/cours-grc``
   (chapitres, cahiers sans solutions, fiche des données) : une leçon nouvelle ou mise à jour arrive à
   chaque démarrage ; un fichier modifié par l'élève n'est jamais remplacé (la nouvelle version est écrite
   à côté, ``…mise-a-jour.ipynb``). C'est la même mise à jour que ``coursehelpers ouvrir``.
2. ``jupyterhub-singleuser`` remplace ce processus (même PID, arrêté par le hub comme d'habitude),
   avec l'interface en français (réglages par défaut ``fr_FR`` ; un choix de l'élève dans
   Paramètres → Langue reste prioritaire).

Un incident sur l'étape 1 (disque plein…) est écrit dans le journal du serveur mais n'empêche pas
l'élève d'ouvrir ses fichiers.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def prepare_course(home: Path) -> None:
    from coursehelpers import workspace

    report = workspace.prepare_workspace(home / workspace.DEFAULT_FOLDER)
    for line in report.messages():
        print(f"[cours-grc] {line}", flush=True)


def french_settings() -> str:
    """Dossier de réglages JupyterLab : ceux de l'installation + langue française par défaut."""
    from coursehelpers import _lab

    folder = Path(tempfile.mkdtemp(prefix="cours-grc-lab-"))
    return str(_lab.lab_settings_dir(folder))


def main(argv: list[str]) -> None:
    home = Path(os.environ.get("HOME") or Path.home())
    try:
        prepare_course(home)
    except Exception as exc:  # le serveur démarre quand même : l'élève garde l'accès à ses fichiers
        print(f"[cours-grc] Cours non mis à jour : {exc}", file=sys.stderr, flush=True)
    args = ["jupyterhub-singleuser"]
    try:
        args.append(f"--LabApp.app_settings_dir={french_settings()}")
    except Exception as exc:  # pragma: no cover - JupyterLab absent ou illisible
        print(f"[cours-grc] Réglages français non appliqués : {exc}", file=sys.stderr, flush=True)
    args += argv
    exe = Path(sys.executable).with_name("jupyterhub-singleuser")
    os.execv(str(exe) if exe.is_file() else sys.executable,
             args if exe.is_file() else [sys.executable, "-m", "jupyterhub.singleuser", *args[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])

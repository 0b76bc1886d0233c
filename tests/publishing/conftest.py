"""Le site du cours, construit une seule fois par session depuis une copie propre du dépôt.

La copie ne contient que les fichiers suivis par git (``git ls-files``) des dossiers que le site
lit : rien d'une exécution précédente ni d'un fichier non committé ne peut servir. La
construction tourne avec un mandataire HTTP(S) mort : un téléchargement pendant la construction
échouerait au lieu de passer inaperçu.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from repo import ROOT

SITE_INPUTS = ["chapters", "exercises", "datasets/README.md", "docs", "README.md"]


def _clean_checkout(target: Path) -> Path:
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", *SITE_INPUTS],
                                capture_output=True, check=True).stdout.decode().split("\0")
        files = [f for f in listed if f]
    except (OSError, subprocess.CalledProcessError):  # archive sans git : les dossiers tels quels
        files = [str(p.relative_to(ROOT)) for name in SITE_INPUTS for p in
                 ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*")) if p.is_file()]
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    (target / "datasets").mkdir(exist_ok=True)
    return target


@contextlib.contextmanager
def _shared(tmp_path_factory: pytest.TempPathFactory, name: str):
    """Un dossier commun aux processus pytest-xdist d'une même exécution, pris à tour de rôle.

    Le site n'est construit qu'une fois par exécution (pas une fois par processus) : le premier
    qui prend le verrou le construit, les autres le réutilisent.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # dossier commun à tous les processus de l'exécution
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows : pas de partage, chaque processus construit le sien
        yield folder
        return
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with _shared(tmp_path_factory, "depot-propre") as folder:
        if not (folder / "chapters").is_dir():
            _clean_checkout(folder)
    return folder


@pytest.fixture(scope="session")
def built_site(course_copy: Path, tmp_path_factory: pytest.TempPathFactory):
    pytest.importorskip("sphinx", reason="extra [site] absent (pip install -e '.[site]')")
    from coursehelpers.publishing.site import SiteBuild, build_site

    with _shared(tmp_path_factory, "site") as folder:
        done = folder / "construit.json"
        if done.exists():
            data = json.loads(done.read_text(encoding="utf-8"))
            return SiteBuild(out=Path(data["out"]), pages=data["pages"],
                             downloads={k: Path(v) for k, v in data["downloads"].items()},
                             seconds=data["seconds"])
        result = _build(course_copy, folder / "site", build_site)
        done.write_text(json.dumps({"out": str(result.out), "pages": result.pages, "seconds": result.seconds,
                                    "downloads": {k: str(v) for k, v in result.downloads.items()}}),
                        encoding="utf-8")
        return result


def _build(course_copy: Path, out: Path, build_site):
    dead_proxy = "http://127.0.0.1:9"
    saved = {k: os.environ.get(k) for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
    os.environ.update({k: dead_proxy for k in saved})
    try:
        result = build_site(out, root=course_copy)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    print(f"\nsite construit en {result.seconds:.1f} s")
    return result

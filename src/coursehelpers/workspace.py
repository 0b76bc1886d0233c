"""Espace de travail de l'élève : le cours copié dans un dossier à lui, sans les solutions.

``coursehelpers ouvrir`` appelle :func:`prepare_workspace` avant de lancer JupyterLab :

- dans le dossier cloné du dépôt (formateur), rien n'est copié : le dépôt est ouvert tel quel ;
- ailleurs, le dossier ``cours-grc/`` (ou celui de ``--dossier``) reçoit les chapitres (``chapters/``), les
  cahiers d'exercices sans solutions (``exercises/``), la fiche des données (``datasets/README.md``) et un
  ``LISEZ-MOI.md``. Les sources sont celles du paquet installé (la roue ne contient ni ``solutions/`` ni les
  tests cachés) ou, en installation éditable, celles du dépôt.

Mise à jour sans rien perdre. Le manifeste ``.coursehelpers/manifeste.json`` retient l'empreinte SHA-256
de chaque fichier installé. À la relance :

- fichier absent → copié (nouvelle leçon) ;
- fichier identique à ce qui avait été installé → remplacé par la nouvelle version s'il y en a une ;
- fichier modifié par l'élève → **jamais remplacé** : la nouvelle version est écrite à côté
  (``06_rfm.mise-a-jour.ipynb``) et l'élève en est averti en français.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

#: Dossier créé dans le dossier courant quand ni ``--dossier`` ni un espace existant ne sont trouvés.
DEFAULT_FOLDER = "cours-grc"
#: Manifeste des fichiers installés (dossier caché : JupyterLab ne l'affiche pas).
MANIFEST = Path(".coursehelpers") / "manifeste.json"
#: Notebook ouvert au démarrage.
FIRST_NOTEBOOK = "chapters/00_prise_en_main.ipynb"
#: Suffixe de la copie à jour écrite à côté d'un fichier modifié par l'élève.
UPDATE_SUFFIX = ".mise-a-jour"

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]


@dataclass
class WorkspaceReport:
    """Ce que :func:`prepare_workspace` a fait, fichier par fichier (chemins relatifs à ``root``)."""

    root: Path
    created: bool = False
    repository: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # fichier modifié par l'élève -> copie à jour
    unchanged: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Les lignes à afficher à l'élève, en français."""
        if self.repository:
            return [f"Dossier du cours (dépôt cloné) : {self.root}"]
        lines = [f"Espace de travail du cours {'créé' if self.created else 'ouvert'} : {self.root}"]
        if not self.created:
            lines += [f"  nouveau : {path}" for path in self.added]
        lines += [f"  mis à jour : {path}" for path in self.updated]
        for path, copy in self.kept.items():
            lines.append(f"  Vous avez modifié {path} : il n'est pas remplacé. "
                         f"La nouvelle version est à côté : {copy}")
        return lines


def course_files() -> dict[str, Path]:
    """Fichiers à installer dans un espace élève : chemin relatif dans l'espace → fichier source.

    Chapitres, exercices (versions élèves), fiche des données et ``LISEZ-MOI.md`` ; jamais ``solutions/``.
    """
    packaged = resources.files("coursehelpers") / "_course"
    base = Path(str(packaged))
    if (base / "chapters").is_dir():  # paquet installé depuis la roue
        chapters, exercises = base / "chapters", base / "exercises"
        card = Path(str(resources.files("coursehelpers") / "_data" / "README.md"))
    else:  # installation éditable : le dépôt
        chapters, exercises = _CHECKOUT / "chapters", _CHECKOUT / "exercises"
        card = _CHECKOUT / "datasets" / "README.md"
    files = {f"chapters/{p.name}": p for p in sorted(chapters.glob("*.ipynb"))}
    files.update({f"exercises/{p.name}": p for p in sorted(exercises.glob("*.ipynb"))})
    if not files:
        raise FileNotFoundError(
            "Notebooks du cours introuvables dans le paquet installé : réinstallez coursehelpers "
            "(pip install --force-reinstall coursehelpers-….whl)."
        )
    files["datasets/README.md"] = card
    files["LISEZ-MOI.md"] = base / "LISEZ-MOI.md"
    return files


def is_repository(folder: Path) -> bool:
    """Vrai pour le dossier cloné du dépôt (formateur) : ``chapters/``, ``solutions/`` et ``datasets/``."""
    return all((folder / name).is_dir() for name in ("chapters", "solutions", "datasets"))


def find_workspace(start: Path) -> Path | None:
    """Le dépôt ou l'espace de travail qui contient ``start`` (en remontant), sinon ``None``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_repository(folder) or (folder / MANIFEST).is_file():
            return folder
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomic(path: Path, data: bytes) -> None:
    """Écrit ``data`` dans ``path`` d'un coup (fichier temporaire puis renommage), droits habituels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _update_copy_name(rel: str, root: Path, new_hash: str, copies: dict[str, str]) -> str:
    """``chapters/06_rfm.ipynb`` → ``chapters/06_rfm.mise-a-jour.ipynb`` ; ``…mise-a-jour-2.ipynb``, etc.
    si cette place est prise par un fichier que l'élève a modifié (une copie à jour intacte est
    remplacée)."""
    path = Path(rel)
    for n in range(1, 1000):
        suffix = UPDATE_SUFFIX if n == 1 else f"{UPDATE_SUFFIX}-{n}"
        candidate = (path.parent / f"{path.stem}{suffix}{path.suffix}").as_posix()
        target = root / candidate
        if not target.exists():
            return candidate
        current = _sha256(target)
        if current in (new_hash, copies.get(candidate)):
            return candidate
    raise RuntimeError(f"trop de copies à jour pour {rel}")  # pragma: no cover


def _read_manifest(root: Path) -> dict:
    file = root / MANIFEST
    if not file.is_file():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # manifeste illisible : tout fichier présent est traité comme modifié par l'élève
    return data if isinstance(data, dict) else {}


def prepare_workspace(folder: Path | None = None, *, start: Path | None = None) -> WorkspaceReport:
    """Crée ou met à jour l'espace de travail de l'élève ; ne remplace jamais un fichier qu'il a modifié.

    Paramètres
    ----------
    folder : Path, optionnel
        Dossier de l'espace (option ``--dossier``). Par défaut : le dépôt ou l'espace qui contient
        ``start``, sinon ``start / "cours-grc"``.
    start : Path, optionnel
        Dossier de départ de la recherche (défaut : le dossier courant).

    Renvoie
    -------
    WorkspaceReport
        Le dossier à ouvrir et la liste des fichiers ajoutés, mis à jour ou conservés.

    Exemples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     report = prepare_workspace(pathlib.Path(tmp) / "cours")
    ...     (report.root / "chapters" / "00_prise_en_main.ipynb").is_file(), report.created
    (True, True)
    """
    start = (start or Path.cwd()).resolve()
    if folder is None:
        found = find_workspace(start)
        root = found if found is not None else start / DEFAULT_FOLDER
    else:
        root = Path(folder).expanduser().resolve()
    if is_repository(root):
        return WorkspaceReport(root=root, repository=True)

    manifest = _read_manifest(root)
    installed: dict[str, str] = dict(manifest.get("fichiers", {}))
    copies: dict[str, str] = dict(manifest.get("copies", {}))
    report = WorkspaceReport(root=root, created=not (root / MANIFEST).is_file())
    for rel, source in course_files().items():
        data = source.read_bytes()
        new_hash = hashlib.sha256(data).hexdigest()
        target = root / rel
        if not target.exists():
            _write_atomic(target, data)
            installed[rel] = new_hash
            report.added.append(rel)
            continue
        current = _sha256(target)
        if current == new_hash:  # déjà à jour (ou l'élève a la même version)
            installed[rel] = new_hash
            report.unchanged.append(rel)
        elif current == installed.get(rel):  # intact depuis l'installation : on met à jour
            _write_atomic(target, data)
            installed[rel] = new_hash
            report.updated.append(rel)
        else:  # modifié par l'élève : la nouvelle version va à côté
            copy = _update_copy_name(rel, root, new_hash, copies)
            if not (root / copy).is_file() or _sha256(root / copy) != new_hash:
                _write_atomic(root / copy, data)
                report.kept[rel] = copy
            copies[copy] = new_hash
    manifest = {"version": _version(), "fichiers": dict(sorted(installed.items())),
                "copies": dict(sorted(copies.items()))}
    _write_atomic(root / MANIFEST, (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode())
    return report


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coursehelpers")
    except PackageNotFoundError:  # pragma: no cover - dépôt sans installation
        return "inconnue"

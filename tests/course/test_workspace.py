"""L'espace de travail de l'élève et le serveur JupyterLab de ``coursehelpers ouvrir``.

- fichiers : création, relance idempotente, mise à jour des notebooks intacts, notebook modifié jamais
  remplacé (copie à jour à côté, message en français), dépôt cloné ouvert tel quel ;
- serveur (un vrai ``coursehelpers ouvrir`` dans un dossier temporaire) : l'espace est servi sans
  ``solutions/``, l'interface est en français d'après l'API du serveur, sans toucher aux réglages de
  l'utilisateur, l'adresse affichée ouvre le chapitre 00, démarrage en root, arrêt par SIGTERM et SIGINT
  sans aucun processus restant (serveur et noyaux) et port libéré.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from ouvrir import opened, pids_with, port_is_free
from repo import ROOT

from coursehelpers import _lab, workspace

FIRST = "chapters/00_prise_en_main.ipynb"


# ---------------------------------------------------------------------------------------------------------
# Fichiers de l'espace de travail
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def fake_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Une petite version du cours (deux chapitres, un exercice, la fiche) servie par course_files()."""
    src = tmp_path / "source"
    for rel, text in {"chapters/00_prise_en_main.ipynb": "chapitre 00 v1",
                      "chapters/02_relation_client.ipynb": "chapitre 02 v1",
                      "exercises/00_prise_en_main.ipynb": "exercice 00 v1",
                      "datasets/README.md": "fiche v1", "LISEZ-MOI.md": "lisez-moi v1"}.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")

    def files() -> dict[str, Path]:
        return {p.relative_to(src).as_posix(): p for p in sorted(src.rglob("*")) if p.is_file()}

    monkeypatch.setattr(workspace, "course_files", files)
    return src


def test_real_course_files_carry_no_solution() -> None:
    files = workspace.course_files()
    assert FIRST in files and "LISEZ-MOI.md" in files and "datasets/README.md" in files
    assert {p.name for p in (ROOT / "chapters").glob("*.ipynb")} == {
        Path(r).name for r in files if r.startswith("chapters/")}
    assert {p.name for p in (ROOT / "exercises").glob("*.ipynb")} == {
        Path(r).name for r in files if r.startswith("exercises/")}
    assert not any(r.startswith("solutions/") for r in files)
    for rel, source in files.items():
        text = source.read_text(encoding="utf-8")
        assert "### BEGIN SOLUTION" not in text and "### BEGIN HIDDEN TESTS" not in text, rel


def test_creates_the_workspace_in_the_current_folder(tmp_path: Path) -> None:
    home = tmp_path / "eleve"
    home.mkdir()
    report = workspace.prepare_workspace(start=home)
    root = home / workspace.DEFAULT_FOLDER
    assert report.root == root and report.created and not report.repository
    assert (root / FIRST).read_bytes() == (ROOT / FIRST).read_bytes()
    assert (root / "datasets" / "README.md").read_bytes() == (ROOT / "datasets" / "README.md").read_bytes()
    assert (root / "LISEZ-MOI.md").is_file()
    assert not (root / "solutions").exists()
    assert {p.name for p in (root / "exercises").iterdir()} == {
        p.name for p in (ROOT / "exercises").iterdir()}
    assert oct((root / FIRST).stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    manifest = json.loads((root / workspace.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["fichiers"]) == set(workspace.course_files())
    assert report.messages() == [f"Espace de travail du cours créé : {root}"]
    # Depuis un sous-dossier de l'espace : le même espace est réutilisé, rien à dire de plus.
    again = workspace.prepare_workspace(start=root / "chapters")
    assert again.root == root and not again.created
    assert not (again.added or again.updated or again.kept)
    assert again.messages() == [f"Espace de travail du cours ouvert : {root}"]


def test_inside_the_repository_opens_the_repository(tmp_path: Path) -> None:
    report = workspace.prepare_workspace(start=ROOT / "chapters")
    assert report.repository and report.root == ROOT
    assert not (ROOT / workspace.DEFAULT_FOLDER).exists() and not (ROOT / workspace.MANIFEST).exists()
    assert report.messages() == [f"Dossier du cours (dépôt cloné) : {ROOT}"]


def test_update_adds_new_lessons_and_never_overwrites_a_changed_notebook(fake_course: Path,
                                                                         tmp_path: Path) -> None:
    root = tmp_path / "mon-cours"
    workspace.prepare_workspace(root)
    # L'élève travaille dans le chapitre 00 ; il ne touche pas au chapitre 02.
    (root / "chapters" / "00_prise_en_main.ipynb").write_text("mes réponses", encoding="utf-8")
    # Nouvelle version du cours : 00 et 02 changent, un chapitre 03 arrive.
    (fake_course / "chapters" / "00_prise_en_main.ipynb").write_text("chapitre 00 v2", encoding="utf-8")
    (fake_course / "chapters" / "02_relation_client.ipynb").write_text("chapitre 02 v2", encoding="utf-8")
    (fake_course / "chapters" / "03_hierarchisation_services.ipynb").write_text("chapitre 03 v1",
                                                                                encoding="utf-8")
    report = workspace.prepare_workspace(root)
    assert (root / "chapters" / "00_prise_en_main.ipynb").read_text(encoding="utf-8") == "mes réponses"
    copy = "chapters/00_prise_en_main.mise-a-jour.ipynb"
    assert (root / copy).read_text(encoding="utf-8") == "chapitre 00 v2"
    assert (root / "chapters" / "02_relation_client.ipynb").read_text(encoding="utf-8") == "chapitre 02 v2"
    assert (root / "chapters" / "03_hierarchisation_services.ipynb").read_text(encoding="utf-8") == \
        "chapitre 03 v1"
    assert report.kept == {"chapters/00_prise_en_main.ipynb": copy}
    assert report.updated == ["chapters/02_relation_client.ipynb"]
    assert report.added == ["chapters/03_hierarchisation_services.ipynb"]
    messages = "\n".join(report.messages())
    assert ("Vous avez modifié chapters/00_prise_en_main.ipynb : il n'est pas remplacé. "
            f"La nouvelle version est à côté : {copy}") in messages
    assert "nouveau : chapters/03_hierarchisation_services.ipynb" in messages
    assert "mis à jour : chapters/02_relation_client.ipynb" in messages

    # Relance sans nouvelle version : rien ne bouge, rien n'est redit.
    quiet = workspace.prepare_workspace(root)
    assert not (quiet.added or quiet.updated or quiet.kept)
    assert (root / "chapters" / "00_prise_en_main.ipynb").read_text(encoding="utf-8") == "mes réponses"

    # v3 : la copie à jour, intacte, est remplacée ; si l'élève l'a modifiée, une 2e copie est écrite.
    (fake_course / "chapters" / "00_prise_en_main.ipynb").write_text("chapitre 00 v3", encoding="utf-8")
    workspace.prepare_workspace(root)
    assert (root / copy).read_text(encoding="utf-8") == "chapitre 00 v3"
    (root / copy).write_text("je travaille aussi ici", encoding="utf-8")
    (fake_course / "chapters" / "00_prise_en_main.ipynb").write_text("chapitre 00 v4", encoding="utf-8")
    report = workspace.prepare_workspace(root)
    second = "chapters/00_prise_en_main.mise-a-jour-2.ipynb"
    assert report.kept == {"chapters/00_prise_en_main.ipynb": second}
    assert (root / copy).read_text(encoding="utf-8") == "je travaille aussi ici"
    assert (root / second).read_text(encoding="utf-8") == "chapitre 00 v4"
    assert (root / "chapters" / "00_prise_en_main.ipynb").read_text(encoding="utf-8") == "mes réponses"


def test_a_file_already_there_is_never_overwritten(fake_course: Path, tmp_path: Path) -> None:
    """Un dossier existant (sans manifeste) : ses fichiers sont à l'élève, même s'ils portent nos noms."""
    root = tmp_path / "dossier"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "00_prise_en_main.ipynb").write_text("à moi", encoding="utf-8")
    report = workspace.prepare_workspace(root)
    assert (root / "chapters" / "00_prise_en_main.ipynb").read_text(encoding="utf-8") == "à moi"
    assert report.kept == {"chapters/00_prise_en_main.ipynb": "chapters/00_prise_en_main.mise-a-jour.ipynb"}
    # Fichier supprimé par l'élève : il est remis en place (rien n'est écrasé).
    (root / "chapters" / "02_relation_client.ipynb").unlink()
    assert workspace.prepare_workspace(root).added == ["chapters/02_relation_client.ipynb"]


def test_lab_command_adds_allow_root_only_for_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_lab, "_is_root", lambda: True)
    cmd = _lab.lab_command(tmp_path, FIRST, tmp_path / "settings", ["--port=9999"])
    assert "--allow-root" in cmd and cmd[-1] == "--port=9999"
    assert f"--LabApp.default_url=/lab/tree/{FIRST}" in cmd
    assert _lab.lab_command(tmp_path, FIRST, tmp_path, ["--allow-root"]).count("--allow-root") == 1
    monkeypatch.setattr(_lab, "_is_root", lambda: False)
    assert "--allow-root" not in _lab.lab_command(tmp_path, FIRST, tmp_path / "settings", [])
    # Les options de l'utilisateur passent après les nôtres (elles l'emportent) et en remplacent certaines.
    cmd = _lab.lab_command(tmp_path, FIRST, tmp_path, ["--log-level=DEBUG", "--LabApp.default_url=/lab"])
    assert "--LabApp.log_level=WARN" not in cmd and "--ServerApp.log_level=WARN" not in cmd
    assert not any(a.startswith("--LabApp.default_url=/lab/tree") for a in cmd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------------------------
# Le vrai serveur
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_ouvrir_serves_the_workspace_in_french_and_stops_on_sigterm(tmp_path: Path) -> None:
    with opened(tmp_path, tmp_path / "eleve") as lab:
        root = lab.home / workspace.DEFAULT_FOLDER
        output = "".join(lab.lines)
        assert f"Espace de travail du cours créé : {root}" in output
        if os.geteuid() == 0:  # la CI tourne en root : démarrage avec --allow-root, dit en une ligne
            assert ("Vous êtes administrateur (root) : JupyterLab démarre avec l'option --allow-root."
                    in output)
        assert "Running as root is not recommended" not in output
        assert "[I " not in output  # pas de journal d'information anglais, seulement nos lignes
        # L'adresse affichée ouvre le chapitre 00 (et la page répond).
        assert lab.url.startswith(f"http://127.0.0.1:{lab.port}/lab/tree/{FIRST}?token=")
        with urllib.request.urlopen(lab.url, timeout=10) as resp:
            assert resp.status == 200
        # L'API du serveur : l'espace, sans solutions.
        listing = {item["name"] for item in lab.api("/api/contents")["content"]}
        assert {"chapters", "exercises", "datasets", "LISEZ-MOI.md"} <= listing
        assert "solutions" not in listing and not any("solution" in n for n in listing)
        chapters = {item["name"] for item in lab.api("/api/contents/chapters")["content"]}
        assert "00_prise_en_main.ipynb" in chapters
        # Français actif dans CE serveur, d'après son API : la valeur par défaut de la langue (ce que
        # l'interface applique quand l'utilisateur n'a rien choisi) et le paquet de langue servi.
        translation = lab.api("/lab/api/settings/@jupyterlab/translation-extension:plugin")
        assert translation["schema"]["properties"]["locale"]["default"] == "fr_FR"
        assert "locale" not in translation["settings"]  # aucun choix de l'utilisateur n'a été écrit
        packs = lab.api("/lab/api/translations")["data"]
        assert "fr_FR" in packs
        french = lab.api("/lab/api/translations/fr_FR")["data"]["jupyterlab"]
        assert french["menu\x04Kernel"] == ["Noyau"] and french["menu\x04File"] == ["Fichier"]
        news = lab.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]
        assert news["properties"]["fetchNews"]["default"] == "false"
        # … sans rien écrire dans les réglages de l'utilisateur.
        user_settings = Path(lab.env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings"
        assert not list(user_settings.rglob("*.jupyterlab-settings"))
        # Un noyau tourne (comme quand l'élève a ouvert un notebook).
        kernel = lab.api("/api/kernels", "POST", {"name": "python3"})
        deadline = time.monotonic() + 30
        while not pids_with(kernel["id"]):
            assert time.monotonic() < deadline, "le noyau n'a pas démarré"
            time.sleep(0.2)
        server_pids = [p for p in pids_with("-m jupyterlab") if p in pids_with(str(root))]
        assert len(server_pids) == 1

        lab.proc.send_signal(signal.SIGTERM)
        rest, _ = lab.proc.communicate(timeout=30)
        assert lab.proc.returncode == 0
        assert "JupyterLab est arrêté." in rest
        assert not pids_with(kernel["id"]), "un noyau a survécu à l'arrêt"
        assert not [p for p in server_pids if Path(f"/proc/{p}").exists()], "le serveur a survécu"
        assert not pids_with(str(root)), "un processus de l'espace a survécu"
        assert port_is_free(lab.port)


@pytest.mark.slow
def test_ouvrir_stops_on_sigint_and_reuses_a_modified_workspace(tmp_path: Path) -> None:
    """Ctrl + C (SIGINT) : tout s'arrête. Relance : le notebook modifié par l'élève est gardé."""
    home = tmp_path / "eleve"
    root = home / workspace.DEFAULT_FOLDER
    workspace.prepare_workspace(root)
    (root / FIRST).write_text('{"mes": "réponses"}', encoding="utf-8")
    manifest = json.loads((root / workspace.MANIFEST).read_text(encoding="utf-8"))
    manifest["fichiers"][FIRST] = "0" * 64  # « installé » dans une version plus ancienne
    (root / workspace.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    # Relance depuis un autre dossier, avec --dossier.
    with opened(tmp_path, tmp_path / "ailleurs", f"--dossier={root}") as lab:
        output = "".join(lab.lines)
        assert f"Espace de travail du cours ouvert : {root}" in output
        assert f"Vous avez modifié {FIRST} : il n'est pas remplacé." in output
        assert not (tmp_path / "ailleurs" / workspace.DEFAULT_FOLDER).exists()
        listing = {item["name"] for item in lab.api("/api/contents/chapters")["content"]}
        assert {"00_prise_en_main.ipynb", "00_prise_en_main.mise-a-jour.ipynb"} <= listing
        lab.proc.send_signal(signal.SIGINT)
        rest, _ = lab.proc.communicate(timeout=30)
        assert lab.proc.returncode == 0 and "JupyterLab est arrêté." in rest
        assert not pids_with(str(root)), "un processus de l'espace a survécu"
        assert port_is_free(lab.port)
    assert (root / FIRST).read_text(encoding="utf-8") == '{"mes": "réponses"}'


def test_ouvrir_help_lists_its_options_in_french() -> None:
    out = subprocess.run([sys.executable, "-m", "coursehelpers", "ouvrir", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("utilisation : coursehelpers ouvrir [-h] [--dossier DOSSIER]")
    assert "--dossier DOSSIER" in out and "dossier de l'espace de travail" in out
    assert "options :" in out and "afficher cette aide et quitter" in out
    assert "Les autres options sont transmises à JupyterLab" in out
    assert "usage:" not in out and "show this help" not in out


def test_unwritable_folder_gives_a_french_message(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from coursehelpers import cli

    def refuse(folder=None, **kwargs):
        raise PermissionError(13, "Permission denied", "/salle-info/cours-grc")

    monkeypatch.setattr(workspace, "prepare_workspace", refuse)
    assert cli.main(["ouvrir"]) == 1
    err = capsys.readouterr().err
    assert "Écriture impossible dans « /salle-info/cours-grc » (droits insuffisants)" in err
    assert "--dossier" in err and "Permission denied" not in err


def test_server_settings_copy_the_installation_and_add_french(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    from jupyterlab.commands import get_app_dir

    assert _lab.app_directory() == Path(get_app_dir())
    app = tmp_path / "lab"
    (app / "settings").mkdir(parents=True)
    (app / "static").mkdir()
    page_config = '{"disabledExtensions": {"x": true}}'
    (app / "settings" / "page_config.json").write_text(page_config, encoding="utf-8")
    (app / "static" / "package.json").write_text('{"jupyterlab": {}}', encoding="utf-8")
    before = {p: p.read_bytes() for p in app.rglob("*") if p.is_file()}
    monkeypatch.setenv("JUPYTERLAB_DIR", str(app))
    assert _lab.app_directory() == app.resolve()
    settings = _lab.lab_settings_dir(tmp_path / "serveur")
    assert (settings / "page_config.json").read_text(encoding="utf-8") == page_config
    assert (settings.parent / "static" / "package.json").is_file()
    overrides = json.loads((settings / "overrides.d" / "zz-coursehelpers.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "fr_FR"}
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert {p: p.read_bytes() for p in app.rglob("*") if p.is_file()} == before  # installation intacte

"""Le paquet s'installe, s'importe léger, et sa ligne de commande répond."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from repo import ROOT

import coursehelpers
from coursehelpers.errors import DataError

HEAVY = ("matplotlib", "ipywidgets", "sklearn", "duckdb")
CONCEPT_MODULES = ("datasets", "crm_export", "rfm", "pareto", "tiers", "segmentation", "kpis", "clv",
                   "display")


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_is_light() -> None:
    loaded = _loaded_after("import coursehelpers")
    for name in (*HEAVY, "pandas", "pyarrow"):
        assert name not in loaded, f"`import coursehelpers` charge {name}"


@pytest.mark.parametrize("module", CONCEPT_MODULES)
def test_concept_modules_do_not_import_plotting_or_widgets(module: str) -> None:
    home = ROOT / "src" / "coursehelpers"
    if not ((home / f"{module}.py").exists() or (home / module / "__init__.py").exists()):
        pytest.fail(f"module coursehelpers.{module} absent")
    loaded = _loaded_after(f"import coursehelpers.{module}")
    for name in HEAVY:
        assert name not in loaded, f"coursehelpers.{module} charge {name} à l'import"


def test_lazy_submodule_access() -> None:
    assert coursehelpers.errors.DataError is DataError
    with pytest.raises(AttributeError):
        coursehelpers.does_not_exist  # noqa: B018


def test_data_error_names_file_column_and_line() -> None:
    err = DataError("valeur non numérique « abc ».", path="ventes.csv", column="montant", line=7)
    assert isinstance(err, ValueError)
    assert (err.path, err.column, err.line) == ("ventes.csv", "montant", 7)
    assert str(err) == "Fichier « ventes.csv », colonne « montant », ligne 7 : valeur non numérique « abc »."
    assert err._render_traceback_() == [f"❌ Erreur de données — {err}"]
    assert str(DataError("simple")) == "simple"


VERBS = {"ouvrir": "open", "donnees": "data", "exercices": "build-exercises", "corriger": "grade"}
ENGLISH_ARGPARSE = ("usage:", "positional arguments", "show this help message", "optional arguments",
                    "options:", "error:", "required:")


@pytest.mark.parametrize("cmd", [[sys.executable, "-m", "coursehelpers", "--help"],
                                 [str(Path(sys.executable).with_name("coursehelpers")), "--help"]])
def test_cli_help_in_french(cmd: list[str]) -> None:
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for verb, alias in VERBS.items():
        assert f"{verb} ({alias})" in out
    assert out.startswith("utilisation : coursehelpers")
    assert "options :" in out and "afficher cette aide et quitter" in out
    for english in ENGLISH_ARGPARSE:
        assert english not in out, english


@pytest.mark.parametrize(("verb", "alias"), VERBS.items())
def test_every_sub_command_has_french_help_and_english_alias(verb: str, alias: str) -> None:
    from coursehelpers import cli

    helps = []
    for name in (verb, alias):
        with pytest.raises(SystemExit) as stop, contextlib.redirect_stdout(io.StringIO()) as out:
            cli.main([name, "--help"])
        assert stop.value.code == 0
        helps.append(out.getvalue())
    french, english = helps
    assert french.startswith(f"utilisation : coursehelpers {verb}")
    assert "options :" in french and "afficher cette aide et quitter" in french
    assert english == french  # l'alias anglais mène à la même commande (même aide, en français)
    for word in ENGLISH_ARGPARSE:
        assert word not in french, word


def test_cli_errors_in_french() -> None:
    run = subprocess.run([sys.executable, "-m", "coursehelpers", "corriger"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "coursehelpers corriger : erreur : arguments obligatoires manquants : --assignment" in run.stderr
    run = subprocess.run([sys.executable, "-m", "coursehelpers", "donnees", "--seed", "x", "--inconnue"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "valeur invalide" in run.stderr
    run = subprocess.run([sys.executable, "-m", "coursehelpers", "donnees", "--inconnue"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "arguments non reconnus : --inconnue" in run.stderr
    for word in ENGLISH_ARGPARSE:
        assert word not in run.stderr, word


def test_one_cli_module_without_plugin_registry() -> None:
    source = (ROOT / "src" / "coursehelpers" / "cli.py").read_text(encoding="utf-8")
    assert "__import__" not in source and "importlib" not in source
    assert not (ROOT / "src" / "coursehelpers" / "grading" / "cli.py").exists()
    main = (ROOT / "src" / "coursehelpers" / "__main__.py").read_text(encoding="utf-8")
    assert "from coursehelpers.cli import main" in main


def test_cli_donnees_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "clients.csv").write_text("mes données\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "coursehelpers", "donnees", "--out", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "--force" in run.stderr + run.stdout
    assert (tmp_path / "clients.csv").read_text(encoding="utf-8") == "mes données\n"


def _readme_commands(readme: str) -> dict[str, str]:
    return dict(re.findall(r"<!-- commande: ([a-z-]+) -->\n```bash\n(.+)\n```", readme))


def test_readme_has_exactly_two_named_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- commande:") == 2
    commands = _readme_commands(readme)
    assert set(commands) == {"installer-ouvrir", "tests"}, commands
    assert "coursehelpers ouvrir" in commands["installer-ouvrir"]
    assert "pytest" in commands["tests"]


def test_ci_runs_the_readme_test_command_found_by_its_marker(tmp_path: Path) -> None:
    """.ci/run trouve la commande par son marqueur nommé, pas par sa place dans le README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = _readme_commands(readme)["tests"]
    assert subprocess.run(["bash", str(ROOT / ".ci" / "run"), "--afficher"], capture_output=True,
                          text=True, check=True).stdout == test_command + "\n"
    # Un README où le bloc des tests vient en premier, suivi d'autres blocs bash.
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "run").write_text((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    (tmp_path / "README.md").write_text(
        "# Essai\n\n<!-- commande: tests -->\n```bash\necho tests-ok\n```\n\n"
        "<!-- commande: installer-ouvrir -->\n```bash\necho installer\n```\n\n```bash\necho autre\n```\n",
        encoding="utf-8")
    shown = subprocess.run(["bash", str(tmp_path / ".ci" / "run"), "--afficher"], capture_output=True,
                           text=True, check=True).stdout
    assert shown == "echo tests-ok\n"
    ran = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True, check=True,
                         env={**os.environ, "PATH": os.environ["PATH"]})
    assert ran.stdout.strip().splitlines()[-1] == "tests-ok"
    # Sans le marqueur : échec clair, rien n'est exécuté.
    (tmp_path / "README.md").write_text("```bash\necho tests-ok\n```\n", encoding="utf-8")
    missing = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True)
    assert missing.returncode == 2 and "commande: tests" in missing.stderr
    assert "tests-ok" not in missing.stdout


def test_open_command_starts_jupyterlab_on_the_course(tmp_path: Path) -> None:
    """Commande 1 du README : `coursehelpers ouvrir` lance JupyterLab à la racine du cours."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    args = [sys.executable, "-m", "coursehelpers", "ouvrir", "--no-browser", f"--port={port}",
            "--ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password="]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/contents/chapters"
                with urllib.request.urlopen(url, timeout=2) as resp:
                    listing = json.load(resp)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "JupyterLab n'a pas démarré en 60 s"
                time.sleep(0.5)
        names = {item["name"] for item in listing["content"]}
        assert "00_prise_en_main.ipynb" in names
        assert not (ROOT / "cours-grc").exists()  # dans le dépôt cloné : le dépôt, pas d'espace élève
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


# ---------------------------------------------------------------------------------------------------------
# La roue de l'élève : le cours, jamais les solutions
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """La roue construite depuis le dépôt (hors ligne : hatchling déjà installé)."""
    import importlib.util

    dist = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        build.insert(4, "--no-isolation")
    done = subprocess.run(build, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = dist.glob("coursehelpers-*.whl")
    return found


def _hidden_blocks() -> list[str]:
    """Le texte des tests cachés et des solutions de chaque notebook solutions/ (lignes significatives)."""
    blocks = []
    for notebook in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            for kind in ("HIDDEN TESTS", "SOLUTION"):
                for block in re.findall(rf"### BEGIN {kind}\n(.*?)### END {kind}", source, flags=re.S):
                    if len(block.strip()) > 40:
                        blocks.append(block.strip())
    return blocks


@pytest.mark.slow
def test_wheel_carries_the_course_and_never_the_solutions(wheel: Path) -> None:
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        contents = {n: archive.read(n).decode("utf-8", errors="replace") for n in names
                    if not n.endswith(".py") and not n.endswith(".csv")}
    course = "coursehelpers/_course/"
    assert {n.removeprefix(course + "chapters/") for n in names if n.startswith(course + "chapters/")} == {
        p.name for p in (ROOT / "chapters").glob("*.ipynb")}
    assert {n.removeprefix(course + "exercises/") for n in names if n.startswith(course + "exercises/")} == {
        p.name for p in (ROOT / "exercises").glob("*.ipynb")}
    assert course + "LISEZ-MOI.md" in names and "coursehelpers/_data/README.md" in names
    assert not [n for n in names if "solution" in n.lower() or n.startswith("tests/")], names
    solutions = {p.read_text(encoding="utf-8") for p in (ROOT / "solutions").glob("*.ipynb")}
    hidden = _hidden_blocks()
    assert len(hidden) > 20  # le contrôle porte bien sur les tests cachés et solutions des cahiers
    for name, text in contents.items():
        assert text not in solutions, f"{name} est un notebook solution"
        if name.startswith(course):  # (le README de la roue, lui, cite les marqueurs pour les expliquer)
            assert "### BEGIN HIDDEN TESTS" not in text and "### BEGIN SOLUTION" not in text, name
        for block in hidden:
            assert block not in text, f"{name} contient un test caché ou une solution :\n{block[:200]}"


@pytest.mark.slow
def test_workspace_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    """Installée seule (sans le dépôt), la roue suffit à créer l'espace de travail de l'élève."""
    import sysconfig

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.run([str(python), "-c", purelib], capture_output=True, text=True,
                               check=True).stdout.strip())
    # Dépendances prises dans le venv courant ; son installation éditable (.pth) n'est pas exécutée.
    (site / "venv_courant.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "--disable-pip-version-check", "-q", str(wheel)], check=True, timeout=180)
    home = tmp_path / "eleve"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    probe = ("import json, coursehelpers; from coursehelpers import workspace; "
             "r = workspace.prepare_workspace(); "
             "print(json.dumps([coursehelpers.__file__, str(r.root), r.added, "
             "sorted({str(p.parent) for p in workspace.course_files().values()})]))")
    done = subprocess.run([str(python), "-c", probe], cwd=home, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    module, root, added, sources = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(module).resolve().is_relative_to(venv.resolve())
    for folder in sources:  # tout vient de la roue installée, rien du dépôt
        assert Path(folder).resolve().is_relative_to((site / "coursehelpers").resolve()), folder
    root = Path(root)
    assert root == home / "cours-grc"
    assert (root / "chapters" / "00_prise_en_main.ipynb").read_bytes() == (
        ROOT / "chapters" / "00_prise_en_main.ipynb").read_bytes()
    assert sorted(p.name for p in (root / "exercises").iterdir()) == sorted(
        p.name for p in (ROOT / "exercises").iterdir())
    assert (root / "LISEZ-MOI.md").is_file() and (root / "datasets" / "README.md").is_file()
    assert not (root / "solutions").exists()
    assert len(added) == len(list((ROOT / "chapters").glob("*.ipynb"))) + len(
        list((ROOT / "exercises").glob("*.ipynb"))) + 2

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
    for name in (*HEAVY, "pandas"):
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
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()

"""Le paquet s'installe, s'importe léger, et sa ligne de commande répond."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize("cmd", [[sys.executable, "-m", "coursehelpers", "--help"],
                                 [str(Path(sys.executable).with_name("coursehelpers")), "--help"]])
def test_cli_help_in_french(cmd: list[str]) -> None:
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for sub in ("ouvrir", "donnees", "build-exercises", "grade"):
        assert sub in out


def test_cli_donnees_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "clients.csv").write_text("mes données\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "coursehelpers", "donnees", "--out", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "--force" in run.stderr + run.stdout
    assert (tmp_path / "clients.csv").read_text(encoding="utf-8") == "mes données\n"


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"<!-- commande -->\n```bash\n(.+)\n```", readme)
    assert len(commands) == 2, commands
    assert "jupyter" in commands[0] or "ouvrir" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- commande -->" in ci and "tail -n 1" in ci  # .ci/run extrait la 2e commande du README


def test_open_command_starts_jupyterlab_on_the_course(tmp_path: Path) -> None:
    """Commande 1 du README : `coursehelpers ouvrir` lance JupyterLab à la racine du cours."""
    import os
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

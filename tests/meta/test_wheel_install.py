"""Les données se chargent depuis une roue installée, pas seulement depuis le dépôt."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from repo import ROOT

from coursehelpers import datasets as ds


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kwargs)
    assert done.returncode == 0, f"échec de {cmd}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_wheel_install_loads_bundled_data(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        build.insert(4, "--no-isolation")  # hors ligne si hatchling est déjà installé
    _run(build)
    wheels = list(dist.glob("coursehelpers-*.whl"))
    assert len(wheels) == 1

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
                .stdout.strip())
    # pandas/numpy viennent du venv courant ; les .pth de ce dossier (installation éditable)
    # ne sont PAS exécutés, donc seul le coursehelpers de la roue est importable.
    (site / "venv_courant.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--disable-pip-version-check", str(wheels[0])])

    workdir = tmp_path / "ailleurs"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    probe = ("import coursehelpers, coursehelpers.datasets as d; print(coursehelpers.__file__); "
             "print(len(d.load_transactions())); print(d.data_dir()); print(len(d.load_b2b_orders()))")
    out = _run([str(python), "-c", probe], cwd=workdir, env=env).stdout.split("\n")
    module_file, n_transactions, data_dir, n_orders = out[:4]
    assert Path(module_file).resolve().is_relative_to(venv.resolve())
    assert Path(data_dir).resolve() == (site / "coursehelpers" / "_data").resolve()
    assert int(n_transactions) == len(ds.load_transactions())
    assert int(n_orders) == len(ds.load_b2b_orders())

"""JupyterLab nu pour les tests navigateur : chromium requis, serveur temporaire arrêté par son PID.

Partagé par ``tests/course/test_browser.py`` et ``tests/course/test_browser_workbook.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Noyau démarré, connecté et inactif (``window.jupyterapp`` : option expose_app_in_browser).
KERNEL_IDLE = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const ctx = nb && nb.sessionContext;
  return !!ctx && ctx.isReady && !!ctx.session && !!ctx.session.kernel
         && ctx.session.kernel.status === 'idle';
}"""


def run_all_cells(page) -> None:
    """Menu « Run » (« Exécuter » si JupyterLab est en français) → « Run All Cells »."""
    import re

    page.locator("div.lm-MenuBar-itemLabel", has_text=re.compile(r"^(Run|Exécuter)$")).first.click()
    page.locator("li[data-command='runmenu:run-all']").click()


def require_chromium() -> Path:
    """Le chromium de Debian et playwright ; sinon test ignoré, sauf en CI où c'est un échec."""
    if not CHROMIUM.exists():
        reason = ("/usr/bin/chromium est absent : installez-le avec `apt-get update && "
                  "apt-get install -y chromium` (jamais `playwright install`).")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true : " + reason)
        pytest.skip(reason)
    pytest.importorskip("playwright.sync_api", reason="le paquet Python playwright est absent")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_group(proc: subprocess.Popen) -> None:
    """Arrête un serveur lancé avec ``start_new_session=True`` et tout son groupe (ses noyaux) :
    SIGTERM, puis SIGKILL après 15 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@contextlib.contextmanager
def bare_lab(base: Path, notebook: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab sur 127.0.0.1, sans jeton, réglages et données dans ``base`` ; ``notebook`` copié à
    la racine. Renvoie l'adresse et la racine ; le serveur (et son groupe : ses noyaux) est arrêté
    par son PID à la sortie, même après un échec."""
    root = base / "racine"
    root.mkdir()
    shutil.copy(notebook, root / notebook.name)
    settings = base / "user-settings" / "@jupyterlab"
    for extension, plugin, values in (
        # Pas de bandeau « nouvelles de Jupyter » qui masquerait la page.
        ("apputils-extension", "notification", {"fetchNews": "false", "checkForUpdates": False}),
        # Pas de boîte « Select Kernel » : le noyau par défaut démarre à l'ouverture.
        # Toutes les cellules restent dans la page (pas de virtualisation des cellules hors écran).
        ("notebook-extension", "tracker", {"autoStartDefaultKernel": True, "windowingMode": "none"}),
    ):
        (settings / extension).mkdir(parents=True, exist_ok=True)
        (settings / extension / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values),
                                                                          encoding="utf-8")
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_DATA_DIR": str(base / "data"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "IPYTHONDIR": str(base / "ipython"),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"}
    port = free_port()
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.token=",
            "--ServerApp.password=", "--LabApp.expose_app_in_browser=True",
            f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={base / 'user-settings'}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}", "--LabApp.news_url=None"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = (base / "jupyterlab.log").open("w")
    proc = subprocess.Popen(args, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab n'a pas démarré :\n"
                                + (base / "jupyterlab.log").read_text(encoding="utf-8")[-3000:])
                time.sleep(0.3)
        yield url, root
    finally:
        stop_group(proc)
        log.close()

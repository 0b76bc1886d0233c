"""Lancer un vrai ``coursehelpers ouvrir`` dans un dossier temporaire, pour les tests (serveur et navigateur).

Dossiers Jupyter (config, données, runtime) temporaires : rien n'est lu ni écrit chez l'utilisateur.
Le serveur est arrêté par PID à la fin, même si le test a échoué avant l'arrêt qu'il vérifie.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Plus personne n'écoute sur ``port`` et un nouveau serveur peut s'y installer (comme JupyterLab,
    avec SO_REUSEADDR : les connexions fermées en TIME_WAIT ne comptent pas)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
    return True


def pids_with(text: str) -> list[int]:
    """Processus dont la ligne de commande contient ``text`` (lecture directe de /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if text in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


class Opened:
    """Un ``coursehelpers ouvrir`` en cours : processus, adresse affichée, sortie, dossiers."""

    def __init__(self, proc: subprocess.Popen, url: str, lines: list[str], home: Path, env: dict,
                 port: int) -> None:
        self.proc, self.url, self.lines, self.home, self.env, self.port = proc, url, lines, home, env, port
        self.base = url.split("/lab/")[0]
        self.token = re.search(r"token=([0-9a-f]+)", url).group(1)

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        request = urllib.request.Request(
            f"{self.base}{path}", method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as resp:
            return json.loads(resp.read() or b"null")


@contextmanager
def opened(tmp_path: Path, home: Path, *extra: str) -> Iterator[Opened]:
    """Lance ``coursehelpers ouvrir --no-browser`` depuis ``home`` ; l'arrête (par PID) à la fin."""
    home.mkdir(parents=True, exist_ok=True)
    jupyter = tmp_path / "jupyter"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
           "JUPYTER_DATA_DIR": str(jupyter / "data"), "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
           "IPYTHONDIR": str(jupyter / "ipython")}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "coursehelpers", "ouvrir", "--no-browser",
                             f"--port={port}", "--ServerApp.port_retries=0", "--ip=127.0.0.1", *extra],
                            cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while True:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "ouvrir s'est arrêté :\n" + "".join(lines)
            lines.append(line)
            if line.startswith("JupyterLab est prêt"):
                break
            assert time.monotonic() < deadline, "JupyterLab n'a pas démarré en 90 s :\n" + "".join(lines)
        url = line.split(" : ", 1)[1].strip()
        yield Opened(proc, url, lines, home, env, port)
    finally:
        if proc.poll() is None:
            proc.kill()  # filet de sécurité si le test a échoué avant l'arrêt qu'il vérifie
            for pid in pids_with(str(tmp_path)):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=15)

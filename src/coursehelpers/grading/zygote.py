"""Noyaux clonés d'un processus préchargé : le démarrage d'un noyau neuf en quelques millisecondes.

Démarrer un noyau Python coûte environ une seconde de calcul (interpréteur, ipykernel, pandas,
la bibliothèque du cours, lecture des données) : sur une machine à 2 cœurs, c'est l'essentiel du
temps de correction d'une copie courte. Ici, un processus « zygote » fait ce travail **une fois**
(sans jamais exécuter de code d'élève), puis chaque noyau est un ``fork()`` de ce processus :
un processus neuf, propre à une copie, arrêté après elle, dont la mémoire n'est partagée avec
aucun autre élève (copie à l'écriture). Pour ``jupyter_client``, c'est un noyau comme un autre :
signaux (interruption, arrêt), fichier de connexion, battement de cœur.

Utilisé seulement sous Linux et quand le noyau ``python3`` est celui de cet interpréteur (un
autre kernelspec, par exemple dans les tests de panne, passe par le lancement normal) ; une
panne du zygote fait revenir au lancement normal. ``COURSEHELPERS_GRADING_FORK=0`` le désactive.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from coursehelpers.grading import notebook_io

_LOADS = re.compile(r"\bdatasets\.(load_\w+)\(\s*\)")
_QUIZ = re.compile(r"\bquiz\.\w+\(")
_IMPORTS = re.compile(r"^from coursehelpers import ([\w, ]+)$|^import (coursehelpers\.[\w.]+)", re.M)


def warm_for(nb: dict) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Modules du cours importés et jeux de données lus par les cellules fournies de ``nb``.

    Ils sont chargés par le zygote (:mod:`coursehelpers.grading.zygote`) avant tout clonage :
    chaque copie les trouve déjà en mémoire (la lecture des données est mise en cache par
    :mod:`coursehelpers.datasets`, qui rend une copie à chaque appel).
    """
    modules, calls = set(), set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if _QUIZ.search(src):  # question à choix : ipywidgets (≈ 0,02 s par noyau sinon)
            modules.update(("coursehelpers.grading.quiz", "ipywidgets"))
        if notebook_io.cell_kind(cell) not in ("locked", "free"):
            continue
        for names, dotted in _IMPORTS.findall(src):
            modules.update(f"coursehelpers.{n.strip()}" for n in names.split(",") if n.strip())
            if dotted:
                modules.add(dotted)
        calls.update(("coursehelpers.datasets", fn) for fn in _LOADS.findall(src))
    if calls:
        modules.add("coursehelpers.datasets")
    if "coursehelpers.plots" in modules:
        modules.add("matplotlib.pyplot")
    return tuple(sorted(modules)), tuple(sorted(calls))


_SERVE = "from coursehelpers.grading.zygote import serve; serve()"
# Ce que chaque noyau importerait sinon lui-même au démarrage (relevé en comparant sys.modules
# d'un noyau cloné et du zygote) : débogueur (debugpy, ≈ 0,07 s par noyau), inspection, journal,
# extension storemagic, psutil, boucle tornado.
KERNEL_MODULES = ("ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.completer", "jedi",
                  "ipykernel.debugger", "IPython.core.completerlib", "IPython.core.debugger",
                  "IPython.core.logger", "IPython.core.oinspect", "IPython.extensions.storemagic",
                  "psutil", "http.server", "faulthandler", "pdb", "tornado.platform.asyncio",
                  "tornado.queues", "tornado.locks", "xmlrpc.server")
THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def available(kernel_name: str = "python3") -> bool:
    """Vrai si les noyaux peuvent être clonés ici (Linux, noyau ``python3`` de cet interpréteur)."""
    if os.environ.get("COURSEHELPERS_GRADING_FORK", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except Exception:
        return False
    # « python » désigne cet interpréteur (jupyter_client le remplace par sys.executable)
    python = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    return (len(argv) >= 3 and argv[1:3] == ["-m", "ipykernel_launcher"]
            and (argv[0] in python or os.path.realpath(argv[0]) == os.path.realpath(sys.executable)))


def _reap(*_: Any) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _child(request: dict) -> None:
    """Dans le processus cloné : devenir un noyau IPython (ne revient jamais)."""
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # Le noyau surveille son parent (le zygote) et s'arrête s'il disparaît ; le zygote, lui,
        # s'arrête quand le correcteur ferme son entrée : aucun noyau ne survit à une correction.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(argv)
        app.start()
    finally:
        os._exit(0)


def serve() -> None:
    """Boucle du zygote : précharge, puis un ``fork()`` par demande lue sur l'entrée standard."""
    modules, calls = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    import ipykernel.kernelapp  # noqa: F401  (le plus long à importer)

    # ce que IPKernelApp.initialize importerait dans chaque clone (noyau, shell, complétion)
    for name in (*KERNEL_MODULES, *modules):
        with contextlib.suppress(Exception):
            __import__(name)
    for module, function in calls:  # par ex. lecture des données : mise en cache avant le fork
        with contextlib.suppress(Exception):
            getattr(sys.modules[module], function)()
    signal.signal(signal.SIGCHLD, _reap)
    out = sys.stdout
    out.write('{"ready": true}\n')
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()


class Zygote:
    """Le processus préchargé ; :meth:`spawn` clone un noyau et renvoie son PID."""

    def __init__(self, *, modules: tuple[str, ...] = (), calls: tuple[tuple[str, str], ...] = (),
                 env: dict[str, str] | None = None, start_timeout: float = 60) -> None:
        self.cwd = tempfile.mkdtemp(prefix="ch-zygote-")
        self.start_timeout = start_timeout
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVE, json.dumps(list(modules)), json.dumps([list(c) for c in calls])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=self.cwd,
            env={**os.environ, **(env or {}), **THREADS})
        self.ready = False
        self._buffer = b""
        self._lock = threading.Lock()  # un seul échange à la fois (plusieurs fils de correction)

    def _readline(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise RuntimeError(f"le zygote n'a pas répondu en {timeout:g} s")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError("le zygote s'est arrêté")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def spawn(self, argv: list[str], *, cwd: str, env: dict[str, str]) -> int:
        with self._lock:
            if not self.ready:
                self._readline(self.start_timeout)
                self.ready = True
            self.proc.stdin.write((json.dumps({"argv": argv, "cwd": cwd, "env": dict(env)}) + "\n").encode())
            self.proc.stdin.flush()
            return int(self._readline(10)["pid"])

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
        finally:
            import shutil

            shutil.rmtree(self.cwd, ignore_errors=True)


class _Forked:
    """Ce que ``jupyter_client`` attend d'un ``Popen``, pour un processus cloné par le zygote."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                state = "X"
            if state in ("Z", "X"):
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class _ForkProvisioner(LocalProvisioner):
    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        argv = cmd[cmd.index("-f"):]
        env = kwargs.get("env") or dict(os.environ)
        pid = self.zygote.spawn(argv, cwd=str(kwargs.get("cwd") or os.getcwd()), env=env)
        self.process = _Forked(pid)
        self.pid = self.pgid = pid  # le clone est chef de son groupe (setsid)
        self.cwd = kwargs.get("cwd")
        return self.connection_info


class ForkKernelManager(AsyncKernelManager):
    """Gestionnaire de noyau dont le processus est cloné par ``zygote`` au lieu d'être lancé."""

    zygote: Zygote | None = None

    async def _async_pre_start_kernel(self, **kw: Any):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        self.provisioner.__class__ = _ForkProvisioner
        self.provisioner.zygote = self.zygote
        return cmd, kw

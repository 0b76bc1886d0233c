"""Lancer et arrêter le serveur JupyterLab de ``coursehelpers ouvrir``.

- **En français par défaut, sans toucher aux réglages de l'utilisateur** : le serveur lit ses réglages
  d'application dans un dossier temporaire (``--LabApp.app_settings_dir``) qui reprend ceux de
  l'installation et y ajoute des *overrides* : langue ``fr_FR`` (paquet ``jupyterlab-language-pack-fr-FR``),
  pas de notification « Jupyter news ». Les *overrides* ne sont que des valeurs par défaut : un choix fait
  par l'utilisateur dans **Paramètres → Langue** reste prioritaire. Rien n'est écrit dans ``~/.jupyter``.
- **Root** : ``--allow-root`` est ajouté, avec une ligne d'explication en français.
- **Arrêt propre** : SIGINT (Ctrl + C) ou SIGTERM reçus par ``ouvrir`` arrêtent le serveur (SIGTERM, puis
  SIGKILL après 10 s) et ses noyaux ; aucun processus ne survit, le port est libéré.
- **Adresse** : dès que le serveur répond, l'adresse qui ouvre le chapitre 00 est affichée (utile avec
  ``--no-browser``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import site
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

LOCALE = "fr_FR"
#: Réglages par défaut des serveurs lancés par ``ouvrir`` (identifiants des greffons JupyterLab).
OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": LOCALE},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
#: Délai laissé au serveur pour arrêter ses noyaux avant SIGKILL (secondes).
STOP_TIMEOUT = 10.0


class _StopRequested(Exception):
    """Levée par le gestionnaire de SIGINT/SIGTERM pour sortir de l'attente du serveur."""


def app_directory() -> Path:
    """Dossier d'application de JupyterLab (comme ``jupyterlab.commands.get_app_dir``), sans importer
    ``jupyterlab`` dans ce processus (plus d'une seconde de CPU gagnée au lancement)."""
    if os.environ.get("JUPYTERLAB_DIR"):
        return Path(os.environ["JUPYTERLAB_DIR"]).resolve()
    spec = importlib.util.find_spec("jupyterlab")
    userbase = site.getuserbase() if hasattr(site, "getuserbase") else None
    default = Path(sys.prefix, "share", "jupyter", "lab")
    if spec and spec.origin and userbase and spec.origin.startswith(userbase) \
            and not str(default).startswith(userbase):
        return Path(userbase, "share", "jupyter", "lab")
    if default.is_dir():
        return default
    from jupyterlab.commands import get_app_dir  # cas rares (installations système…)

    return Path(get_app_dir())


def lab_settings_dir(into: Path) -> Path:
    """Prépare dans ``into`` les réglages d'application d'un serveur : ceux de l'installation + les nôtres.

    Renvoie le dossier à passer à ``--LabApp.app_settings_dir``. Le dossier de l'installation n'est que lu.
    """
    app_dir = app_directory()
    settings = into / "settings"
    if (app_dir / "settings").is_dir():
        shutil.copytree(app_dir / "settings", settings)
    settings.mkdir(parents=True, exist_ok=True)
    # JupyterLab lit aussi ../static/package.json à côté du dossier des réglages (extensions désactivées).
    package = app_dir / "static" / "package.json"
    if package.is_file():
        (into / "static").mkdir(exist_ok=True)
        shutil.copy2(package, into / "static" / "package.json")
    overrides = settings / "overrides.d"
    overrides.mkdir(exist_ok=True)
    (overrides / "zz-coursehelpers.json").write_text(json.dumps(OVERRIDES, indent=1), encoding="utf-8")
    return settings


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _given(extra: Sequence[str], *names: str) -> bool:
    """Vrai si l'utilisateur a passé l'une des options ``names`` (``--nom`` ou ``--nom=valeur``)."""
    return any(arg.split("=", 1)[0] in names for arg in extra)


def lab_command(root: Path, first: str | None, settings: Path, extra: Sequence[str]) -> list[str]:
    """La ligne de commande du serveur ; les options de l'utilisateur (``extra``) viennent en dernier et
    l'emportent donc sur les nôtres."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if not _given(extra, "--LabApp.app_settings_dir"):
        cmd.append(f"--LabApp.app_settings_dir={settings}")
    if first and not _given(extra, "--LabApp.default_url", "--ServerApp.default_url"):
        cmd.append(f"--LabApp.default_url=/lab/tree/{first}")
    if not _given(extra, "--log-level", "--debug", "--Application.log_level", "--ServerApp.log_level",
                  "--LabApp.log_level"):
        # Les messages utiles sont affichés en français par ouvrir ; JupyterLab ne dit que les problèmes.
        cmd += ["--LabApp.log_level=WARN", "--ServerApp.log_level=WARN"]
    if _is_root() and not _given(extra, "--allow-root", "--ServerApp.allow_root"):
        cmd.append("--allow-root")
    return [*cmd, *extra]


def _children_map() -> dict[int, list[int]]:
    """pid parent → pids enfants, d'après /proc (Linux) ; vide ailleurs."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return children
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    """Tous les processus issus de ``pid`` (noyaux lancés par le serveur…), d'après /proc."""
    tree, found, todo = _children_map(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover
        return True
    state = Path(f"/proc/{pid}/stat")
    try:  # un zombie est déjà mort
        return state.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def stop_server(proc: subprocess.Popen, *, timeout: float = STOP_TIMEOUT) -> None:
    """Arrête le serveur ``proc`` et tous ses descendants (noyaux) ; ne rend la main qu'une fois morts."""
    family = descendants(proc.pid)
    if proc.poll() is None:
        proc.terminate()  # SIGTERM : le serveur arrête ses noyaux puis se termine
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    leftovers = [pid for pid in family if _alive(pid)]
    for sig in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 2
        while leftovers and time.monotonic() < deadline:
            leftovers = [pid for pid in leftovers if _alive(pid)]
            time.sleep(0.05)
        if not leftovers:
            break


def _die_with_parent() -> None:  # pragma: no cover - exécuté dans le processus enfant
    """Linux : le serveur reçoit SIGTERM si ``ouvrir`` meurt brutalement (SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def server_info(pid: int) -> dict | None:
    """Les informations que le serveur ``pid`` écrit dans le dossier runtime (url, port, jeton)."""
    from jupyter_core.paths import jupyter_runtime_dir

    file = Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_listening(info: dict) -> bool:
    """Vrai quand le serveur accepte les connexions (il écrit son fichier runtime juste *avant*)."""
    parts = urllib.parse.urlsplit(info.get("url", ""))
    host = parts.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::", "", "localhost"):
        host = "127.0.0.1"
    try:
        with socket.create_connection((host, parts.port or info.get("port", 0)), timeout=1):
            return True
    except OSError:
        return False


def open_url(info: dict, first: str | None) -> str:
    """Adresse qui ouvre ``first`` (chapitre 00) sur le serveur décrit par ``info``, jeton compris."""
    url = info["url"].rstrip("/") + "/lab" + (f"/tree/{first}" if first else "")
    return f"{url}?token={info['token']}" if info.get("token") else url


def run_lab(root: Path, *, first: str | None, extra: Sequence[str]) -> int:
    """Lance JupyterLab sur ``root`` (``first`` ouvert), attend sa fin ou un signal, arrête tout."""
    if _is_root() and not _given(extra, "--allow-root", "--ServerApp.allow_root"):
        print("Vous êtes administrateur (root) : JupyterLab démarre avec l'option --allow-root.", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="coursehelpers-lab-"))
    previous = {}

    def request_stop(signum, frame):
        raise _StopRequested(signum)

    try:
        cmd = lab_command(root, first, lab_settings_dir(tmp), extra)
        posix = os.name == "posix"
        proc = subprocess.Popen(cmd, cwd=root, start_new_session=posix,
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                previous[sig] = signal.signal(sig, request_stop)
        try:
            announced = False
            while True:
                try:
                    code = proc.wait(timeout=0.25)
                except subprocess.TimeoutExpired:
                    if not announced and (info := server_info(proc.pid)) and is_listening(info):
                        print(f"JupyterLab est prêt, en français. Chapitre 00 : {open_url(info, first)}",
                              flush=True)
                        print("Pour arrêter JupyterLab : Ctrl + C dans ce terminal.", flush=True)
                        announced = True
                    continue
                if code:
                    print(f"JupyterLab s'est arrêté avec une erreur (code {code}) : voir les messages "
                          "ci-dessus.", file=sys.stderr, flush=True)
                return code
        except _StopRequested:
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)
            print("\nArrêt de JupyterLab et de ses noyaux…", flush=True)
            stop_server(proc)
            print("JupyterLab est arrêté.", flush=True)
            return 0
        finally:
            if proc.poll() is None:  # exception inattendue : ne rien laisser tourner
                stop_server(proc)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(tmp, ignore_errors=True)

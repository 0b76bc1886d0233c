"""JupyterHub d'une classe « GRC en notebooks » (un serveur, 35 élèves et leur formateur).

Deux variantes, choisies par UN réglage : la variable d'environnement ``COURS_GRC_HUB_MODE``.

- absente ou ``production`` (un serveur de l'établissement, ou The Littlest JupyterHub : copier ce
  fichier dans ``/opt/tljh/config/jupyterhub_config.d/``) :
  * ``FirstUseAuthenticator`` : l'élève choisit son mot de passe à sa première connexion ; seuls les
    identifiants de ``eleves.txt`` (un par ligne, à côté de ce fichier) et le formateur peuvent entrer ;
  * ``SystemdSpawner`` : un serveur par élève, sous son propre compte Unix (créé à la première
    connexion, comme TLJH), avec une limite de mémoire et de processeur ; le nom Unix est le nom du hub,
    donc l'échange de nbgrader identifie l'élève par son compte ;
  * base de données et secrets dans ``/srv/jupyterhub``, échange nbgrader dans ``/srv/nbgrader/exchange``.
- ``test`` (tests automatiques, ``tests/hub``) : ``SharedPasswordAuthenticator`` (mot de passe commun),
  ``SimpleLocalProcessSpawner`` (tous les serveurs sous le compte qui lance le hub, un dossier personnel
  par élève sous ``COURS_GRC_HUB_ROOT``), adresses sur 127.0.0.1 aux ports donnés, tout (base,
  secrets, échange) dans le dossier temporaire ``COURS_GRC_HUB_ROOT``.

Dans les deux cas, chaque serveur d'élève démarre par ``cours_grc_singleuser.py`` : le cours (chapitres,
cahiers sans solutions) est installé ou mis à jour dans ``~/cours-grc`` sans jamais remplacer un fichier
modifié par l'élève, puis JupyterLab s'ouvre en français sur le chapitre 00.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - fourni par JupyterHub

HERE = Path(__file__).resolve().parent
MODE = os.environ.get("COURS_GRC_HUB_MODE", "production").strip().lower()
if MODE not in ("production", "test"):
    raise ValueError(f"COURS_GRC_HUB_MODE={MODE!r} : valeurs possibles « production » ou « test »")

#: Nom du cours dans l'échange de nbgrader (``nbgrader release_assignment --course grc …``).
COURSE_ID = "grc"
#: Identifiant du formateur (administrateur du hub).
TRAINER = os.environ.get("COURS_GRC_FORMATEUR", "formateur")

# --- Serveur de chaque élève : le cours installé au démarrage, JupyterLab en français -------------------
c.Spawner.cmd = [sys.executable, str(HERE / "cours_grc_singleuser.py")]
c.Spawner.default_url = "/lab/tree/cours-grc/chapters/00_prise_en_main.ipynb"
c.Spawner.environment = {
    # nbgrader_config.py de l'échange (cours, dossier d'échange, identité de l'élève)
    "JUPYTER_CONFIG_PATH": str(HERE / "jupyter"),
    "COURS_GRC_HUB_MODE": MODE,
    "COURS_GRC_COURSE_ID": COURSE_ID,
    "COURS_GRC_FORMATEUR": TRAINER,
}
c.Spawner.start_timeout = 120  # premier démarrage : copie du cours + JupyterLab, machine parfois chargée
c.Spawner.http_timeout = 120
c.JupyterHub.admin_access = False
c.Authenticator.admin_users = {TRAINER}

if MODE == "production":
    c.JupyterHub.bind_url = os.environ.get("COURS_GRC_HUB_URL", "http://:8000")
    c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
    c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
    c.Spawner.environment["COURS_GRC_EXCHANGE"] = "/srv/nbgrader/exchange"

    # Comptes : la liste de classe, un identifiant par ligne (minuscules, sans espace ni accent).
    c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
    c.FirstUseAuthenticator.create_users = True
    c.FirstUseAuthenticator.min_password_length = 8
    roster = HERE / "eleves.txt"
    students = set()
    if roster.is_file():
        students = {line.strip() for line in roster.read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.lstrip().startswith("#")}
    c.Authenticator.allowed_users = students | {TRAINER}
    c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{1,30}$"

    # Un compte Unix par élève (nom = nom du hub), serveurs isolés et limités par systemd.
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = False
    c.SystemdSpawner.username_template = "{USERNAME}"
    c.SystemdSpawner.mem_limit = os.environ.get("COURS_GRC_MEM_LIMIT", "1G")
    c.SystemdSpawner.cpu_limit = float(os.environ.get("COURS_GRC_CPU_LIMIT", "1"))
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.default_shell = "/bin/bash"

    def create_unix_account(spawner):
        """Crée le compte Unix de l'élève à son premier démarrage (ce que fait TLJH)."""
        import pwd
        import subprocess

        name = spawner.user.name
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)

    c.Spawner.pre_spawn_hook = create_unix_account

    # Serveurs inactifs arrêtés au bout d'une heure (mémoire rendue) : jupyterhub-idle-culler.
    if shutil.which("jupyterhub-idle-culler"):
        c.JupyterHub.load_roles = [{
            "name": "jupyterhub-idle-culler-role",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["jupyterhub-idle-culler-service"],
        }]
        c.JupyterHub.services = [{
            "name": "jupyterhub-idle-culler-service",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"],
        }]
else:
    root = Path(os.environ["COURS_GRC_HUB_ROOT"]).resolve()  # dossier temporaire du test
    port = int(os.environ["COURS_GRC_HUB_PORT"])
    c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(os.environ["COURS_GRC_HUB_API_PORT"])
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ['COURS_GRC_PROXY_API_PORT'])}"
    c.ConfigurableHTTPProxy.command = [os.environ.get("COURS_GRC_PROXY", "configurable-http-proxy")]
    c.ConfigurableHTTPProxy.pid_file = str(root / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{root / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(root / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(root / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.cleanup_proxy = True

    # mot de passe commun aux élèves ; le formateur (administrateur) a le sien
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["COURS_GRC_HUB_PASSWORD"]
    c.SharedPasswordAuthenticator.admin_password = os.environ["COURS_GRC_HUB_ADMIN_PASSWORD"]
    c.Authenticator.allow_all = True

    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(root / "home" / "{username}")
    c.Spawner.environment["COURS_GRC_EXCHANGE"] = str(root / "exchange")
    if os.geteuid() == 0:  # CI et machines de test en root
        c.Spawner.args = ["--allow-root"]

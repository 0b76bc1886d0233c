"""Échange de nbgrader pour le cours « GRC en notebooks » (lu par le serveur de chaque élève et par les
commandes ``nbgrader`` du formateur ; ``JUPYTER_CONFIG_PATH`` pointe sur ce dossier).

- cours ``grc`` ; échange dans ``COURS_GRC_EXCHANGE`` (défaut ``/srv/nbgrader/exchange``, dossier
  partagé 777 avec sticky bit, voir docs/jupyterhub.md) ;
- l'élève est identifié par son compte Unix, qui porte son nom du hub (jupyterhub_config.py) ;
- en mode test seulement (``COURS_GRC_HUB_MODE=test``), tous les serveurs tournent sous le même compte :
  l'identité d'un élève vient alors du hub (``JUPYTERHUB_USER``, sauf pour le formateur, qui ramasse les
  copies de tous) et la vérification du propriétaire des copies au ramassage est coupée.
"""

import os

c = get_config()  # noqa: F821 - fourni par nbgrader / traitlets

c.CourseDirectory.course_id = os.environ.get("COURS_GRC_COURSE_ID", "grc")
c.Exchange.root = os.environ.get("COURS_GRC_EXCHANGE", "/srv/nbgrader/exchange")
if os.environ.get("COURS_GRC_HUB_MODE") == "test":
    user = os.environ.get("JUPYTERHUB_USER")
    if user and user != os.environ.get("COURS_GRC_FORMATEUR", "formateur"):  # le formateur ramasse tout
        c.CourseDirectory.student_id = user
    c.ExchangeCollect.check_owner = False

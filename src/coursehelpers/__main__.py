"""``python -m coursehelpers`` : même interface que la commande ``coursehelpers``."""

from coursehelpers.cli import main

raise SystemExit(main())

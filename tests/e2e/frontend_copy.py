"""The app serving a copy of frontend/ named by REBOUND_E2E_FRONTEND, so a
browser test can ship a "new version" of the shell (see conftest's
`copied_frontend`). Only the browser tests use it."""
import os

import backend
from backend import frontend


def create_app():
    frontend.FRONTEND_DIR = os.environ["REBOUND_E2E_FRONTEND"]
    return backend.create_app()

"""The app serving a copy of frontend/ named by REBOUND_E2E_FRONTEND, so a
browser test can ship a "new version" of the shell (see conftest's
`copied_frontend`). Only the browser tests use it."""
import os

import backend


def create_app():
    return backend.create_app({"FRONTEND_DIR": os.environ["REBOUND_E2E_FRONTEND"]})

"""VAPID keys: from VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY, or made once into instance/."""
import base64
import os

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid

KEY_FILE = "vapid_private.pem"


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def init_keys(instance_path):
    """Write a new private key to instance/ unless one is there; True when made."""
    path = os.path.join(instance_path, KEY_FILE)
    if os.path.exists(path):
        return False
    os.makedirs(instance_path, exist_ok=True)
    vapid = Vapid()
    vapid.generate_keys()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(vapid.private_pem())
    return True


def new_key_pair():
    """A fresh pair for the environment: (VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY), the raw
    32-byte private value and the 65-byte public point, both base64url."""
    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    point = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return _b64url(private), _b64url(point)


def load_vapid(app):
    """The one Vapid key object of this process (pywebpush accepts it as is)."""
    if app.config.get("VAPID_PRIVATE_KEY"):
        return Vapid.from_string(app.config["VAPID_PRIVATE_KEY"])
    path = os.path.join(app.instance_path, KEY_FILE)
    if not os.path.exists(path):
        init_keys(app.instance_path)
    return Vapid.from_file(path)


def public_key(app):
    """base64url of the 65-byte uncompressed P-256 point, for PushManager.subscribe."""
    if app.config.get("VAPID_PUBLIC_KEY"):
        return app.config["VAPID_PUBLIC_KEY"]
    vapid = load_vapid(app)
    return _b64url(vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))

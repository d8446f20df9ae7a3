"""`flask push new-keys` prints a pair the production profile takes as it is."""
import base64

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid

from backend import create_app
from backend.push.keys import public_key


def test_new_keys_print_a_working_pair_for_the_environment(runner, tmp_path):
    result = runner.invoke(args=["push", "new-keys"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.output.split())
    private, public = lines["VAPID_PRIVATE_KEY"], lines["VAPID_PUBLIC_KEY"]
    point = base64.urlsafe_b64decode(public + "=" * (-len(public) % 4))
    assert len(point) == 65 and point[0] == 4
    # the private value loads and its public point is the one printed
    loaded = Vapid.from_string(private)
    assert loaded.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint) == point
    app = create_app({"REBOUND_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
                      "SECRET_KEY": "x" * 32, "VAPID_SUBJECT": "mailto:ops@rebound.example",
                      "VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public})
    assert public_key(app) == public
    assert runner.invoke(args=["push", "new-keys"]).output != result.output  # new each time

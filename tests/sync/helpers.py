"""Helpers of the sync tests: one sync round trip, and the property tests' settings.

HYPOTHESIS_PROFILE picks how hard the property tests look: `ci` (the default:
200 examples, derandomized so a CI run is repeatable), `local` (1,000 random
examples, for a run before a change to the protocol) or `quick` (25).
The settings apply to this folder's tests only.
"""
import os

from hypothesis import HealthCheck, settings

PROFILES = {
    "ci": {"max_examples": 200, "derandomize": True},
    "local": {"max_examples": 1000},
    "quick": {"max_examples": 25},
}


def sync_settings(http=False):
    """Hypothesis settings of a property test, from HYPOTHESIS_PROFILE (fewer over `http`)."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    if name not in PROFILES:
        # A misspelt profile must not quietly run the CI effort instead of the one asked for.
        raise ValueError(f"HYPOTHESIS_PROFILE={name!r}: use one of {', '.join(PROFILES)}")
    chosen = dict(PROFILES[name])
    if http:
        # One test over real HTTP shows the wire works; the test client does the volume.
        chosen["max_examples"] = max(10, chosen["max_examples"] // 20)
    return settings(deadline=None, stateful_step_count=25, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    **chosen)


def sync(client, mutations=(), cursor=None, limit=None, status=200):
    """POST /api/sync and check the status; returns the JSON body."""
    body = {"cursor": cursor, "mutations": list(mutations)}
    if limit is not None:
        body["limit"] = limit
    response = client.post("/api/sync", body)
    assert response.status_code == status, response.get_json()
    return response.get_json()

"""Multi-device sync (SPEC §5; the protocol is written down in docs/sync.md).

- protocol.py: request/response schemas, per-mutation checks, change ordering (pure)
- service.py: apply mutations through services.records, then pull by cursor
- api.py: the POST /api/sync blueprint
"""

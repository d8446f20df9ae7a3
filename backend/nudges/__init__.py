"""Nudges: the pure planner, reconcile, the dispatcher and the worker (SPEC §6)."""

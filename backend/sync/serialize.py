"""The fast record serializer moved to backend/schemas/serialize.py (lists use it too)."""
from ..schemas.serialize import RecordSerializer, converter_for

__all__ = ["RecordSerializer", "converter_for"]

"""The store: the only layer that speaks SQL. Open a :class:`Store` to read and write."""

from opsdesk.store.base import InvalidRecord, RecordNotFound
from opsdesk.store.db import StoreError
from opsdesk.store.store import ReadOnlyError, Store
from opsdesk.store.version import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "InvalidRecord",
    "ReadOnlyError",
    "RecordNotFound",
    "Store",
    "StoreError",
]

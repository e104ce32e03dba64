"""The store's one exception, apart so that every store module can raise it without import cycles."""

from __future__ import annotations


class StoreError(Exception):
    """Anything wrong with a store or a document given to it; the message starts with
    the database's display name (or the document's file name) and says what is wrong."""

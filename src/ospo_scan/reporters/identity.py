"""Identifiers that documents need to be unique, derived from their content.

CycloneDX wants a serial number and SPDX a document namespace that differ between
documents; a random one would make two scans of the same tree differ byte for byte.
A digest of the document's own content is unique where the content is, and stable
where it is not.
"""

from __future__ import annotations

import hashlib
import uuid


def content_digest(content: str | bytes) -> str:
    """Hex sha256 of the content (text as UTF-8)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def content_uuid(content: str | bytes) -> uuid.UUID:
    """A name-based UUID (version 5, RFC 9562) of the content's digest: the same content
    always gives the same UUID."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "urn:sha256:" + content_digest(content))

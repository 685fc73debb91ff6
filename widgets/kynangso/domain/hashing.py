"""Secrets a trainee types (passwords, passcodes, PINs, OTPs) are kept only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import os

from .. import settings

ALGORITHM = "pbkdf2_sha256"


def hash_secret(secret: str, *, iterations: int, salt: bytes | None = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``; the secret is never kept.

    ``KYNANGSO_HASH_ITERATIONS`` (tests only) replaces ``iterations``; see settings.py."""
    iterations = settings.current().hash_iterations or iterations
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches ``stored`` (constant-time comparison)."""
    algorithm, iterations, salt, digest = stored.split("$")
    if algorithm != ALGORITHM:
        raise ValueError(f"unknown secret hash {algorithm!r}")
    found = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), bytes.fromhex(salt),
                                int(iterations))
    return hmac.compare_digest(found.hex(), digest)

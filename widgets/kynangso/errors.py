"""One family of errors, each carrying a Vietnamese message a person can act on.

Screens catch :class:`KnsError` and show ``str(error)``; anything else is a bug,
logged and replaced by a friendly message (see ``ui``).
"""

from __future__ import annotations


class KnsError(Exception):
    """Base error: ``message`` is Vietnamese and names what is wrong."""

    def __init__(self, message: str, *, field: str | None = None, value: object = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value

    def __str__(self) -> str:
        return self.message


class InvalidInput(KnsError, ValueError):
    """Something a person typed or chose breaks a rule (ID number, date, PIN...).

    The message says what is wrong and how to fix it without repeating what was typed
    (tests/domain/test_messages.py); the raw input stays in ``value`` for logs and tests.
    """


class DataFileError(KnsError):
    """A data file a ward edits is malformed; the message names file, entry and field.

    Read by the staff who edit the file, not by trainees: it may name the bad value.
    """

    def __init__(self, message: str, *, file: str, entry: str | None = None,
                 field: str | None = None, value: object = None):
        super().__init__(message, field=field, value=value)
        self.file = file
        self.entry = entry


class TransitionError(KnsError):
    """A dossier (or payment) was asked to move to a state it cannot reach from here."""


class MissingEntry(KnsError, LookupError):
    """The store has no such dossier, ticket, payment or account."""

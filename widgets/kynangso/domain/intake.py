"""The official's intake check: a dossier's documents against its procedure's list.

A dossier whose required documents are all attached is complete; otherwise the desk asks
for a supplement naming what is missing (the reason here is the lab's suggested wording;
the official still writes the request). Results are plain frozen values, so the back
office screen, grading and a script read the same verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..i18n import _
from .attachments import FILES_KEY
from .catalogue import Document, Procedure
from .forms import form_fields, form_value_label


@dataclass(frozen=True)
class DocumentCheck:
    """A dossier's attachments against its procedure's document list."""

    present: tuple[Document, ...]
    missing_required: tuple[Document, ...]
    missing_optional: tuple[Document, ...]
    unknown: tuple[str, ...]  # attached codes the catalogue does not list

    @property
    def complete(self) -> bool:
        return not self.missing_required


def check_documents(procedure: Procedure, attached: Iterable[str]) -> DocumentCheck:
    """Which listed documents are attached, which required ones are missing."""
    codes = tuple(attached)
    listed = {d.code for d in procedure.documents}
    return DocumentCheck(
        present=tuple(d for d in procedure.documents if d.code in codes),
        missing_required=tuple(d for d in procedure.required_documents if d.code not in codes),
        missing_optional=tuple(d for d in procedure.optional_documents if d.code not in codes),
        unknown=tuple(c for c in codes if c not in listed))


@dataclass(frozen=True)
class IntakeDecision:
    """Receive the dossier (``complete``), or ask for ``ask_for`` with ``reason``."""

    check: DocumentCheck
    reason: str  # the supplement request's wording; "" when complete

    @property
    def complete(self) -> bool:
        return self.check.complete

    @property
    def ask_for(self) -> tuple[Document, ...]:
        return self.check.missing_required


def decide(procedure: Procedure, attached: Iterable[str]) -> IntakeDecision:
    """The intake verdict for the documents ``attached`` (codes) to a ``procedure`` dossier."""
    check = check_documents(procedure, attached)
    if check.complete:
        return IntakeDecision(check, "")
    reason = _("Thiếu {n} giấy tờ bắt buộc: {names}").format(
        n=len(check.missing_required),
        names="; ".join(d.shown_name for d in check.missing_required))
    return IntakeDecision(check, reason)


def form_labels(procedure: Procedure | None) -> dict[str, str]:
    """Labels of the portal's form boxes, so the desk reads the form as the resident saw it."""
    if procedure is None:
        return {}
    labels = {f.key: f.shown_label for f in form_fields(procedure)}
    labels[FILES_KEY] = _("Tệp đính kèm")
    return labels


def readable_form(form: Mapping[str, Any], procedure: Procedure | None) -> dict[str, Any]:
    """Choices as their labels and attachments as their file names, not as stored."""
    shown = {k: form_value_label(procedure, k, v)
             if procedure is not None and isinstance(v, str) and v else v
             for k, v in form.items()}
    files = shown.get(FILES_KEY)
    if isinstance(files, Mapping):
        shown[FILES_KEY] = ", ".join(
            str(v.get("ten_tep", k)) if isinstance(v, Mapping) else str(k)
            for k, v in files.items())
    return shown

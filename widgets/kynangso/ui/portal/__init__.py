"""Cổng Dịch vụ công (public-service portal) simulator, citizen side, in a phone frame.

A resident (or a volunteer rehearsing with one) finds a procedure (search.py), fills its
form (form.py), attaches documents (documents.py), submits and pays the fee with a
practice VietQR code (confirm.py), follows the dossier, sends a supplement, collects the
result and rates the service (dossier.py), and sends feedback (feedback.py). common.py
holds what the steps share; screen.py joins them. Rules live in the domain layer: forms
in domain/forms.py, attachments in domain/attachments.py. Each meaningful step is logged
(``portal.*`` events) for grading.

Choices of this project, not law: the fee is paid to the ward's practice collection
account at the training bank; upload limits are in domain/attachments.py.
"""

from __future__ import annotations

from ...domain.attachments import (
    ACCEPTED,
    MAX_UPLOAD_BYTES,
    Attachment,
    SampleScan,
    check_upload,
    missing_documents,
    sample_scans,
    samples_for,
)
from ...domain.forms import FormField, form_fields, form_value_label, validate_form
from .common import CHANNEL, COLLECTION_APP, COLLECTION_OWNER, Draft
from .confirm import collection_account, collection_name, fee_qr, wallet_link
from .screen import PortalScreen, portal_app

__all__ = ["ACCEPTED", "CHANNEL", "COLLECTION_APP", "COLLECTION_OWNER", "MAX_UPLOAD_BYTES",
           "Attachment", "Draft", "FormField", "PortalScreen", "SampleScan", "check_upload",
           "collection_account", "collection_name", "fee_qr", "form_fields",
           "form_value_label", "missing_documents", "portal_app", "sample_scans",
           "samples_for", "validate_form", "wallet_link"]

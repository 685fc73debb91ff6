"""``PortalScreen``: the steps of the portal joined into one screen, a website."""

from __future__ import annotations

from ...i18n import N_
from ..base import Screen
from ..session import launch
from .confirm import ConfirmStep
from .documents import DocumentsStep
from .dossier import DossierStep
from .feedback import FeedbackStep
from .form import FormStep
from .login import LoginStep
from .search import SearchStep


class PortalScreen(SearchStep, LoginStep, FormStep, DocumentsStep, ConfirmStep, DossierStep,
                   FeedbackStep):
    """Cổng Dịch vụ công, the website: a desktop layout on a wide screen, the full width of
    a phone's browser on a phone (no phone drawn: the real portal is not an app)."""

    title = N_("Cổng Dịch vụ công (mô phỏng)")
    frame = "web"
    screen_id = "portal"


def portal_app() -> Screen:
    """Entry point for apps/portal.ipynb (``?nguoi=<person>`` names the resident; open_box
    waits for the page request in a preheated Voila kernel)."""
    return launch(PortalScreen, role="resident")

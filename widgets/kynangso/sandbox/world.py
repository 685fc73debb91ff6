"""The ward's rules a sandbox runs on, loaded once per process (they are data files)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.catalogue import Catalogue
    from ..domain.locality import Locality
    from ..domain.workcalendar import WorkCalendar


@cache
def catalogue() -> Catalogue:
    from ..domain.catalogue import load_catalogue

    return load_catalogue()


@cache
def locality() -> Locality:
    from ..domain.locality import load_locality

    return load_locality()


@cache
def calendar() -> WorkCalendar:
    from ..domain.workcalendar import WorkCalendar

    return WorkCalendar(locality=locality())

"""Scam lab: five real scam patterns as practice items, and a checker for portal links.

- :mod:`.catalogue` reads ``data/scams.yaml``: official addresses, reported look-alikes,
  scripts of calls and SMS, each fact with its public sources;
- :mod:`.links` says whether a link opens an official ``.gov.vn`` site, and why not;
- :mod:`.items` builds practice items from the catalogue and a seed;
- :mod:`.texts` and :mod:`.lookalikes` read the texts a trainee reads (``data/scam_texts.yaml``,
  Vietnamese and English) and the look-alike letters (``data/lookalikes.yaml``).
"""

from .catalogue import (
    PATTERNS,
    PLACEHOLDERS,
    RESERVED_TLD,
    SCAMS_FILE,
    SCRIPT_CHANNELS,
    UNVERIFIED,
    Bill,
    OfficialDomain,
    Report,
    ReportedLink,
    ScamCatalogue,
    Script,
    Source,
    Wording,
    allowed_host,
    hosts_in,
    link_host,
    load_scams,
    parse_scams,
)
from .items import (
    CHANNELS,
    LINK_KINDS,
    MAX_PER_PATTERN,
    REFERENCE_DATE,
    STICKER_KINDS,
    TAMPER_KINDS,
    ScamItem,
    generate,
    item_by_id,
    pattern_title,
    scam_set,
)
from .links import LinkVerdict, check_link
from .lookalikes import LOOKALIKES_FILE, Lookalikes, load_lookalikes, parse_lookalikes
from .texts import TEXTS_FILE, ScamTexts, load_scam_texts, parse_scam_texts, tr

__all__ = [
    "CHANNELS", "LINK_KINDS", "LOOKALIKES_FILE", "MAX_PER_PATTERN", "PATTERNS", "PLACEHOLDERS",
    "REFERENCE_DATE", "RESERVED_TLD", "SCAMS_FILE", "SCRIPT_CHANNELS", "STICKER_KINDS",
    "TAMPER_KINDS", "TEXTS_FILE", "UNVERIFIED", "Bill", "LinkVerdict", "Lookalikes",
    "OfficialDomain", "Report", "ReportedLink", "ScamCatalogue", "ScamItem", "ScamTexts", "Script",
    "Source", "Wording", "allowed_host", "check_link", "generate", "hosts_in", "item_by_id", "link_host",
    "load_lookalikes", "load_scam_texts", "load_scams", "parse_lookalikes", "parse_scam_texts",
    "parse_scams", "pattern_title", "scam_set", "tr",
]

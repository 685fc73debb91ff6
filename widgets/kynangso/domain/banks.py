"""Bank directory for VietQR: acquirer BIN -> bank, read from ``data/banks.yaml``.

Every VietQR participant of a maintained public list is in the file, each with its source
and the day it was compared (``checked``). One entry is the training bank: its identifier is
not a real BIN and does not look like one, so practice codes pay no one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import DataFileError, MissingEntry
from ..i18n import _
from .datafiles import DATA_DIR, checked_field, flag_field, invalid, load_yaml, require
from .datafiles import text_field as _text

BANKS_FILE = "banks.yaml"


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str
    source: str
    checked: date  # the day the entry was last compared with its source
    verified: bool = False
    training: bool = False


@dataclass(frozen=True)
class BankDirectory:
    """Banks by BIN; exactly one of them is the training bank."""

    banks: Mapping[str, Bank]

    def get(self, bin: str) -> Bank:
        try:
            return self.banks[bin]
        except (KeyError, TypeError):
            raise MissingEntry(
                _("Không có ngân hàng nào mang mã BIN {value!r} trong danh mục").format(value=bin),
                field="bin", value=bin) from None

    def find(self, bin: str) -> Bank | None:
        """Like :meth:`get` but ``None`` when unknown (the decoder's hot path)."""
        return self.banks.get(bin)

    def __contains__(self, bin: object) -> bool:
        return bin in self.banks

    def __iter__(self) -> Iterator[Bank]:
        return iter(self.banks.values())

    def __len__(self) -> int:
        return len(self.banks)

    @property
    def training_bank(self) -> Bank:
        return next(bank for bank in self.banks.values() if bank.training)


# Ranges every NAPAS member's BIN has used (970xxx banks, 971xxx wallets and digital banks);
# refused for the training bank even if a ward's copy of the file lists none of them.
NAPAS_PREFIXES = frozenset({"970", "971"})


def looks_like(candidate: str, real: str) -> bool:
    """True when ``candidate`` equals or looks like the real BIN ``real``.

    "Looks like" means any of:

    - the same six digits;
    - six digits that differ from ``real`` in exactly one place (one mistyped digit);
    - the same first three digits, i.e. inside a range real participants use
      (970 and 971 for NAPAS members, 546 CAKE/Ubank, 963 Timo/Liobank, 422 CIMB, 668 KBank...).

    A practice code whose BIN looked like a real one could reach that bank after a slip of
    one digit, or be taken for real by a payer; the training bank must be unmistakable.
    """
    if candidate[:3] == real[:3]:
        return True
    return sum(a != b for a, b in zip(candidate, real, strict=True)) <= 1


def lookalike_of(candidate: str, real_bins: Iterable[str]) -> str | None:
    """The first real BIN ``candidate`` looks like (see :func:`looks_like`), else ``None``."""
    if candidate[:3] in NAPAS_PREFIXES:
        return candidate[:3] + "xxx"
    return next((real for real in real_bins if looks_like(candidate, real)), None)


_flag = partial(flag_field, default=False)


def _lookalike(file: str, training_bin: str, real: str) -> DataFileError:
    return invalid(file, _("ngân hàng {bin}").format(bin=training_bin), "bin", training_bin, _(
        "ngân hàng tập dượt không được mang mã BIN trùng hoặc giống mã của ngân hàng thật "
        "{real} (trùng mã, cùng 3 chữ số đầu, hoặc chỉ khác một chữ số)").format(real=real))


def parse_banks(data: Any, file: str) -> BankDirectory:
    """Build a directory from the parsed YAML; every error names file, entry and field."""
    rows = require(data, "banks", file=file, entry=_("đầu tệp"), kind=list)
    banks: dict[str, Bank] = {}
    for index, entry in enumerate(rows, start=1):
        label = _("ngân hàng thứ {n}").format(n=index)
        if not isinstance(entry, dict):
            raise invalid(file, label, "banks", entry, _("mỗi ngân hàng phải là một bảng khóa: giá trị"))
        raw_bin = require(entry, "bin", file=file, entry=label, kind=(str, int))
        if not isinstance(raw_bin, str) or len(raw_bin) != 6 or not raw_bin.isascii() \
                or not raw_bin.isdigit():
            raise invalid(file, label, "bin", raw_bin,
                          _("mã BIN phải là chuỗi 6 chữ số đặt trong ngoặc kép, ví dụ \"970436\""))
        label = _("ngân hàng {bin}").format(bin=raw_bin)
        bank = Bank(
            bin=raw_bin,
            short_name=_text(entry, "short_name", file, label),
            name=_text(entry, "name", file, label),
            source=_text(entry, "source", file, label),
            checked=checked_field(entry, "checked", file, label),
            verified=_flag(entry, "verified", file, label),
            training=_flag(entry, "training", file, label),
        )
        if raw_bin in banks:
            if bank.training or banks[raw_bin].training:
                raise _lookalike(file, raw_bin, raw_bin)
            raise invalid(file, label, "bin", raw_bin, _("mã BIN bị trùng với một ngân hàng ở trên"))
        banks[bank.bin] = bank
    real = [bank.bin for bank in banks.values() if not bank.training]
    for bank in banks.values():
        # A practice code must never reach a real bank: refuse a real-looking training BIN.
        like = lookalike_of(bank.bin, real) if bank.training else None
        if like is not None:
            raise _lookalike(file, bank.bin, like)
    training = [bank.bin for bank in banks.values() if bank.training]
    if len(training) != 1:
        raise DataFileError(
            _("Tệp {file}: phải có đúng một ngân hàng tập dượt (training: true), "
              "tìm thấy {count}: {bins}").format(
                file=Path(file).name, count=len(training), bins=", ".join(training) or "-"),
            file=file, entry=None, field="training")
    return BankDirectory(MappingProxyType(banks))


@cache
def _load_default() -> BankDirectory:
    return parse_banks(load_yaml(BANKS_FILE), str(DATA_DIR / BANKS_FILE))


def load_banks(path: str | Path | None = None) -> BankDirectory:
    """The bank directory (``data/banks.yaml`` unless ``path`` is given; cached)."""
    if path is None:
        return _load_default()
    return parse_banks(load_yaml(path), str(path))

"""Bank directory for VietQR: acquirer BIN -> bank, read from ``data/banks.yaml``.

Source of each entry is in the file (SBV BIN list via subiz/vietqr ``bank.csv``). One entry
is the training bank: its identifier is not a real BIN, so practice codes pay no one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import DataFileError, MissingEntry
from ..i18n import _
from .datafiles import DATA_DIR, flag_field, invalid, load_yaml, require
from .datafiles import text_field as _text

BANKS_FILE = "banks.yaml"


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str
    source: str
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








_flag = partial(flag_field, default=False)


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
        if raw_bin in banks:
            raise invalid(file, label, "bin", raw_bin, _("mã BIN bị trùng với một ngân hàng ở trên"))
        bank = Bank(
            bin=raw_bin,
            short_name=_text(entry, "short_name", file, label),
            name=_text(entry, "name", file, label),
            source=_text(entry, "source", file, label),
            verified=_flag(entry, "verified", file, label),
            training=_flag(entry, "training", file, label),
        )
        # A practice code must never reach a real bank: refuse a real-looking training BIN.
        if bank.training and bank.bin.startswith("970"):
            raise invalid(file, label, "bin", bank.bin,
                          _("ngân hàng tập dượt không được mang mã BIN thật dạng 970xxx"))
        banks[bank.bin] = bank
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

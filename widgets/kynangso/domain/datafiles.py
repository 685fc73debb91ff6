"""Load the YAML data files a ward edits, with errors that name file, entry and field."""

from __future__ import annotations

import string
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from ..i18n import _, nfc

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# libyaml's loader reads the catalogue ~10x faster: a simulator page builds it on load.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _normalise(value: Any) -> Any:
    # Files may be saved by editors that decompose diacritics; compare NFC everywhere.
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {_normalise(k): _normalise(v) for k, v in value.items()}
    return value


def data_path(name_or_path: str | Path) -> Path:
    """A data file by name (in ``data/``) or by path."""
    path = Path(name_or_path)
    if not path.is_absolute() and not path.exists():
        path = DATA_DIR / path
    return path


def read_data_text(path: Path) -> str:
    """The UTF-8 text of a data file, or a DataFileError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(_("Không tìm thấy tệp dữ liệu {file}").format(file=path),
                            file=str(path)) from None
    except UnicodeDecodeError:
        raise DataFileError(_("Tệp dữ liệu {file} không phải UTF-8").format(file=path),
                            file=str(path)) from None


def load_yaml(name_or_path: str | Path) -> Any:
    """Read a data file by name (in ``data/``) or path; NFC-normalise every string."""
    path = data_path(name_or_path)
    text = read_data_text(path)
    try:
        return _normalise(yaml.load(text, Loader=LOADER))
    except ValueError as exc:  # e.g. an unquoted impossible date such as 2027-13-40
        raise DataFileError(
            _("Tệp dữ liệu {file} có giá trị không đọc được: {error}").format(
                file=path.name, error=exc), file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (dòng {line})").format(line=mark.line + 1) if mark else ""
        raise DataFileError(
            _("Tệp dữ liệu {file} sai cú pháp YAML{where}").format(file=path.name, where=where),
            file=str(path)) from None


def require(mapping: Any, key: str, *, file: str, entry: str, kind: type | tuple = object) -> Any:
    """Return ``mapping[key]``, or raise a DataFileError naming file, entry and field."""
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] is None:
        raise DataFileError(
            _("Tệp {file}, mục {entry}: thiếu trường '{field}'").format(
                file=Path(file).name, entry=entry, field=key),
            file=file, entry=entry, field=key)
    value = mapping[key]
    if not isinstance(value, kind):
        raise DataFileError(
            _("Tệp {file}, mục {entry}: trường '{field}' không đúng kiểu; giá trị đang ghi là "
              "{value!r}").format(file=Path(file).name, entry=entry, field=key, value=value),
            file=file, entry=entry, field=key, value=value)
    return value


def invalid(file: str, entry: str, field: str, value: Any, rule: str) -> DataFileError:
    """A DataFileError for a present but wrong value; ``rule`` says what is expected.

    Written for the ward staff who edit the file: the value is named so they can find it.
    """
    return DataFileError(
        _("Tệp {file}, mục {entry}: trường '{field}' không hợp lệ: {rule}; giá trị đang ghi là "
          "{value!r}").format(file=Path(file).name, entry=entry, field=field, value=value,
                              rule=rule),
        file=file, entry=entry, field=field, value=value)


def text_field(mapping: Any, key: str, file: str, entry: str, *, optional: bool = False) -> str:
    """A non-blank text field, stripped (``""`` when optional and absent)."""
    if optional and (not isinstance(mapping, dict) or mapping.get(key) is None):
        return ""
    value = require(mapping, key, file=file, entry=entry, kind=str).strip()
    if not value and not optional:
        raise invalid(file, entry, key, value, _("không được để trống"))
    return value


def flag_field(mapping: Any, key: str, file: str, entry: str, *,
               default: bool | None = None) -> bool:
    """A true/false field; required unless a ``default`` is given."""
    if default is not None and isinstance(mapping, dict) and key not in mapping:
        return default
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if default is None:
        return require(mapping, key, file=file, entry=entry, kind=bool)
    if not isinstance(value, bool):
        raise invalid(file, entry, key, value, _("phải là true hoặc false"))
    return value


def checked_field(mapping: Any, key: str, file: str, entry: str, *, prefix: str = "") -> date:
    """The day a fact was last compared with its source (``checked: 2026-12-02``).

    Facts change often (decrees, fees, bank lists); a trainer reads this date
    in docs/sources.md to see what to re-check. A day in the future is a typo.
    ``prefix`` names the block in errors ("fee." gives "fee.checked").
    """
    name = prefix + key
    if not isinstance(mapping, dict) or mapping.get(key) is None:
        raise DataFileError(
            _("Tệp {file}, mục {entry}: thiếu trường '{field}'").format(
                file=Path(file).name, entry=entry, field=name),
            file=file, entry=entry, field=name)
    value = mapping[key]
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime) or not isinstance(value, date):
        raise invalid(file, entry, name, value, _("cần ngày dạng YYYY-MM-DD, ví dụ 2026-12-02"))
    if value > date.today():
        raise invalid(file, entry, name, value.isoformat(),
                      _("ngày kiểm tra không thể ở tương lai"))
    return value


def wording(raw: Any, *, file: str, entry: str, field: str) -> tuple[str, str]:
    """A text a trainee reads, written ``{vi: ..., en: ...}``: (Vietnamese, English), both
    non-blank and stripped. Shown with :func:`kynangso.i18n.in_language`."""
    if raw is None:
        raise invalid(file, entry, field, None,
                      _("thiếu nhãn: cần vi (tiếng Việt) và en (tiếng Anh)"))
    if not isinstance(raw, dict):
        raise invalid(file, entry, field, raw,
                      _("cần vi (tiếng Việt) và en (tiếng Anh)"))
    texts = []
    for language in ("vi", "en"):
        value = raw.get(language)
        if not isinstance(value, str) or not value.strip():
            raise invalid(file, entry, f"{field}.{language}", value,
                          _("cần chữ, không được để trống"))
        texts.append(value.strip())
    return texts[0], texts[1]


def same_placeholders(vi: str, en: str, *, file: str, entry: str, field: str) -> None:
    """Refuse an English template whose ``{placeholders}`` differ from the Vietnamese one."""
    def names(text: str, language: str) -> list[str]:
        try:
            return sorted(f"{n}!{c}" if c else n
                          for _lit, n, _spec, c in string.Formatter().parse(text) if n is not None)
        except ValueError:
            raise invalid(file, entry, f"{field}.{language}", text,
                          _("dấu ngoặc nhọn { } không khớp nhau")) from None

    want = names(vi, "vi")
    if names(en, "en") != want:
        raise invalid(file, entry, f"{field}.en", en, _(
            "bản tiếng Anh phải dùng đúng các chỗ trống của bản tiếng Việt: {fields}").format(
                fields=", ".join("{" + name + "}" for name in want) or "-"))

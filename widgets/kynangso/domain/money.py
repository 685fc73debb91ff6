"""Money as a Vietnamese reader expects it: ``200.000 ₫`` (Babel, vi_VN)."""

from __future__ import annotations


def format_vnd(amount: int) -> str:
    """``200000`` -> ``"200.000 ₫"`` with a no-break space, so the sign never wraps alone."""
    from babel.numbers import format_currency  # only needed when text is shown

    return format_currency(amount, "VND", locale="vi_VN")


def format_number(value: int) -> str:
    """``2588`` -> ``"2.588"``."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale="vi_VN")

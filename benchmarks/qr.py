"""Speed of the VietQR codec and of QR images, each beside a baseline measured in the same run.

    .venv/bin/python benchmarks/qr.py            # measure, print, update docs/benchmarks.md
    .venv/bin/python benchmarks/qr.py --no-write # measure and print only

Rows: encode + decode of a payload against building the same payload by bare string
concatenation and ``binascii.crc_hqx`` (no checks); drawing a PNG and reading it back against
segno drawing alone. Ratios, not absolute times, are what compare across machines.
The codec target is 50,000 encode + decode per second.
"""

from __future__ import annotations

import argparse
import binascii
import io
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import segno

from kynangso.domain.banks import load_banks
from kynangso.domain.qrimage import qr_png, read_qr
from kynangso.domain.vietqr import VietQR, _full, decode, encode

from report import REPORT, markers, write_section

ROOT = Path(__file__).resolve().parent.parent

START, END = markers("qr")
TARGET = 50_000
BANKS = load_banks()


def sample_codes(count: int, seed: int = 2025) -> list[VietQR]:
    """Synthetic codes shaped like the lessons' (real BINs are fine: nothing is drawn)."""
    rng = random.Random(seed)
    bins = sorted(bank.bin for bank in load_banks())
    purposes = [None, "chuyen khoan", "Le phi ly lich tu phap", "Tien dien thang 5", "HD 0042"]
    names = [None, "NGUYEN VAN A", "TRAN THI BICH", "CUA HANG TAP HOA"]
    return [
        VietQR(
            rng.choice(bins),
            "".join(rng.choice("0123456789") for _ in range(rng.randint(8, 16))),
            amount=rng.choice([None, rng.randint(1_000, 5_000_000)]),
            name=rng.choice(names),
            purpose=rng.choice(purposes),
        )
        for _ in range(count)
    ]


def bare_payload(qr: VietQR) -> str:
    """The same payload by plain concatenation: no checks, no notes, no transliteration."""
    acquirer = f"0006{qr.bin}01{len(qr.account):02d}{qr.account}"
    merchant = f"0010A00000072701{len(acquirer):02d}{acquirer}0208{qr.service}"
    body = "000201" + ("010212" if qr.amount else "010211") + f"38{len(merchant):02d}{merchant}"
    body += "5303704"
    if qr.amount:
        body += f"54{len(str(qr.amount)):02d}{qr.amount}"
    body += "5802VN"
    if qr.name:
        body += f"59{len(qr.name):02d}{qr.name}"
    if qr.purpose:
        body += f"62{len(qr.purpose) + 4:02d}08{len(qr.purpose):02d}{qr.purpose}"
    body += "6304"
    return body + f"{binascii.crc_hqx(body.encode(), 0xFFFF):04X}"


def rate(work: Callable[[object], object], items: Sequence, seconds: float,
         repeats: int = 5) -> float:
    """Best items-per-second over ``repeats`` runs of at least ``seconds`` each."""
    best = 0.0
    for _ in range(repeats):
        done = 0
        start = time.perf_counter()
        while True:
            for item in items:
                work(item)
            done += len(items)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        best = max(best, done / elapsed)
    return best


def codec_round_trip(qr: VietQR) -> None:
    result = decode(encode(qr).payload)
    if not result.ok:  # never taken; keeps the work from being skipped as useless
        raise AssertionError(result.problems)


def full_decode(payload: str) -> None:
    # What every broken payload goes through: tree, repair search, every rule.
    if not _full(payload, BANKS).ok:
        raise AssertionError(payload)


def segno_png(payload: str) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def image_round_trip(payload: str) -> None:
    if read_qr(qr_png(payload)).payload != payload:
        raise AssertionError(payload)


def measure(seconds: float) -> list[tuple[str, float, str, float]]:
    codes = sample_codes(500)
    assert all(encode(qr).payload == bare_payload(qr) for qr in codes), "baseline drifted"
    payloads = [encode(qr).payload for qr in codes]
    training = load_banks().training_bank.bin
    practice = [encode(VietQR(training, qr.account, amount=qr.amount, name=qr.name,
                              purpose=qr.purpose)).payload for qr in codes[:20]]
    return [
        ("VietQR encode + decode", rate(codec_round_trip, codes, seconds),
         "crc_hqx + string concat", rate(bare_payload, codes, seconds)),
        ("VietQR encode only", rate(encode, codes, seconds),
         "crc_hqx + string concat", rate(bare_payload, codes, seconds)),
        ("VietQR full decoder only (no fast path)", rate(full_decode, payloads, seconds),
         "crc_hqx + string concat", rate(bare_payload, codes, seconds)),
        ("PNG draw + read (qr_png, read_qr)", rate(image_round_trip, practice, seconds, 3),
         "segno draw alone", rate(segno_png, practice, seconds, 3)),
    ]


def report(rows: list[tuple[str, float, str, float]]) -> str:
    codec = rows[0][1]
    verdict = "met" if codec >= TARGET else "NOT met"
    lines = [
        START,
        "## QR codec and images (`benchmarks/qr.py`)",
        "",
        f"Measured {date.today().isoformat()} on {platform.machine()}, Python "
        f"{platform.python_version()}; best of several runs, each baseline in the same run.",
        "",
        "| work | per second | baseline | baseline per second | ratio |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for name, value, base_name, base in rows:
        lines.append(f"| {name} | {value:,.0f} | {base_name} | {base:,.0f} | {value / base:.3f} |")
    lines += [
        "",
        f"Target for encode + decode: {TARGET:,} per second, {verdict}. The codec checks every "
        "field and decodes through a fast path for well-formed payloads; broken ones take the "
        "full decoder, which is slower by design (it reports every problem). Drawing is "
        "dominated by segno's PNG writer; reading adds little.",
        END,
    ]
    return "\n".join(lines)




def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one timed run")
    parser.add_argument("--no-write", action="store_true", help="do not update the report")
    args = parser.parse_args(argv)
    rows = measure(args.seconds)
    for name, value, base_name, base in rows:
        print(f"{name:36} {value:>12,.0f}/s   {base_name:24} {base:>12,.0f}/s   "
              f"ratio {value / base:.3f}")
    codec = rows[0][1]
    print(f"target {TARGET:,}/s for encode + decode: {'met' if codec >= TARGET else 'NOT met'}")
    if not args.no_write:
        write_section("qr", report(rows))
        print(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

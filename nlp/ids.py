"""Thai national ID numbers: 13 digits with a mod-11 check digit, typed with or without dashes
or spaces (and in Thai digits). They are never asked for; one typed anyway is masked before
anything is stored or logged."""

from __future__ import annotations

import re

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# 13 digits, optionally grouped 1-4-5-2-1 (or any grouping) with dashes/spaces/dots.
_CANDIDATE = re.compile(r"(?<![0-9๐-๙])[0-9๐-๙](?:[ \-.]?[0-9๐-๙]){12}(?![0-9๐-๙])")


def is_valid_national_id(digits: str) -> bool:
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def _digits(candidate: str) -> str:
    return re.sub(r"[^0-9]", "", candidate.translate(_THAI_DIGITS))


def find_national_ids(text: str) -> list[str]:
    """The valid national ID numbers in `text`, as 13 plain digits."""
    if not isinstance(text, str):
        return []
    return [d for d in (_digits(m.group()) for m in _CANDIDATE.finditer(text)) if is_valid_national_id(d)]


def mask_national_ids(text: str) -> str:
    """`text` with every valid national ID number replaced by x-xxxx-xxxxx-xx-x."""
    if not isinstance(text, str):
        return ""

    def replace(match: re.Match[str]) -> str:
        return "x-xxxx-xxxxx-xx-x" if is_valid_national_id(_digits(match.group())) else match.group()

    return _CANDIDATE.sub(replace, text)

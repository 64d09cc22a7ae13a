"""Download file names: after the workshop's title, date and language.

Browsers and mail programs handle non-ASCII file names unevenly, so the
``filename`` parameter of Content-Disposition is an ASCII transliteration
(``kranj-ustvarjalne-regije-2026-11-20-sl.pdf``) and the title as written goes
in ``filename*`` (RFC 6266, encoded as RFC 5987 says:
``Kranj – ustvarjalne regije 2026-11-20 sl.pdf``), which current browsers prefer.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

#: Letters that Unicode decomposition does not reduce to ASCII.
_TRANSLITERATION = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)
#: Characters no file system accepts in a name, or that end one.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
MAX_TITLE = 80
FALLBACK = "strategy-draft"


def ascii_slug(text: str, max_length: int = MAX_TITLE) -> str:
    """``text`` as lowercase ASCII words joined by hyphens ("Zażółć gęślą" -> "zazolc-gesla")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def _readable(text: str) -> str:
    cleaned = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    return cleaned[:MAX_TITLE].rstrip(" .")


def file_names(title: str, held_on: dt.date, language: str, fmt: str) -> tuple[str, str]:
    """(ASCII name, name as written) of a download."""
    date = held_on.isoformat()
    slug = ascii_slug(title) or FALLBACK
    readable = _readable(unicodedata.normalize("NFC", title)) or FALLBACK
    return f"{slug}-{date}-{language}.{fmt}", f"{readable} {date} {language}.{fmt}"


def content_disposition(title: str, held_on: dt.date, language: str, fmt: str) -> str:
    """The Content-Disposition header of a download (RFC 6266 with an RFC 5987 ``filename*``)."""
    plain, original = file_names(title, held_on, language, fmt)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(original, safe='')}"

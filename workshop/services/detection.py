"""Which language a contribution is written in, detected offline.

Detection uses Lingua (lingua-language-detector: its models ship in the
wheel, nothing is downloaded) in low-accuracy mode, restricted to the
product's seven languages. Low-accuracy mode keeps the trigram models only:
about 35 MB in the server process instead of about 240 MB (docs/performance.md),
and on sentences it finds the same language; its doubts on a few words show
as a low confidence, which the fallback below catches.

Candidates are all seven languages, not only the room's: a Czech guest whose
phone speaks English writes Czech in a Slovenian room, and only the text
tells. Texts too short to tell (a few words), or whose best guess is unsure,
take the writer's language instead (their choice, else their browser's, else
the workshop's).
"""

from __future__ import annotations

import threading
from typing import Any

#: Lingua's name of each locale code.
LINGUA_NAMES = {
    "en": "ENGLISH",
    "de": "GERMAN",
    "pl": "POLISH",
    "cs": "CZECH",
    "it": "ITALIAN",
    "sl": "SLOVENE",
    "nl": "DUTCH",
}
#: Fewer letters than this: too short to tell, the writer's language is taken.
MIN_LETTERS = 12
#: A best guess below this confidence (0 to 1) is not trusted.
MIN_CONFIDENCE = 0.7

_detector: Any = None
_lock = threading.Lock()


def _build() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LINGUA_NAMES.values()]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def detector() -> Any:
    """The shared detector, built on first use (loading its models takes about a second)."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = _build()
    return _detector


def preload() -> None:
    """Load the models now (a server does before it accepts connections)."""
    detector()


def detect(text: str, fallback: str) -> str:
    """The language of ``text`` among the product's languages, else ``fallback``."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return fallback
    values = detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return fallback
    code = values[0].language.iso_code_639_1.name.lower()
    return code if code in LINGUA_NAMES else fallback

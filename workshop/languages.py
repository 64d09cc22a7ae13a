"""The product's languages, in one place: every check, menu and catalogue reads this table.

Positive Core speaks the languages of its network (docs/glossary.md):
English (the source language), German, Polish, Czech, Italian, Slovenian and
Dutch. Adding one means a row here and its catalogues in ``translations/``.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Language:
    """One supported language."""

    code: str
    #: Its name in itself, as the language menus show it.
    name: str
    #: The gettext plural index of each CLDR category that ``Intl.PluralRules``
    #: gives in the browser (integers; Babel's Plural-Forms).
    plural_index: dict[str, int]


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", {"one": 0, "other": 1}),
    Language("de", "Deutsch", {"one": 0, "other": 1}),
    Language("pl", "Polski", {"one": 0, "few": 1, "many": 2, "other": 2}),
    Language("cs", "Čeština", {"one": 0, "few": 1, "many": 2, "other": 2}),
    Language("it", "Italiano", {"one": 0, "many": 1, "other": 1}),
    Language("sl", "Slovenščina", {"one": 0, "two": 1, "few": 2, "other": 3}),
    Language("nl", "Nederlands", {"one": 0, "other": 1}),
)

#: Locale codes, in menu order.
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
#: Code -> name in that language.
NAMES: dict[str, str] = {language.code: language.name for language in LANGUAGES}
#: Code -> plural index by CLDR category.
PLURAL_INDEX: dict[str, dict[str, int]] = {
    language.code: language.plural_index for language in LANGUAGES
}


def is_supported(code: object) -> bool:
    """True when ``code`` is one of the product's locale codes."""
    return isinstance(code, str) and code in NAMES

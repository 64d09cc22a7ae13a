"""One table of languages (workshop/languages.py) drives every check, menu and catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

from workshop.languages import CODES, LANGUAGES, NAMES, is_supported

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def test_every_language_but_the_source_has_its_catalogues_and_no_other_does():
    on_disk = {path.name for path in TRANSLATIONS.iterdir() if path.is_dir()}
    assert on_disk == set(CODES) - {"en"}
    for code in on_disk:
        for domain in ("messages", "js"):
            assert (TRANSLATIONS / code / "LC_MESSAGES" / f"{domain}.po").is_file(), (code, domain)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_plural_indexes_fit_the_languages_plural_forms(language):
    forms = get_plural(language.code).num_plurals
    assert set(language.plural_index.values()) == set(range(forms))
    assert "other" in language.plural_index


@pytest.mark.parametrize("value", ["de", "sl", "xx", "EN", "", None, 7, ["de"]])
def test_every_check_gives_the_same_answer(value, api, client):
    supported = is_supported(value)
    assert supported == (value in NAMES if isinstance(value, str) else False)
    token = api.facilitator()
    created = api.http.post(
        "/api/workshops",
        json={"title": "Languages", "language": value},
        headers={"Authorization": f"Bearer {token}"},
    )
    if value is None:  # no choice: the default language
        assert created.status_code == 201 and created.json["language"] == "en"
    else:
        assert created.status_code == (201 if supported else 400), created.json
    if isinstance(value, str) and value:
        catalogue = client.get(f"/i18n/{value}.json")
        assert catalogue.status_code == (200 if supported else 404)
        page = client.get(f"/?lang={value}")
        assert page.status_code == 200
        assert (f'lang="{value}"' in page.get_data(as_text=True)) == supported

"""Strategy-draft exports in every format, consent in each, partner share links, JSON round trip."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from conftest import bearer, say
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

POLISH = "Zażółć gęślą jaźń w Bielsku-Białej"
CZECH = "Příliš žluťoučký kůň v Sokolově"
SLOVENE = "Čudovita šivilja iz Kranja žgečka"
GERMAN = "Größere Werkstätten in Chemnitz"
ITALIAN = "La città di Padova è più creativa"
PRIVATE = "Private: not for publication"
HIDDEN = "Hidden by the facilitator"
FORMULA = '=HYPERLINK("http://evil","click")'
FORMATS = ("md", "json", "docx", "pdf", "xlsx", "csv")


@pytest.fixture
def draft(api, room):
    token, wid = room["token"], room["workshop"]["id"]
    ana, ben, cleo = room["phones"]
    api.http.patch(
        f"/api/workshops/{wid}",
        json={"place": "Kranj, Slovenia", "held_on": "2026-11-20"},
        headers=bearer(token),
    )
    api.set_phase(token, wid, "discover")
    stories = [
        say(
            ana,
            "story",
            POLISH,
            title="Bielsko",
            consent="named",
            factors="Trust between the city and makers",
        ),
        say(ben, "story", CZECH, consent="anonymous"),
        say(cleo, "story", SLOVENE, consent="named"),
        say(ana, "story", GERMAN),
        say(ben, "story", ITALIAN),
        say(cleo, "story", PRIVATE, consent="private"),
        say(cleo, "story", HIDDEN, consent="named"),
        say(ben, "story", FORMULA),
    ]
    board = room["board"]
    theme = board.emit("theme_create", {"name": "Makers and the city"}, callback=True)["id"]
    for story in stories[:3]:
        board.emit("theme_assign", {"theme_id": theme, "contribution_id": story}, callback=True)
    board.emit("hide", {"contribution_id": stories[6]}, callback=True)
    api.set_phase(token, wid, "dream")
    dream = say(ben, "dream", "Every mill a creative campus", consent="anonymous")
    ana.emit("vote", {"contribution_id": dream}, callback=True)
    api.set_phase(token, wid, "design")
    proposition = say(
        cleo, "proposition", "Every region hosts a peer visit each year", theme_id=theme
    )
    api.set_phase(token, wid, "deliver")
    say(
        ana,
        "commitment",
        "Host the first peer visit",
        owner="Ana",
        owner_organisation="Kranj Creative",
        due="2027-04-30",
        proposition_id=proposition,
    )
    return {"token": token, "wid": wid, "theme": theme}


def fetch(api, draft, fmt, lang=None):
    url = f"/api/workshops/{draft['wid']}/export.{fmt}" + (f"?lang={lang}" if lang else "")
    response = api.http.get(url, headers=bearer(draft["token"]))
    assert response.status_code == 200, response.data[:300]
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def xlsx_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def text_of(fmt: str, data: bytes) -> str:
    if fmt == "docx":
        return docx_text(data)
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "xlsx":
        return "\n".join(str(c) for row in xlsx_rows(data) for c in row if c is not None)
    if fmt == "csv":
        return "\n".join(c for row in csv_rows(data) for c in row)
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_respects_consent_and_moderation(api, draft, fmt):
    text = text_of(fmt, fetch(api, draft, fmt).data)
    for words in (POLISH, CZECH, SLOVENE, GERMAN, ITALIAN, "Every mill a creative campus"):
        assert words in text, (fmt, words)
    assert PRIVATE not in text and HIDDEN not in text
    assert "Ana" in text and "Cleo" in text  # they signed stories
    assert "Tabakfabrik" not in text  # Ben never signed anything


def test_docx_is_an_editable_word_document(api, draft):
    document = Document(io.BytesIO(fetch(api, draft, "docx").data))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Creative regions") in styles
    headings = [text for style, text in styles if style.startswith("Heading 1")]
    assert headings == [
        "Strengths: the positive core",
        "Opportunities and aspirations",
        "Results: commitments",
        "Appendix: every story in full",
    ]
    assert ("Heading 2", "Makers and the city (3 stories)") in styles
    body = document.element.body.xml
    assert 'TOC \\o "1-3"' in body
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "What",
        "Who",
        "Organisation",
        "By when",
        "Proposition",
    ]
    assert table.rows[1].cells[0].text == "Host the first peer visit"
    assert table.rows[1].cells[2].text == "Kranj Creative"
    assert "w:tblHeader" in table.rows[0]._tr.xml


def test_pdf_is_a4_with_page_numbers_and_intact_diacritics(api, draft):
    data = fetch(api, draft, "pdf").data
    reader = PdfReader(io.BytesIO(data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    for words in (POLISH, CZECH, SLOVENE):
        assert words in text
    pages = len(reader.pages)
    assert pages >= 2 and f"Page 1 / {pages}" in text and f"Page {pages} / {pages}" in text


def test_spreadsheets_have_a_row_per_contribution_and_no_formulas(api, draft):
    rows = xlsx_rows(fetch(api, draft, "xlsx").data)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["ID", "Phase", "Kind", "Theme"]
    assert len(body) == 9  # 8 stories - private - hidden + dream + proposition + commitment
    texts = {row[5] for row in body}
    assert f"'{FORMULA}" in texts and FORMULA not in texts
    assert not any(
        isinstance(c, str) and c.startswith(("=", "+", "-", "@")) for row in body for c in row
    )
    by_text = {row[5]: row for row in body}
    assert by_text["Every mill a creative campus"][7] == 1  # votes stay numbers
    assert by_text[POLISH][3] == "Makers and the city" and by_text[POLISH][9] == "Ana"
    assert by_text[CZECH][9] == "Anonymous"

    rows = csv_rows(fetch(api, draft, "csv").data)
    assert len(rows) == 10 and rows[0][0] == "ID"
    assert f"'{FORMULA}" in {row[5] for row in rows}


def test_json_round_trip_through_the_import_command(api, draft, app, runner, tmp_path):
    first = json.loads(fetch(api, draft, "json").data)
    assert first["schema"] == "positive-core/workshop" and first["version"] == 1
    assert (
        first["workshop"]["place"] == "Kranj, Slovenia"
        and first["workshop"]["held_on"] == "2026-11-20"
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first))
    result = runner.invoke(args=["workshop", "import", str(path), "--owner", "fac@example.org"])
    assert result.exit_code == 0, result.output
    new_id = int(result.output.split("Imported workshop ")[1].split()[0])
    assert new_id != draft["wid"]
    second = json.loads(
        api.http.get(f"/api/workshops/{new_id}/export.json", headers=bearer(draft["token"])).data
    )

    def normalise(doc):
        ids = {c["id"]: n for n, c in enumerate(doc["contributions"])}
        themes = {t["id"]: n for n, t in enumerate(doc["themes"])}
        for c in doc["contributions"]:
            c["id"] = ids[c["id"]]
            c["theme_id"] = themes.get(c["theme_id"])
            c["proposition_id"] = ids.get(c["proposition_id"])
        for t in doc["themes"]:
            t["id"] = themes[t["id"]]
        doc["workshop"].pop("id")
        doc.pop("generated_at")
        return doc

    assert normalise(second) == normalise(first)


def test_import_refuses_a_damaged_file(runner, api, tmp_path):
    api.facilitator()
    path = tmp_path / "bad.json"
    path.write_text('{"schema": "something else"}')
    result = runner.invoke(args=["workshop", "import", str(path)])
    assert result.exit_code != 0 and "Cannot import" in result.output


def test_unknown_format_is_404(api, draft):
    response = api.http.get(
        f"/api/workshops/{draft['wid']}/export.exe", headers=bearer(draft["token"])
    )
    assert response.status_code == 404


def test_share_links(api, draft):
    url = f"/api/workshops/{draft['wid']}/shares"
    created = api.http.post(url, headers=bearer(draft["token"]))
    assert created.status_code == 201
    token = created.json["token"]
    assert len(token) > 40 and created.json["url"].endswith(f"/s/{token}")
    partner = api.app.test_client()  # no account, no cookies
    page = partner.get(f"/s/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert POLISH in html and PRIVATE not in html and HIDDEN not in html
    for fmt in FORMATS:
        assert f"/s/{token}/export.{fmt}" in html
        response = partner.get(f"/s/{token}/export.{fmt}")
        assert response.status_code == 200 and PRIVATE not in text_of(fmt, response.data)
    # Listed by id and hint: the token itself was shown once, at creation.
    listed = api.http.get(url, headers=bearer(draft["token"])).json["shares"]
    assert [(s["id"], s["hint"]) for s in listed] == [(created.json["id"], token[:8])]
    assert token not in json.dumps(listed)

    assert api.http.delete(f"{url}/{token}", headers=bearer(draft["token"])).status_code == 204
    assert partner.get(f"/s/{token}").status_code == 410
    assert partner.get(f"/s/{token}/export.pdf").status_code == 410
    assert api.http.delete(f"{url}/{token}", headers=bearer(draft["token"])).status_code == 404
    assert partner.get("/s/pcs_unknown").status_code == 404


def test_share_links_expire(api, draft, app):
    import datetime as dt

    from workshop.extensions import db
    from workshop.models import ShareLink

    url = f"/api/workshops/{draft['wid']}/shares"
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    created = api.http.post(url, json={"expires_on": tomorrow}, headers=bearer(draft["token"])).json
    assert created["expires_at"].startswith(tomorrow)
    assert api.app.test_client().get(f"/s/{created['token']}").status_code == 200
    with app.app_context():
        link = db.session.scalar(db.select(ShareLink))
        link.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    assert api.app.test_client().get(f"/s/{created['token']}").status_code == 410
    bad = api.http.post(url, json={"expires_on": "2020-01-01"}, headers=bearer(draft["token"]))
    assert bad.status_code == 400 and bad.json["error"] == "invalid_date"
    bad = api.http.post(url, json={"expires_on": "soon"}, headers=bearer(draft["token"]))
    assert bad.status_code == 400


def test_share_links_are_for_the_owner_only(api, draft):
    other = api.facilitator("other@example.org")
    url = f"/api/workshops/{draft['wid']}/shares"
    assert api.http.post(url, headers=bearer(other)).status_code == 404
    assert api.http.post(url).status_code == 401


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_is_proofed_in_its_language_and_each_quote_in_its_own(api, draft):
    document = Document(io.BytesIO(fetch(api, draft, "docx", lang="sl").data))
    defaults = document.styles.element.find(f"{W}docDefaults")
    assert defaults.find(f".//{W}lang").get(f"{W}val") == "sl-SI"
    assert document.core_properties.language == "sl-SI"
    # The story is written in Polish (its tag comes from its text): its runs say so,
    # the Slovenian labels do not.
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    polish = next(p for p in quotes if POLISH in p.text)
    text_run = next(r for r in polish.runs if POLISH in r.text)
    assert text_run._r.find(f"{W}rPr/{W}lang").get(f"{W}val") == "pl-PL"
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert all(r._r.find(f"{W}rPr/{W}lang") is None for r in heading.runs)

    english = Document(io.BytesIO(fetch(api, draft, "docx").data))
    defaults = english.styles.element.find(f"{W}docDefaults")
    assert defaults.find(f".//{W}lang").get(f"{W}val") == "en-GB"
    # Only words in another language than the document's carry a language of their own.
    marked = {e.get(f"{W}val") for e in english.element.body.findall(f".//{W}r/{W}rPr/{W}lang")}
    assert "pl-PL" in marked and "en-GB" not in marked


def test_docx_table_of_contents_has_real_entries(api, draft):
    data = fetch(api, draft, "docx").data
    document = Document(io.BytesIO(data))
    body = document.element.body
    toc = body.find(f"{W}sdt")
    assert toc.find(f".//{W}docPartGallery").get(f"{W}val") == "Table of Contents"
    assert 'TOC \\o "1-3"' in "".join(t.text for t in toc.iter(f"{W}instrText"))
    entries = [
        (link.get(f"{W}anchor"), "".join(t.text for t in link.iter(f"{W}t")))
        for link in toc.iter(f"{W}hyperlink")
    ]
    # Every heading of levels 1-3 is bookmarked, and listed under its own name, in order.
    headings = []
    for paragraph in document.paragraphs:
        level = paragraph.style.name.removeprefix("Heading ")
        if level in ("1", "2", "3"):
            mark = paragraph._p.find(f"{W}bookmarkStart")
            headings.append((mark.get(f"{W}name"), paragraph.text))
    assert entries == headings
    assert [text for _, text in entries[:3]] == [
        "Strengths: the positive core",
        "Makers and the city (3 stories)",
        "Stories not yet grouped",
    ]
    # Nothing asks the reader to update fields on opening.
    assert b"updateFields" not in zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml")


def test_docx_ranks_are_word_numbered_lists(api, draft):
    document = Document(io.BytesIO(fetch(api, draft, "docx").data))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text.split(" — ")[0] for p in numbered] == [
        "Every mill a creative campus",
        "Every region hosts a peer visit each year",
    ]
    assert not any(p.text[:1].isdigit() for p in numbered)  # Word writes the numbers
    lists = [p._p.pPr.numPr.numId.val for p in numbered]
    assert lists[0] != lists[1]  # dreams and propositions each start at 1
    numbering = document.part.numbering_part.element
    for num_id in lists:
        num = next(n for n in numbering.num_lst if n.numId == num_id)
        assert num.find(f".//{W}startOverride").get(f"{W}val") == "1"


def test_xlsx_dates_are_date_cells(api, draft):
    import datetime as dt

    book = load_workbook(io.BytesIO(fetch(api, draft, "xlsx").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    due, created = header.index("Due") + 1, header.index("Created (UTC)") + 1
    rows = list(sheet.iter_rows(min_row=2))
    commitment = next(r for r in rows if r[5].value == "Host the first peer visit")
    cell = commitment[due - 1]
    assert cell.is_date and cell.value == dt.datetime(2027, 4, 30)
    assert cell.number_format == "yyyy-mm-dd"
    for row in rows:
        assert row[created - 1].is_date and "hh:mm" in row[created - 1].number_format
    about = book.worksheets[1]
    held = next(r for r in about.iter_rows() if r[0].value == "Date")[1]
    assert held.is_date and held.value == dt.datetime(2026, 11, 20)


HOSTILE = ["a;=cmd|' /C calc'!A0", "b,+SUM(1;2)", "c\n@SUM(1)", 'd "-2+3"', "e,\t=1+1", "f; -x"]


@pytest.mark.parametrize(("lang", "separator"), [("en", ","), ("de", ";"), ("pl", ";")])
def test_csv_is_safe_whatever_the_separator(api, draft, room, lang, separator):
    for text in HOSTILE:
        say(room["phones"][1], "commitment", text)
    data = fetch(api, draft, "csv", lang=lang).data
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    assert rows[0][0] == "ID" and len(rows) == 10 + len(HOSTILE)
    assert {len(row) for row in rows} == {16}
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert not cell.lstrip(" \t").startswith(("=", "+", "-", "@")), (delimiter, cell)
    cells = {row[5] for row in rows}
    assert "a;'=cmd|' /C calc'!A0" in cells and "c\n'@SUM(1)" in cells


def test_empty_sections_stay_out_and_list_items_stay_together(api, room):
    token, wid = room["token"], room["workshop"]["id"]
    board = room["board"]
    api.set_phase(token, wid, "discover")
    story = say(room["phones"][0], "story", "The mill became a school for makers")
    theme = board.emit("theme_create", {"name": "Makers and the city"}, callback=True)["id"]
    board.emit("theme_create", {"name": "A theme nobody filled"}, callback=True)
    board.emit("theme_assign", {"theme_id": theme, "contribution_id": story}, callback=True)
    api.set_phase(token, wid, "design")
    propositions = [
        f"Proposition {n}: every partner region hosts a peer visit each year, and what works "
        "in one region is tried in another within six months" + ", with schools" * (n % 7)
        for n in range(40)
    ]
    for n, text in enumerate(propositions):
        say(room["phones"][n % 3], "proposition", text, theme_id=theme)

    def get(fmt):
        return api.http.get(f"/api/workshops/{wid}/export.{fmt}", headers=bearer(token)).data

    for fmt in ("md", "docx", "pdf"):
        text = text_of(fmt, get(fmt))
        assert "Makers and the city" in text
        assert "A theme nobody filled" not in text and "not yet grouped" not in text, fmt
    assert {t["name"] for t in json.loads(get("json"))["themes"]} == {
        "Makers and the city",
        "A theme nobody filled",  # the data keeps it: propositions may build on it
    }

    pages = [
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(get("pdf"))).pages
    ]
    assert len(pages) > 3
    for text in propositions:
        whole = " ".join(text.split())
        assert sum(whole in page for page in pages) >= 1, f"split across pages: {text[:40]}"


def test_markdown_escapes_a_hostile_language_tag(api, draft, app):
    """A tag from an imported file is data too: it makes no link and no HTML."""
    from workshop.extensions import db
    from workshop.models import Contribution

    with app.app_context():
        for text, language in ((POLISH, "x](j:a)"), (CZECH, "<img/x>")):
            story = db.session.scalar(db.select(Contribution).where(Contribution.text == text))
            story.language = language
        db.session.commit()
    text = fetch(api, draft, "md").data.decode()
    assert "[x\\](j:a)]" in text and "x](j:a)" not in text
    assert "[\\<img/x\\>]" in text and "[<img/x>]" not in text

"""Hostile text is stored as typed (NFC, no control characters) and shown literally everywhere."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import bearer, named, new_client_id
from docx import Document
from openpyxl import load_workbook

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "javascript:alert(document.cookie)",
    "[click me](javascript:alert(1))",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "Ünïcödé 🎉🌍 emoji",
    "\u202eevil right-to-left override\u202c and \u200fRLM",
    "averyveryverylongwordwithoutanyspaces" * 40,
    "{{ 7*7 }} {% raw %}",
    "'; DROP TABLE contributions; --",
]


@pytest.fixture
def hostile(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    for index, text in enumerate(PAYLOADS):
        ack = room["phones"][index % 3].emit(
            "contribute",
            {
                "client_id": new_client_id(),
                "kind": "story",
                "text": text[:2000],
                "title": text[:200],
                "consent": "named",
            },
            callback=True,
        )
        assert ack["ok"], (text, ack)
    return room


def test_text_is_normalised_and_cleaned(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    ana = room["phones"][0]
    ack = ana.emit(
        "contribute",
        {
            "client_id": new_client_id(),
            "kind": "story",
            "text": "  Cafe\u0301\x00\x07 line\r\nnext\x1b  ",
        },
        callback=True,
    )
    story = named(room["phones"][1].get_received(), "contribution")[-1]
    assert story["id"] == ack["id"]
    assert story["text"] == "Café line\nnext"


def test_pages_escape_user_text(api, hostile):
    wid = hostile["workshop"]["id"]
    share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(hostile["token"])).json[
        "token"
    ]
    html = api.app.test_client().get(f"/s/{share}").get_data(as_text=True)
    for raw in ("<script>alert", "<img src=x", "<svg onload", 'onerror="'):
        assert raw not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]


def test_markdown_and_json_keep_text_literal(api, hostile):
    wid, token = hostile["workshop"]["id"], hostile["token"]
    md = api.http.get(f"/api/workshops/{wid}/export.md", headers=bearer(token)).get_data(
        as_text=True
    )
    assert not re.search(r"(?<!\\)<", md)  # every angle bracket is escaped
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # escaped brackets make no link
    data = json.loads(api.http.get(f"/api/workshops/{wid}/export.json", headers=bearer(token)).data)
    texts = {c["text"] for c in data["contributions"]}
    assert "<script>alert('x')</script>" in texts  # JSON carries the text exactly


def test_spreadsheets_neutralise_formulas(api, hostile):
    wid, token = hostile["workshop"]["id"], hostile["token"]
    rows = list(
        csv.reader(
            io.StringIO(
                api.http.get(f"/api/workshops/{wid}/export.csv", headers=bearer(token)).data.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    book = load_workbook(
        io.BytesIO(api.http.get(f"/api/workshops/{wid}/export.xlsx", headers=bearer(token)).data)
    )
    xlsx_rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    for table in (rows[1:], xlsx_rows[1:]):
        for row in table:
            for cell in row:
                assert not (isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@")), cell
    assert any(cell == "'=cmd|' /C calc'!A0" for row in rows for cell in row)


def test_word_keeps_text_literal(api, hostile):
    wid, token = hostile["workshop"]["id"], hostile["token"]
    document = Document(
        io.BytesIO(api.http.get(f"/api/workshops/{wid}/export.docx", headers=bearer(token)).data)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert('x')</script>" in text and "Ünïcödé 🎉🌍 emoji" in text

"""A flood of partner downloads on the real server: files or clear answers, never a 500.

40 parallel downloads of a share link's PDF, Word and Excel files in seven
languages hit ``python wsgi.py`` (eventlet) on SQLite and on PostgreSQL,
while a phone of another workshop keeps contributing. Every answer is a file,
503 "being prepared" or 429, each with Retry-After; the other room's acks all
arrive; the database pool is never exhausted. (The latency figures are
bench/download_flood.py's.)
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from livekit import LiveServer, next_event, postgres_database

FORMATS = {"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK"}
LANGUAGES = ("en", "de", "pl", "cs", "it", "sl", "nl")
DOWNLOADS = 40


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    drop = None
    url = None
    if request.param == "postgresql":
        url, drop = postgres_database()
    # One render at a time, three queued. LiveServer's downloads wait as long as a render
    # takes: each ends with a file or a refusal, and no render outlives the test.
    # Markdown, JSON and CSV of a workshop of more than 5 contributions: by a worker too.
    env = {"EXPORT_MAX_RENDERS": "1", "EXPORT_MAX_QUEUED": "3", "EXPORT_INLINE_CONTRIBUTIONS": "5"}
    live = LiveServer(tmp_path, mode="eventlet", database_url=url, extra_env=env)
    live.prepare().start()
    yield live
    live.stop()
    if drop:
        drop()


def contribute(client, kind: str, text: str) -> dict:
    return client.call(
        "contribute", {"client_id": str(uuid.uuid4()), "kind": kind, "text": text}, timeout=30
    )


def test_a_flood_of_downloads_gets_files_or_clear_answers(server):
    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}
    shared = server.create_workshop(token, title="Shared")
    server.set_phase(token, shared["id"], "discover")
    writer, _ = server.client({"token": server.join(shared["code"], "Ana")["token"]})
    for n in range(12):
        assert contribute(writer, "story", f"Story {n}: Zażółć gęślą jaźń, Čudovita šivilja")["ok"]
    link = requests.post(
        f"{server.base}/api/workshops/{shared['id']}/shares", headers=headers, timeout=10
    ).json()["token"]
    # A large workshop's light formats come from the worker process, the same files.
    markdown = requests.get(f"{server.base}/s/{link}/export.md?lang=sl", timeout=120)
    assert markdown.status_code == 200 and "Story 11: Zażółć" in markdown.text
    table = requests.get(f"{server.base}/s/{link}/export.csv?lang=de", timeout=120)
    assert table.status_code == 200 and table.content.startswith(b'\xef\xbb\xbf"ID";')

    other = server.create_workshop(token, title="The live room")
    server.set_phase(token, other["id"], "discover")
    phone, inbox = server.client({"token": server.join(other["code"], "Ben")["token"]})
    next_event(inbox, "snapshot")

    barrier = threading.Barrier(DOWNLOADS)

    def download(n: int) -> tuple[str, requests.Response]:
        fmt = list(FORMATS)[n % len(FORMATS)]
        url = f"{server.base}/s/{link}/export.{fmt}?lang={LANGUAGES[n % len(LANGUAGES)]}"
        barrier.wait()
        return fmt, requests.get(url, timeout=600)

    with ThreadPoolExecutor(DOWNLOADS) as pool:
        flood = [pool.submit(download, n) for n in range(DOWNLOADS)]
        # The other room goes on meanwhile: every contribution is stored and acknowledged.
        acks = [contribute(phone, "story", f"Meanwhile {n}") for n in range(5)]
        room = requests.get(
            f"{server.base}/api/workshops/{other['id']}", headers=headers, timeout=30
        )
        answers = [future.result() for future in flood]

    try:
        assert all(ack["ok"] for ack in acks), acks
        assert room.status_code == 200 and len(room.json()["contributions"]) == 5
        statuses = sorted(response.status_code for _, response in answers)
        assert set(statuses) <= {200, 429, 503}, statuses
        assert 200 in statuses and 429 in statuses  # 30 per link and minute
        for fmt, response in answers:
            if response.status_code == 200:
                assert response.content.startswith(FORMATS[fmt])
                assert response.headers["Content-Disposition"].startswith('attachment; filename="')
            else:
                assert int(response.headers["Retry-After"]) >= 1
                assert "text/html" in response.headers["Content-Type"]
        log = server.log_path.read_text()
        assert "QueuePool limit" not in log and "Traceback" not in log
    finally:
        for client in (writer, phone):
            client.disconnect()

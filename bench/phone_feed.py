"""What a mid-range phone spends on each incoming story, in a room of thousands.

A real server (``python wsgi.py`` from ``--root``: this tree, or an older
checkout for the figures before a change) holds a workshop in Discover with
``--stories`` stories (written straight into its SQLite database). A phone
page (Debian's Chromium through Playwright, 390×844) opens it; its CPU is
throttled ``--throttle`` times through the DevTools protocol
(``Emulation.setCPUThrottlingRate``), as a mid-range phone. Then
``--incoming`` new stories arrive over Socket.IO at ``--rate`` per second
from other participants, and the page's main-thread time (``Performance``
metrics: TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration)
is read before and after: divided by the number of stories, it is the cost
of one incoming story.

    .venv/bin/python bench/phone_feed.py                      # this tree
    git archive 54679fe | tar -x -C /tmp/before
    .venv/bin/python bench/phone_feed.py --root /tmp/before   # before the change

It also prints the server process's resident memory once the room is loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
import socketio

HERE = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "bench@example.org", "bench password 123"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
STORY = (
    "Forty makers opened their studios in the old textile mill and two thousand people "
    "came to see what the town could make again. Story {n}."
)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid``, in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """``python wsgi.py`` of ``root`` on a free port, with a fresh SQLite database."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root = root
        self.database = workdir / "bench.sqlite3"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "FLASK_CONFIG": "development",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "SECRET_KEY": "bench-secret-key-0123456789",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "SOCKETIO_ASYNC_MODE": "eventlet",
            "SOCKETIO_MESSAGE_QUEUE": "",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
        self.log = (workdir / "server.log").open("w")
        self.process: subprocess.Popen | None = None

    def flask(self, *args: str) -> None:
        """Run a ``flask`` command of the served tree."""
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "workshop", *args],
            cwd=self.root,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        """Compile catalogues, migrate, create the facilitator, serve; wait until healthy."""
        self.flask("translate", "compile")
        self.flask("db", "upgrade")
        self.flask("facilitator", "create", EMAIL, "--password", PASSWORD)
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"],
            cwd=self.root,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        """Stop the server."""
        if self.process:
            self.process.terminate()
            self.process.wait(10)


def seed(server: Server, stories: int) -> tuple[dict, str, list[str]]:
    """A workshop in Discover with ``stories`` stories; returns it, the token and writers' tokens."""
    token = requests.post(
        f"{server.base}/api/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    workshop = requests.post(
        f"{server.base}/api/workshops", json={"title": "Plenary"}, headers=auth, timeout=10
    ).json()
    requests.post(
        f"{server.base}/api/workshops/{workshop['id']}/phase",
        json={"phase": "discover"},
        headers=auth,
        timeout=10,
    ).raise_for_status()
    writers = [
        requests.post(
            f"{server.base}/api/join",
            json={"code": workshop["code"], "name": f"Writer {n}"},
            timeout=10,
        ).json()
        for n in range(8)
    ]
    # The room's history, written straight into the database (no rate limit to wait for).
    with sqlite3.connect(server.database) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(contributions)")}
        rows = []
        for n in range(stories):
            row = {
                "workshop_id": workshop["id"],
                "participant_id": writers[n % len(writers)]["participant_id"],
                "client_id": str(uuid.uuid4()),
                "kind": "story",
                "title": "",
                "text": STORY.format(n=n),
                "consent": "anonymous",
                "language": "en",
                "factors": "",
                "owner": "",
                "owner_organisation": "",
                "hidden": 0,
                "edited": 0,
                "vote_count": 0,
                "created_at": "2026-12-01 10:00:00",
            }
            rows.append({k: v for k, v in row.items() if k in columns})
        keys = list(rows[0])
        db.executemany(
            f"INSERT INTO contributions ({', '.join(keys)}) VALUES ({', '.join('?' for _ in keys)})",
            [tuple(r[k] for k in keys) for r in rows],
        )
    return workshop, token, [w["token"] for w in writers]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=HERE, help="source tree to serve")
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--incoming", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0, help="incoming stories per second")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slowdown of the phone")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(args.root.resolve(), Path(tmp))
        server.start()
        try:
            workshop, _token, writers = seed(server, args.stories)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                context = browser.new_context(
                    base_url=server.base,
                    viewport={"width": 390, "height": 844},
                    is_mobile=True,
                    has_touch=True,
                    locale="en-GB",
                )
                joined = context.request.post(
                    "/api/join", data={"code": workshop["code"], "name": "Phone"}
                )
                assert joined.ok, joined.text()
                page = context.new_page()
                page.goto(f"/w/{workshop['id']}")
                page.wait_for_selector("#conn[data-state='connected']", timeout=60000)
                page.wait_for_selector("#feed > li", timeout=60000)
                page.wait_for_timeout(2000)  # the first render of the room settles
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
                before = {
                    m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                }

                clients = []
                for token in writers[:6]:
                    client = socketio.Client()
                    client.connect(
                        server.base,
                        auth={"token": token},
                        transports=["websocket"],
                        wait_timeout=30,
                    )
                    clients.append(client)
                last = ""
                started = time.monotonic()
                for n in range(args.incoming):
                    last = f"Incoming story {n} {uuid.uuid4().hex[:6]}"
                    clients[n % len(clients)].emit(
                        "contribute",
                        {"client_id": str(uuid.uuid4()), "kind": "story", "text": last},
                    )
                    time.sleep(max(0.0, started + (n + 1) / args.rate - time.monotonic()))
                page.wait_for_selector(f"#feed > li:has-text('{last}')", timeout=120000)
                page.wait_for_timeout(1500)
                after = {
                    m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                }
                for client in clients:
                    client.disconnect()
                browser.close()
            memory = rss_mb(server.process.pid)
        finally:
            server.stop()

    figures = {
        name: round((after[name] - before[name]) * 1000 / args.incoming, 2)
        for name in ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
    }
    result = {
        "root": str(args.root),
        "stories": args.stories,
        "incoming": args.incoming,
        "rate_per_s": args.rate,
        "cpu_throttle": args.throttle,
        "ms_per_incoming_story": figures,
        "dom_nodes": int(after.get("Nodes", 0)),
        "server_rss_mb": round(memory, 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Does a flood of downloads delay a live room? Another room's ack latency, without and with it.

    .venv/bin/python bench/download_flood.py [--downloaders 40] [--database postgres] [--json out.json]

Runs the real server (``python wsgi.py``, eventlet by default) on a fresh
database, then:

1. a *shared* workshop is filled (``--contributions``, 200 by default) and
   gets a partner share link;
2. in *another* workshop, ``--phones`` phones each send a contribution every
   ``--interval`` seconds and time the server's ack;
3. for ``--quiet`` seconds nothing else happens (the reference), then for
   ``--flood`` seconds ``--downloaders`` clients download the shared
   workshop's PDF in parallel, each as fast as it is answered, in the seven
   languages in turn, while a phone of the shared workshop keeps writing
   (so the files keep changing and the cache cannot absorb the flood).
   A client told 503 or 429 does what the page's Refresh header tells a
   browser: waits Retry-After, then comes back to the URL given (with the
   ticket of the render it waits for).

The rate limits are off unless ``--rate-limit`` is given: the flood models
many addresses, so only the render queue stands between it and the room.

Prints the other room's ack p50/p95/max in both periods (target: p95 under
1 s with the flood), the answers the downloaders got (never a 500), the
number of worker processes alive at once and the peak memory of the server
with its workers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = os.environ.get("POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
EMAIL, PASSWORD = "flood@example.org", "flood password"
LANGUAGES = ("en", "de", "pl", "cs", "it", "sl", "nl")
TARGET_P95 = 1.0


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


class Database:
    """A temporary SQLite file or a fresh PostgreSQL database, dropped at the end."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.name: str | None = None
        if kind == "sqlite":
            self.url = f"sqlite:///{folder / 'flood.sqlite3'}"
            return
        import psycopg

        self.name = f"pc_flood_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        self.url = f"{base}/{self.name}"

    def drop(self) -> None:
        """Drop the PostgreSQL database of this run."""
        if self.name:
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Server:
    """``python wsgi.py`` on a free port, after ``db upgrade`` and ``facilitator create``."""

    def __init__(self, folder: Path, database: str, mode: str, rate_limit: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SOCKETIO_ASYNC_MODE": mode,
            "DATABASE_URL": database,
            "PORT": str(self.port),
            "FLASK_CONFIG": "development",
            "EXPORT_CACHE_DIR": str(folder / "exports"),
            "RATELIMIT_ENABLED": "1" if rate_limit else "0",
        }
        flask = [sys.executable, "-m", "flask", "--app", "workshop"]
        for command in (
            ["db", "upgrade"],
            ["facilitator", "create", EMAIL, "--password", PASSWORD],
        ):
            subprocess.run(
                [*flask, *command], env=self.env, cwd=ROOT, check=True, capture_output=True
            )
        self.log = (folder / "server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"], env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{self.base}/healthz", timeout=1).ok:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        token = requests.post(
            f"{self.base}/api/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10
        ).json()["token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call of the facilitator's API."""
        response = requests.request(
            method, f"{self.base}{path}", headers=self.headers, timeout=30, **kwargs
        )
        response.raise_for_status()
        return response

    def phone(self, code: str, name: str) -> socketio.Client:
        """A participant who joined ``code``, connected over WebSocket."""
        joined = requests.post(
            f"{self.base}/api/join", json={"code": code, "name": name}, timeout=30
        ).json()
        client = socketio.Client(reconnection=False)
        client.connect(self.base, auth={"token": joined["token"]}, transports=["websocket"])
        return client

    def workers(self) -> tuple[int, float]:
        """Worker processes alive, and RSS (MB) of the server with its workers."""
        count, rss = 0, _rss(self.process.pid)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                if (
                    int((entry / "stat").read_text().split(") ", 1)[1].split()[1])
                    != self.process.pid
                ):
                    continue
                if b"workshop.exports.worker" in (entry / "cmdline").read_bytes():
                    count += 1
                    rss += _rss(int(entry.name))
        return count, rss

    def cpu(self) -> float:
        """CPU seconds the server process has used (not its workers)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().split(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        self.log.close()


def _rss(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def contribute(client: socketio.Client, kind: str, text: str) -> float:
    """Send one contribution; seconds until the server's ack (which must be ok)."""
    start = time.perf_counter()
    ack = client.call(
        "contribute", {"client_id": str(uuid.uuid4()), "kind": kind, "text": text}, timeout=60
    )
    if not ack.get("ok"):
        raise RuntimeError(f"refused: {ack}")
    return time.perf_counter() - start


def prepare(server: Server, contributions: int) -> tuple[str, socketio.Client]:
    """The shared workshop, filled, with a share link; returns (link, a phone of it)."""
    shared = server.api("POST", "/api/workshops", json={"title": "Shared regional workshop"}).json()
    phones = [server.phone(shared["code"], f"Partner {i}") for i in range(10)]
    plan = [("discover", "story")] * 5 + [("dream", "dream")] * 3 + [("design", "proposition")] * 2
    per_phase = {phase: [] for phase, _ in plan}
    for n in range(contributions):
        phase, kind = plan[n % len(plan)]
        per_phase[phase].append(kind)
    for phase, kinds in per_phase.items():
        server.api("POST", f"/api/workshops/{shared['id']}/phase", json={"phase": phase})
        for n, kind in enumerate(kinds):
            text = f"{kind} {n}: what works in one region is tried in another within six months"
            contribute(phones[n % len(phones)], kind, text * 2)
    link = server.api("POST", f"/api/workshops/{shared['id']}/shares").json()["token"]
    for phone in phones[1:]:
        phone.disconnect()
    return link, phones[0]


def live_room(server: Server, phones: int) -> list[socketio.Client]:
    """Another workshop, in Discover, with its phones connected."""
    room = server.api("POST", "/api/workshops", json={"title": "The live room"}).json()
    server.api("POST", f"/api/workshops/{room['id']}/phase", json={"phase": "discover"})
    return [server.phone(room["code"], f"Phone {i}") for i in range(phones)]


def measure_room(
    clients: list[socketio.Client], interval: float, until: float, out: list[float]
) -> None:
    """Each phone contributes every ``interval`` seconds until ``until`` (monotonic); acks into ``out``."""

    def run(client: socketio.Client, offset: float) -> None:
        time.sleep(offset)
        n = 0
        while time.monotonic() < until:
            started = time.monotonic()
            out.append(contribute(client, "story", f"A story from the live room, number {n}"))
            n += 1
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    threads = [
        threading.Thread(target=run, args=(c, i * interval / len(clients)))
        for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def flood(
    server: Server, link: str, downloaders: int, until: float, answers: Counter, times: list[float]
) -> None:
    """``downloaders`` clients downloading the shared PDF until ``until``."""

    def run(number: int) -> None:
        session = requests.Session()
        n = number
        retry: str | None = None  # where a "being prepared" page sends the browser back
        while time.monotonic() < until:
            if retry is None:
                language = LANGUAGES[n % len(LANGUAGES)]
                n += 1
                url = f"{server.base}/s/{link}/export.pdf?lang={language}"
            else:
                url, retry = f"{server.base}{retry}", None
            start = time.perf_counter()
            try:
                response = session.get(url, timeout=120)
            except requests.RequestException as error:
                answers[f"error {type(error).__name__}"] += 1
                continue
            answers[response.status_code] += 1
            if response.status_code == 200:
                times.append(time.perf_counter() - start)
                if not response.content.startswith(b"%PDF"):
                    answers["200 without a PDF"] += 1
            elif response.status_code in (429, 503):
                # As a browser does with the page's Refresh: come back to its URL (its ticket).
                refresh = response.headers.get("Refresh", "")
                if "; url=" in refresh:
                    retry = refresh.split("; url=", 1)[1]
                wait = float(response.headers.get("Retry-After", 1))
                time.sleep(min(wait, max(0.0, until - time.monotonic())))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(downloaders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def keep_writing(phone: socketio.Client, every: float, until: float) -> int:
    """A phone of the shared workshop writing: its files change all through the flood."""
    n = 0
    while time.monotonic() < until:
        contribute(phone, "proposition", f"A late proposition, number {n}")
        n += 1
        time.sleep(every)
    return n


def period(
    server: Server,
    args: argparse.Namespace,
    room: list[socketio.Client],
    writer: socketio.Client,
    seconds: float,
    link: str | None,
) -> dict:
    """The live room and the shared workshop's writer for ``seconds``; with the flood when ``link``."""
    result: dict = {"acks": [], "answers": Counter(), "downloads": [], "workers": 0, "rss": 0.0}
    until = time.monotonic() + seconds
    cpu = server.cpu()
    own = time.process_time()
    threads = [
        threading.Thread(target=measure_room, args=(room, args.interval, until, result["acks"])),
        threading.Thread(target=keep_writing, args=(writer, args.change_every, until)),
    ]
    if link:
        threads.append(
            threading.Thread(
                target=flood,
                args=(
                    server,
                    link,
                    args.downloaders,
                    until,
                    result["answers"],
                    result["downloads"],
                ),
            )
        )
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        workers, rss = server.workers()
        result["workers"] = max(result["workers"], workers)
        result["rss"] = max(result["rss"], rss)
        time.sleep(0.5)
    result["server_cpu"] = round(server.cpu() - cpu, 2)
    result["bench_cpu"] = round(time.process_time() - own, 2)
    return result


def summary(acks: list[float]) -> dict[str, float]:
    """p50/p95/max in seconds."""
    return {
        "n": len(acks),
        "p50": round(statistics.median(acks), 4),
        "p95": round(percentile(acks, 0.95), 4),
        "max": round(max(acks), 4),
    }


def main() -> int:
    """Run both periods and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--downloaders", type=int, default=40)
    parser.add_argument("--phones", type=int, default=10)
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between a phone's contributions"
    )
    parser.add_argument("--contributions", type=int, default=200, help="in the shared workshop")
    parser.add_argument("--quiet", type=float, default=20.0, help="seconds of the reference period")
    parser.add_argument("--flood", type=float, default=40.0, help="seconds of the flood")
    parser.add_argument(
        "--change-every", type=float, default=3.0, help="the shared workshop changes this often"
    )
    parser.add_argument("--mode", default="eventlet", choices=("eventlet", "gevent", "threading"))
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--rate-limit", action="store_true", help="keep the rate limits on")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.database, Path(folder))
        server = Server(Path(folder), database.url, args.mode, args.rate_limit)
        try:
            print(f"filling the shared workshop ({args.contributions} contributions) …", flush=True)
            link, writer = prepare(server, args.contributions)

            room = live_room(server, args.phones)
            print(f"reference: {args.quiet:.0f} s without downloads …", flush=True)
            quiet = period(server, args, room, writer, args.quiet, link=None)
            print(
                f"flood: {args.downloaders} parallel PDF downloads for {args.flood:.0f} s …",
                flush=True,
            )
            flooded = period(server, args, room, writer, args.flood, link=link)
            for client in [writer, *room]:
                client.disconnect()
            log = Path(folder, "server.log").read_text()
        finally:
            server.stop()
            database.drop()

    figures = {
        "mode": args.mode,
        "database": args.database,
        "rate_limit": args.rate_limit,
        "downloaders": args.downloaders,
        "phones": args.phones,
        "load_average": os.getloadavg()[0],
        "acks_without_downloads": summary(quiet["acks"]),
        "acks_with_downloads": summary(flooded["acks"]),
        "server_cpu_seconds": {"without": quiet["server_cpu"], "with": flooded["server_cpu"]},
        "bench_cpu_seconds": {"without": quiet["bench_cpu"], "with": flooded["bench_cpu"]},
        "download_answers": {str(k): v for k, v in sorted(flooded["answers"].items(), key=str)},
        "download_seconds_p50": round(statistics.median(flooded["downloads"]), 2)
        if flooded["downloads"]
        else None,
        "peak_worker_processes": flooded["workers"],
        "peak_rss_server_and_workers_mb": round(flooded["rss"]),
        "pool_exhausted": "QueuePool limit" in log,
        "tracebacks_in_log": log.count("Traceback"),
    }
    print()
    print(
        f"Another room's acks ({args.phones} phones, one contribution each per {args.interval:g} s), "
        f"{args.mode}, {args.database}, load average {figures['load_average']:.1f}"
    )
    print(f"{'':34}{'n':>6}{'p50 (s)':>10}{'p95 (s)':>10}{'max (s)':>10}")
    for label, key in (
        ("without downloads", "acks_without_downloads"),
        (f"with {args.downloaders} parallel PDF downloads", "acks_with_downloads"),
    ):
        s = figures[key]
        print(f"{label:34}{s['n']:>6}{s['p50']:>10.3f}{s['p95']:>10.3f}{s['max']:>10.3f}")
    print(
        f"server CPU: {figures['server_cpu_seconds']['without']} s without, "
        f"{figures['server_cpu_seconds']['with']} s with the downloads "
        f"(this benchmark's own: {figures['bench_cpu_seconds']['without']} s and "
        f"{figures['bench_cpu_seconds']['with']} s)"
    )
    print(
        f"downloads answered: {figures['download_answers']}; PDF served in p50 {figures['download_seconds_p50']} s"
    )
    print(
        f"worker processes at once: at most {figures['peak_worker_processes']}; server and workers: at most {figures['peak_rss_server_and_workers_mb']} MB"
    )
    print(
        f"pool exhausted: {figures['pool_exhausted']}; tracebacks in the server log: {figures['tracebacks_in_log']}"
    )
    met = figures["acks_with_downloads"]["p95"] < TARGET_P95
    print(f"target p95 < {TARGET_P95:g} s with the flood: {'met' if met else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

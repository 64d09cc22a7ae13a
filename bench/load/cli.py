"""The command line: ``python -m bench.load [options]`` (``--help``; bench/README.md).

Builds the plan (the bare server and the app, on a temporary database), runs
every scenario against it, prints the tables and the targets, and writes the
JSON; the exit status is 1 when one of the issue's targets is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.load.report import checklist, ratio_pairs, ratios, table, targets
from bench.load.scenarios import SCENARIOS, run_all
from bench.load.server import EMAIL, PASSWORD, Database, PrivateRedis, Target
from bench.load.stats import app_version, loadavg, machine, wait_idle

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _check_url(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {url}: benchmarks only target 127.0.0.1")
    return url.rstrip("/")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Positive Core scale benchmark (docs/performance.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--target", choices=("app", "bare"), default="app", help="what to measure")
    p.add_argument(
        "--compare",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the bare server in the same run (ratios app / bare)",
    )
    p.add_argument(
        "--mode",
        default=os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet"),
        choices=("eventlet", "gevent", "threading"),
    )
    p.add_argument(
        "--database",
        default="sqlite",
        help="sqlite (temporary file), postgres (fresh database) or a SQLAlchemy URL",
    )
    p.add_argument(
        "--bare-presence",
        default="coalesce",
        help="bare server's presence: coalesce (1/s, as the app), every (per connect), or both",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="app processes sharing rooms through Redis; >1 also measures one worker",
    )
    p.add_argument(
        "--message-queue",
        default="",
        help="Redis URL for --workers (default: a private redis-server)",
    )
    p.add_argument(
        "--url",
        action="append",
        default=[],
        help="a running server (127.0.0.1 only; repeat for workers)",
    )
    p.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        help="pid(s) of --url servers, for CPU and RSS",
    )
    p.add_argument("--email", default=EMAIL, help="facilitator for --url")
    p.add_argument("--password", default=PASSWORD, help="facilitator password for --url")
    p.add_argument(
        "--scenarios", default="join,burst,snapshot", help="comma-separated: join, burst, snapshot"
    )
    p.add_argument("--procs", type=int, default=2, help="generator processes")
    p.add_argument("--concurrency", type=int, default=50, help="joins in flight (all processes)")
    p.add_argument("--participants", type=int, default=2000, help="join: participants")
    p.add_argument("--probes", type=int, default=5, help="join: probe contributions afterwards")
    p.add_argument("--room", type=int, default=1000, help="burst: participants in the room")
    p.add_argument(
        "--contributors", type=int, default=200, help="burst: contributions (one per contributor)"
    )
    p.add_argument("--rounds", type=int, default=3, help="burst: rounds (targets take turns)")
    p.add_argument("--burst-seconds", type=float, default=20.0, help="burst: spread over this long")
    p.add_argument(
        "--grace", type=float, default=60.0, help="burst: wait this long after the last send"
    )
    p.add_argument("--text-bytes", type=int, default=280, help="length of each story's text")
    p.add_argument(
        "--contributions", type=int, default=5000, help="snapshot: contributions in the workshop"
    )
    p.add_argument("--seeders", type=int, default=100, help="snapshot: participants who fill it")
    p.add_argument(
        "--seed-timeout", type=float, default=180.0, help="snapshot: stop seeding after this long"
    )
    p.add_argument(
        "--late-joiners", type=int, default=5, help="snapshot: late joiners timed one by one"
    )
    p.add_argument("--quick", action="store_true", help="small sizes for development (100 clients)")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        help="first wait up to this many seconds for load < 1.0",
    )
    p.add_argument("--json", help="write every figure here")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = p.parse_args(argv)
    if args.quick:
        args.participants, args.room, args.contributors = 100, 100, 20
        args.burst_seconds, args.contributions, args.seeders = 5.0, 500, 20
        args.late_joiners, args.grace, args.rounds = 3, 20.0, 2
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    args.bare_presence = [s.strip() for s in args.bare_presence.split(",") if s.strip()]
    if set(args.bare_presence) - {"every", "coalesce"}:
        p.error("--bare-presence takes every, coalesce or both")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.url = [_check_url(u) for u in args.url]
    return args


def build_plan(
    args: argparse.Namespace, folder: Path, cleanup: contextlib.ExitStack
) -> list[Target]:
    """The targets to measure, in order; their database and Redis are dropped by ``cleanup``."""
    if args.url:
        target = Target(
            args.target,
            args.mode,
            urls=args.url,
            server_pids=args.server_pid,
            email=args.email,
            password=args.password,
        )
        return [target]
    plan: list[Target] = []
    if (args.compare and args.target == "app") or args.target == "bare":
        for presence in args.bare_presence:
            plan.append(Target("bare", args.mode, folder=folder, presence=presence))
    if args.target == "app":
        database = Database(args.database, folder)
        cleanup.callback(database.drop)
        queue = args.message_queue
        if args.workers > 1 and not queue:
            redis = PrivateRedis(folder)
            cleanup.callback(redis.stop)
            queue = redis.url
        for workers in [1, args.workers] if args.workers > 1 else [1]:
            plan.append(
                Target(
                    "app",
                    args.mode,
                    workers=workers,
                    database_url=database.url,
                    message_queue=queue,
                    folder=folder,
                )
            )
    return plan


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables, write the JSON; exit 1 when a target is missed."""
    args = parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    load_before = wait_idle(args.wait_idle) if args.wait_idle else loadavg()
    started = time.time()
    version = app_version()
    with contextlib.ExitStack() as cleanup:
        folder = Path(tempfile.mkdtemp(prefix="pc-bench-"))
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        plan = build_plan(args, folder, cleanup)
        print(
            f"Positive Core scale benchmark: mode {args.mode}, database {args.database}, "
            f"{args.procs} generator processes, load average {load_before:.2f}, "
            f"app at {version['commit']}{' (modified)' if version['app_files_changed'] else ''}",
            flush=True,
        )
        runs = run_all(plan, args)
    checks = targets(runs, args)
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": machine(),
        "app_version": version,
        "load_average": {"before": load_before, "after": loadavg()},
        "options": {k: v for k, v in vars(args).items() if k not in ("password",)},
        "runs": runs,
        "ratios": {f"{o} / {b}": ratios(runs, b, o) for b, o in ratio_pairs(list(runs))},
        "targets": checks,
    }
    print(table(runs, args.markdown))
    print()
    if checks:
        print(checklist(checks))
    print(f"  load average before {load_before:.2f}, after {loadavg():.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
        print(f"  figures written to {args.json}")
    return 0 if all(c["met"] is not False for c in checks) else 1

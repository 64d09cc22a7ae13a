"""The scenarios: ``join`` (a room fills), ``burst`` (a room writes at once), ``snapshot`` (late joiners).

Each runs against a freshly started target, so CPU time and peak RSS are the
scenario's own; ``run_all`` runs every scenario against every target.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.load.api import Api
from bench.load.generator import Generator
from bench.load.report import say
from bench.load.server import Target
from bench.load.stats import cost, self_cpu, summarize


@dataclass
class Session:
    """A started target, the generator, and the facilitator's API."""

    target: Target
    generator: Generator
    procs: int
    api: Api = field(init=False)

    def login(self) -> None:
        """Sign in as the facilitator on the first server."""
        self.api = self.target.api()

    def join(self, code: str, count: int, concurrency: int, first: int = 0) -> dict[str, Any]:
        """Join and connect ``count`` participants spread over the generator's processes."""
        specs = [
            {
                "code": code,
                "ports": self.target.ports,
                "concurrency": max(1, concurrency // self.procs),
                "indices": list(range(first + p, first + count, self.procs)),
            }
            for p in range(self.procs)
        ]
        start = time.time()
        results = self.generator.all("join", specs)
        done = [t for r in results for t in r["done"]]
        failures: Counter = Counter()
        for r in results:
            failures.update(r["failures"])
        connected = len(done)
        seconds = (max(done) - start) if done else None
        return {
            "participants": count,
            "connected": connected,
            "seconds_to_all_connected": round(seconds, 2) if seconds else None,
            "participants_per_s": round(connected / seconds, 1) if seconds else None,
            "join_http_ms": summarize(t for r in results for t in r["joins_ms"]),
            "connect_to_snapshot_ms": summarize(t for r in results for t in r["connects_ms"]),
            "failures": dict(failures),
            "generator_cpu_s": sum(r["cpu"] for r in results),
            "snapshot_bytes": summarize(b for r in results for b in r["snapshot_bytes"]),
        }

    def settle(self, online: int | None, limit: float = 300.0) -> dict[str, Any]:
        """Wait until no frame but pings has arrived for 1.5 s (presence storms are over)."""
        start = time.time()
        while True:
            states = self.generator.same("status", {"online": online})
            if min(s["quiet"] for s in states) >= 1.5 or time.time() - start > limit:
                break
            time.sleep(0.5)
        return {
            "settle_s": round(time.time() - start, 2),
            "timed_out": time.time() - start > limit,
            "presence_ok": sum(s["presence_ok"] for s in states),
            "open": sum(s["open"] for s in states),
            "presence_frames": sum(s["presence_frames"] for s in states),
        }

    def burst(
        self, senders: list[int], seconds: float, text_bytes: int, grace: float
    ) -> dict[str, Any]:
        """Each sender contributes once, spread evenly over ``seconds``; every client must get all."""
        padding = "x" * max(0, text_bytes - 40)
        step = seconds / max(len(senders), 1)
        start = time.time() + 0.5
        schedules: list[list[tuple[int, float, int]]] = [[] for _ in range(self.procs)]
        for k, idx in enumerate(senders):
            schedules[idx % self.procs].append((idx, start + k * step, k))
        specs = [
            {"schedule": s, "padding": padding, "total": len(senders), "grace": seconds + grace}
            for s in schedules
        ]
        results = self.generator.all("burst", specs)
        return self._deliveries(results, start, len(senders))

    def seed(self, seeders: list[int], total: int, text_bytes: int, timeout: float) -> dict:
        """``total`` contributions from ``seeders``, each under the rate limit."""
        padding = "x" * max(0, text_bytes - 40)
        shares: list[list[tuple[int, int]]] = [[] for _ in range(self.procs)]
        for k, idx in enumerate(seeders):
            count = total // len(seeders) + (1 if k < total % len(seeders) else 0)
            shares[idx % self.procs].append((idx, count))
        spec = {"padding": padding, "total": total, "timeout": timeout, "grace": 30}
        start = time.time()
        results = self.generator.all("seed", [{**spec, "shares": s} for s in shares])
        return self._deliveries(results, start, total)

    @staticmethod
    def _deliveries(results: list[dict], start: float, total: int) -> dict[str, Any]:
        received = sum(r["received"] for r in results)
        sent = sum(r["sent"] for r in results)
        # Every client expects each contribution actually sent (a seeding stopped by its
        # deadline sends fewer than planned: that is not a lost delivery).
        clients = sum(r["expected"] for r in results) // max(total, 1)
        expected = sent * clients
        refusals: Counter = Counter()
        other: Counter = Counter()
        for r in results:
            refusals.update(r["refusals"])
            other.update(r["other"])
        last = max((r["last_rx"] for r in results), default=start)
        span = max(last - start, 1e-6)
        return {
            "contributions": total,
            "sent": sum(r["sent"] for r in results),
            "acked": sum(len(r["acks"]) for r in results),
            "received": received,
            "expected": expected,
            "delivery_pct": round(100 * received / expected, 3) if expected else None,
            "duplicates": sum(r["duplicates"] for r in results),
            "deliveries_per_s": round(received / span),
            "contributions_per_s": round(total / span, 1),
            "fanout_ms": summarize(v for r in results for v in r["latencies"]),
            "ack_ms": summarize(v for r in results for v in r["acks"]),
            "refusals": dict(refusals),
            "other_events": dict(other),
            "generator_cpu_s": sum(r["cpu"] for r in results),
        }

    def close(self) -> dict[str, Any]:
        """Disconnect every client."""
        results = self.generator.same("close")
        return {"closed": sum(r["closed"] for r in results)}


def scenario_join(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """N participants join and connect; then probe contributions reach all of them."""
    target = session.target
    workshop = session.api.workshop("Join benchmark")
    idle = target.sample()
    main_cpu = self_cpu()
    began = time.time()
    joined = session.join(workshop["code"], args.participants, args.concurrency)
    after = target.sample()
    say(f"  {joined['connected']} connected in {joined['seconds_to_all_connected']} s")
    result: dict[str, Any] = {
        **joined,
        "cost": cost(idle, after, joined["generator_cpu_s"] + self_cpu() - main_cpu),
    }
    result["settle"] = session.settle(joined["connected"])
    # The last frame (a queued presence) arrived 1.5 s before the settle ended.
    result["seconds_to_settled"] = round(time.time() - began - 1.5, 1)
    steady = target.sample()
    probes = list(range(0, joined["connected"], max(1, joined["connected"] // args.probes)))
    probe_before = target.sample()
    result["probe"] = session.burst(probes[: args.probes], args.probes * 0.5, args.text_bytes, 30)
    result["probe"]["cost"] = cost(
        probe_before, target.sample(), result["probe"]["generator_cpu_s"]
    )
    if "rss_mb" in idle:
        connected = max(joined["connected"], 1)
        result["memory"] = {
            "idle_rss_mb": round(idle["rss_mb"], 1),
            "connected_rss_mb": round(steady["rss_mb"], 1),
            "peak_rss_mb": round(target.sample()["hwm_mb"], 1),
            "kb_per_participant": round((steady["rss_mb"] - idle["rss_mb"]) * 1024 / connected, 1),
        }
        result["cost"]["server_cpu_ms_per_participant"] = round(
            result["cost"]["server_cpu_s"] * 1000 / connected, 2
        )
    session.close()
    return result


def burst_prepare(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """Fill the burst room and let its presence storm drain."""
    target = session.target
    workshop = session.api.workshop("Burst benchmark")
    idle = target.sample()
    began = time.time()
    joined = session.join(workshop["code"], args.room, args.concurrency)
    say(f"  room: {joined['connected']} connected in {joined['seconds_to_all_connected']} s")
    state: dict[str, Any] = {"room": joined, "settle": session.settle(joined["connected"])}
    state["room"]["seconds_to_settled"] = round(time.time() - began - 1.5, 1)
    step = max(1, joined["connected"] // max(args.contributors, 1))
    state["senders"] = list(range(0, joined["connected"], step))[: args.contributors]
    state["idle"] = idle
    state["rounds"] = []
    return state


def burst_round(session: Session, state: dict[str, Any], args: argparse.Namespace) -> None:
    """One burst in the prepared room: the senders contribute, every client must get all."""
    target = session.target
    say(f"  {target.label}: burst of {args.contributors} over {args.burst_seconds} s")
    before = target.sample()
    main_cpu = self_cpu()
    burst = session.burst(state["senders"], args.burst_seconds, args.text_bytes, args.grace)
    after = target.sample()
    burst["cost"] = cost(before, after, burst["generator_cpu_s"] + self_cpu() - main_cpu)
    if "cpu" in after and burst["received"]:
        burst["cost"]["server_cpu_us_per_delivery"] = round(
            burst["cost"]["server_cpu_s"] * 1e6 / burst["received"], 1
        )
    state["rounds"].append(burst)
    state["last_sample"] = after
    say(f"  delivery {burst['delivery_pct']} %, fan-out p95 {burst['fanout_ms']['p95']} ms")


def burst_finish(session: Session, state: dict[str, Any]) -> dict[str, Any]:
    """The round with the median p95 stands for the target; every round is kept."""
    rounds = state["rounds"]
    ranked = sorted(rounds, key=lambda r: r["fanout_ms"]["p95"] or float("inf"))
    result: dict[str, Any] = {
        "room": state["room"],
        "settle": state["settle"],
        "burst": ranked[(len(ranked) - 1) // 2],
        "rounds": [
            {
                "delivery_pct": r["delivery_pct"],
                "fanout_ms": r["fanout_ms"],
                "ack_ms": r["ack_ms"],
                "cost": r["cost"],
            }
            for r in rounds
        ],
        "rounds_p95_ms": [r["fanout_ms"]["p95"] for r in rounds],
        "all_rounds_delivery_pct": round(
            100 * sum(r["received"] for r in rounds) / max(sum(r["expected"] for r in rounds), 1),
            3,
        ),
    }
    idle, after = state["idle"], state.get("last_sample", {})
    if "rss_mb" in idle and "hwm_mb" in after:
        result["memory"] = {
            "idle_rss_mb": round(idle["rss_mb"], 1),
            "peak_rss_mb": round(after["hwm_mb"], 1),
        }
    session.close()
    return result


def scenario_burst(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """A full room; C participants contribute within S seconds, ``--rounds`` times."""
    state = burst_prepare(session, args)
    for _ in range(args.rounds):
        burst_round(session, state, args)
    return burst_finish(session, state)


def burst_interleaved(plan: list[Target], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every target's room at once; rounds take turns (A B A B ...), so drifting load hits all."""
    sessions: list[Session] = []
    states: list[dict[str, Any]] = []
    out: dict[str, dict[str, Any]] = {}
    try:
        for target in plan:
            say(f"burst: {target.label} (rounds interleaved)")
            target.start()
            session = Session(target, Generator(args.procs), args.procs)
            sessions.append(session)
            session.login()
            states.append(burst_prepare(session, args))
        for _ in range(args.rounds):
            for session, state in zip(sessions, states, strict=True):
                burst_round(session, state, args)
        for session, state in zip(sessions, states, strict=True):
            out[session.target.label] = burst_finish(session, state)
    finally:
        for session in sessions:
            session.generator.stop()
        for target in plan:
            target.stop()
    return out


def scenario_snapshot(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """Fill a workshop with contributions, then time late joiners' snapshots."""
    target = session.target
    workshop = session.api.workshop("Snapshot benchmark")
    seeders = session.join(workshop["code"], args.seeders, args.concurrency)
    session.settle(seeders["connected"])
    say(f"  seeding {args.contributions} contributions from {seeders['connected']} participants")
    before = target.sample()
    seeded = session.seed(
        list(range(seeders["connected"])), args.contributions, args.text_bytes, args.seed_timeout
    )
    seeded["cost"] = cost(before, target.sample(), seeded["generator_cpu_s"])
    result: dict[str, Any] = {"seeding": seeded}
    say(f"  seeded {seeded['acked']} in {seeded['cost']['wall_s']} s; late joiners")
    late = []
    for k in range(args.late_joiners):
        late.append(session.join(workshop["code"], 1, 1, first=100_000 + k * session.procs))
    result["late_joiner"] = {
        "count": len(late),
        "connected": sum(j["connected"] for j in late),
        "connect_to_snapshot_ms": summarize(
            j["connect_to_snapshot_ms"]["max"] for j in late if j["connected"]
        ),
        "join_http_ms": summarize(j["join_http_ms"]["max"] for j in late if j["connected"]),
        "snapshot_bytes": max((j["snapshot_bytes"]["max"] or 0) for j in late),
    }
    times, size, items, status = [], 0, 0, None
    for _ in range(args.late_joiners):
        start = time.perf_counter()
        response = session.api.request("GET", f"/api/workshops/{workshop['id']}")
        times.append((time.perf_counter() - start) * 1000)
        status, size = response.status_code, len(response.content)
        items = len(response.json()["contributions"]) if response.ok else 0
    result["facilitator_get"] = {"status": status, "ms": summarize(times), "bytes": size}
    result["facilitator_get"]["contributions"] = items
    result["snapshot_contributions"] = items
    after = target.sample()
    if "hwm_mb" in after:
        result["memory"] = {"peak_rss_mb": round(after["hwm_mb"], 1)}
    session.close()
    return result


SCENARIOS = {"join": scenario_join, "burst": scenario_burst, "snapshot": scenario_snapshot}


def run_all(plan: list[Target], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every scenario against every target, in turn, each on a freshly started server.

    Targets take turns within each scenario, so compared figures are measured
    minutes apart; the bursts of several targets even take turns round by
    round, their rooms connected side by side.
    """
    runs: dict[str, dict[str, Any]] = {target.label: {} for target in plan}
    for target in plan:
        target.prepare()
    for name in args.scenarios:
        if name == "burst" and len(plan) > 1 and not args.url:
            for label, figures in burst_interleaved(plan, args).items():
                runs[label][name] = figures
            continue
        for target in plan:
            say(f"{name}: {target.label}")
            target.start()
            generator = Generator(args.procs)
            try:
                session = Session(target, generator, args.procs)
                session.login()
                runs[target.label][name] = SCENARIOS[name](session, args)
            finally:
                generator.stop()
                target.stop()
    return runs

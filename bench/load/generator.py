"""The load generator: worker processes, each holding its share of the phones on one asyncio loop.

The orchestrator sends each worker a command (a method of ``Worker``) and a
spec through a pipe, and sums the answers; every command is bounded in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import time
from collections import Counter
from typing import Any

import aiohttp

from bench.load import api
from bench.load.phone import Phone, Tally
from bench.load.stats import self_cpu

#: The rate limit on ``contribute`` is 20 per 10 s per participant: seeders stay under it.
SEED_INTERVAL = 0.55


class Worker:
    """One generator process: its phones, what they counted, and the commands it runs."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http = http
        self.phones: list[Phone] = []
        self.tally = Tally()

    async def join(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Join and connect the given participants, ``concurrency`` at a time."""
        gate = asyncio.Semaphore(spec["concurrency"])
        joins: list[float] = []
        connects: list[float] = []
        done: list[float] = []
        failures: Counter = Counter()
        ports = spec["ports"]

        async def one(idx: int) -> None:
            port = ports[idx % len(ports)]
            async with gate:
                try:
                    start = time.time()
                    status, answer = await api.join(self.http, port, spec["code"], f"Bench {idx}")
                    if answer is None:
                        failures[f"join {status}"] += 1
                        return
                    joined = time.time()
                    joins.append((joined - start) * 1000)
                    phone = Phone(self.tally, idx, port, answer["token"])
                    self.phones.append(phone)
                    sent = await phone.open()
                    connects.append((phone.snapshot_at - sent) * 1000)
                    done.append(phone.snapshot_at)
                except Exception as error:
                    failures[f"{type(error).__name__}: {str(error)[:80]}"] += 1

        await asyncio.gather(*(one(idx) for idx in spec["indices"]))
        return {
            "joins_ms": joins,
            "connects_ms": connects,
            "done": done,
            "failures": dict(failures),
            "snapshot_bytes": [p.snapshot_bytes for p in self.phones if p.got_snapshot],
        }

    async def status(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Seconds since the last frame, and how many phones saw the expected presence."""
        online = spec.get("online")
        return {
            "quiet": time.time() - self.tally.last_rx if self.tally.last_rx else 1e9,
            "presence_ok": sum(online is not None and p.online() == online for p in self.phones),
            "open": sum(not p.closed for p in self.phones),
            "presence_frames": self.tally.presence,
        }

    async def burst(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Send the scheduled contributions, then wait until every phone has them all."""
        tally, by_idx, padding = self.tally, self._begin(), spec["padding"]
        for idx, when, number in spec["schedule"]:
            delay = when - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await by_idx[idx].contribute(number, padding)
            except Exception as error:  # a socket the server closed: counted, not fatal
                tally.refusals[f"send failed: {type(error).__name__}"] += 1
        return await self._delivered(spec["total"], spec["grace"])

    async def seed(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Each seeder sends its share one after another, awaiting each ack, under the rate limit."""
        tally, by_idx, padding = self.tally, self._begin(), spec["padding"]
        deadline = time.time() + spec["timeout"]

        async def seeder(phone: Phone, count: int) -> None:
            for number in range(count):
                start = time.time()
                if start > deadline:
                    return
                try:
                    future = await phone.contribute(number, padding)
                except Exception as error:  # a socket the server closed: counted, not fatal
                    tally.refusals[f"send failed: {type(error).__name__}"] += 1
                    return
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(future, max(deadline - time.time(), 0.1))
                await asyncio.sleep(max(0.0, start + SEED_INTERVAL - time.time()))

        await asyncio.gather(*(seeder(by_idx[i], n) for i, n in spec["shares"]))
        return await self._delivered(spec["total"], spec["grace"])

    def _begin(self) -> dict[int, Phone]:
        """Start a measured phase; the phones by index."""
        self.tally.reset(self.phones)
        return {p.idx: p for p in self.phones}

    async def _delivered(self, total: int, grace: float) -> dict[str, Any]:
        """Wait (up to ``grace`` seconds) until every phone has all ``total`` contributions.

        And every ack is in: the server acknowledges after broadcasting, so
        the last ack may arrive after the last delivery.
        """
        expected = total * len(self.phones)
        deadline = time.time() + grace
        tally = self.tally
        while (tally.received < expected or tally.pending) and time.time() < deadline:
            await asyncio.sleep(0.05)
        return self.tally.result(expected)

    async def close(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Close every phone."""
        phones, self.phones = self.phones, []
        await asyncio.gather(*(p.close() for p in phones))
        self.tally.pending.clear()
        return {"closed": len(phones), "other": dict(self.tally.other)}


def _worker_main(conn: Any) -> None:
    """Entry point of a generator process: run commands from the pipe until ``exit``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator stops us

    async def run() -> None:
        loop = asyncio.get_running_loop()
        async with api.phone_http() as http:
            worker = Worker(http)
            while True:
                name, spec = await loop.run_in_executor(None, conn.recv)
                if name == "exit":
                    conn.send({"cpu": self_cpu()})
                    return
                before = self_cpu()
                try:
                    result = await getattr(worker, name)(spec)
                except Exception as error:
                    result = {"error": f"{type(error).__name__}: {error}"}
                result["cpu"] = self_cpu() - before
                conn.send(result)

    asyncio.run(run())


class Generator:
    """The worker processes, and commands to all of them at once."""

    def __init__(self, procs: int) -> None:
        context = multiprocessing.get_context("fork")
        self.pipes = []
        self.processes = []
        for _ in range(procs):
            parent, child = context.Pipe()
            process = context.Process(target=_worker_main, args=(child,), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def all(self, name: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send one command to every worker (its own spec each), wait for every answer."""
        for pipe, spec in zip(self.pipes, specs, strict=True):
            pipe.send((name, spec))
        results = [pipe.recv() for pipe in self.pipes]
        for result in results:
            if "error" in result:
                raise RuntimeError(f"generator worker failed in {name}: {result['error']}")
        return results

    def same(self, name: str, spec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send the same command to every worker."""
        return self.all(name, [spec or {}] * len(self.pipes))

    def stop(self) -> None:
        """Stop the workers."""
        for pipe in self.pipes:
            with contextlib.suppress(Exception):
                pipe.send(("exit", None))
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()

"""Figures: percentiles, CPU and memory of processes, the machine's load, what was measured."""

from __future__ import annotations

import contextlib
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from importlib import metadata
from typing import Any

from bench import ROOT

CLK_TCK = os.sysconf("SC_CLK_TCK")


def summarize(values: Iterable[float]) -> dict[str, float | int | None]:
    """Count, mean, p50, p95, p99 and max of ``values`` (nearest-rank percentiles)."""
    data = sorted(values)
    if not data:
        return {"count": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}

    def rank(p: float) -> float:
        return data[min(len(data) - 1, max(0, math.ceil(p / 100 * len(data)) - 1))]

    return {
        "count": len(data),
        "mean": round(statistics.fmean(data), 2),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "max": round(data[-1], 2),
    }


def self_cpu() -> float:
    """CPU seconds (user + system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of process ``pid``."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_memory(pid: int) -> dict[str, float]:
    """Resident set now (VmRSS) and its peak (VmHWM) of process ``pid``, in MB."""
    found = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return {"rss_mb": found.get("VmRSS", 0.0), "hwm_mb": found.get("VmHWM", 0.0)}


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def sample(pids: list[int]) -> dict[str, Any]:
    """CPU seconds and memory of ``pids`` (summed), and the machine's ticks, now."""
    busy, total = machine_ticks()
    found: dict[str, Any] = {"time": time.time(), "busy": busy, "total": total}
    if pids:
        memory = [proc_memory(pid) for pid in pids]
        found["cpu"] = sum(proc_cpu(pid) for pid in pids)
        found["rss_mb"] = sum(m["rss_mb"] for m in memory)
        found["hwm_mb"] = sum(m["hwm_mb"] for m in memory)
    return found


def cost(before: dict[str, Any], after: dict[str, Any], gen_cpu: float) -> dict[str, Any]:
    """Server and generator CPU between two samples, and the machine's busy cores."""
    wall = after["time"] - before["time"]
    ticks = max(after["total"] - before["total"], 1)
    cores = os.cpu_count() or 1
    out: dict[str, Any] = {
        "wall_s": round(wall, 2),
        "generator_cpu_s": round(gen_cpu, 2),
        "generator_cores": round(gen_cpu / wall, 2) if wall else None,
        "machine_busy_cores": round((after["busy"] - before["busy"]) / ticks * cores, 2),
    }
    if "cpu" in after:
        cpu = after["cpu"] - before["cpu"]
        out["server_cpu_s"] = round(cpu, 2)
        out["server_cores"] = round(cpu / wall, 2) if wall else None
        if wall:
            # Everything else on the machine: PostgreSQL, Redis, and anyone else's work.
            others = out["machine_busy_cores"] - (cpu + gen_cpu) / wall
            out["other_processes_cores"] = round(max(others, 0.0), 2)
    return out


def loadavg() -> float:
    """The 1-minute load average."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def wait_idle(limit: float) -> float:
    """Sleep (up to ``limit`` seconds) until the 1-minute load average is under 1.0."""
    deadline = time.time() + limit
    while loadavg() >= 1.0 and time.time() < deadline:
        print(f"  load average {loadavg():.2f}: waiting for the machine to calm down", flush=True)
        time.sleep(min(30, max(deadline - time.time(), 0)))
    return loadavg()


def app_version() -> dict[str, Any]:
    """The commit measured, and whether the app's files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "subject": git("log", "-1", "--format=%s"),
        "app_files_changed": bool(
            git("status", "--porcelain", "--", "workshop", "wsgi.py", "config.py")
        ),
    }


def machine() -> dict[str, Any]:
    """What this machine is, for the report."""
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        mem_kb = int(next(ln for ln in f if ln.startswith("MemTotal")).split()[1])
    versions = {}
    for name in ("python-socketio", "python-engineio", "flask-socketio", "eventlet", "gevent"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    for name in ("websockets", "aiohttp", "requests"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[f"{name} (generator)"] = metadata.version(name)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "packages": versions,
    }

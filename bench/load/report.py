"""The report: progress lines, a table per scenario (a column per target, ratios), the targets met."""

from __future__ import annotations

import argparse
import time
from typing import Any


def say(message: str) -> None:
    """Progress on stdout, timestamped."""
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def _get(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


#: scenario -> rows: (label, path in the scenario's figures, compared as a ratio)
ROWS: dict[str, list[tuple[str, str, bool]]] = {
    "join": [
        ("participants connected", "connected", False),
        ("time until all connected (s)", "seconds_to_all_connected", True),
        ("join throughput (participants/s)", "participants_per_s", True),
        ("POST /api/join p50 / p95 (ms)", "join_http_ms.p50|join_http_ms.p95", False),
        (
            "connect→snapshot p50 / p95 (ms)",
            "connect_to_snapshot_ms.p50|connect_to_snapshot_ms.p95",
            False,
        ),
        ("probe delivery (%)", "probe.delivery_pct", False),
        ("probe fan-out p95 (ms)", "probe.fanout_ms.p95", True),
        ("clients with exact presence", "settle.presence_ok", False),
        ("presence backlog drained after (s)", "settle.settle_s", True),
        ("time until connected and quiet (s)", "seconds_to_settled", True),
        ("presence frames received", "settle.presence_frames", True),
        ("server CPU while joining (s)", "cost.server_cpu_s", True),
        ("server CPU per participant (ms)", "cost.server_cpu_ms_per_participant", True),
        ("server RSS idle → connected (MB)", "memory.idle_rss_mb|memory.connected_rss_mb", False),
        ("server peak RSS (MB)", "memory.peak_rss_mb", True),
        ("RSS per connected participant (KB)", "memory.kb_per_participant", True),
        ("generator CPU while joining (s)", "cost.generator_cpu_s", False),
        ("machine busy cores while joining", "cost.machine_busy_cores", False),
        ("other processes' cores while joining", "cost.other_processes_cores", False),
    ],
    "burst": [
        ("room: time until all connected (s)", "room.seconds_to_all_connected", True),
        ("room: presence backlog drained after (s)", "settle.settle_s", True),
        ("room: time until connected and quiet (s)", "room.seconds_to_settled", True),
        ("contributions sent / acked", "burst.sent|burst.acked", False),
        ("deliveries received / expected", "burst.received|burst.expected", False),
        ("delivery (%)", "burst.delivery_pct", False),
        ("duplicates", "burst.duplicates", False),
        ("deliveries/s", "burst.deliveries_per_s", True),
        ("fan-out p50 (ms)", "burst.fanout_ms.p50", True),
        ("fan-out p95 (ms)", "burst.fanout_ms.p95", True),
        ("fan-out p99 (ms)", "burst.fanout_ms.p99", True),
        ("fan-out max (ms)", "burst.fanout_ms.max", True),
        ("fan-out p95 of each round (ms)", "rounds_p95_ms", False),
        ("delivery over all rounds (%)", "all_rounds_delivery_pct", False),
        ("ack p50 / p95 (ms)", "burst.ack_ms.p50|burst.ack_ms.p95", False),
        ("refusals", "burst.refusals", False),
        ("server CPU during burst (s)", "burst.cost.server_cpu_s", True),
        ("server CPU per delivery (µs)", "burst.cost.server_cpu_us_per_delivery", True),
        ("server peak RSS (MB)", "memory.peak_rss_mb", True),
        ("generator CPU during burst (s)", "burst.cost.generator_cpu_s", False),
        ("generator cores during burst", "burst.cost.generator_cores", False),
        ("machine busy cores during burst", "burst.cost.machine_busy_cores", False),
        ("other processes' cores during burst", "burst.cost.other_processes_cores", False),
    ],
    "snapshot": [
        ("contributions seeded (acked)", "seeding.acked", False),
        ("seeding throughput (contributions/s)", "seeding.contributions_per_s", True),
        ("seeding delivery (%)", "seeding.delivery_pct", False),
        ("seeding ack p50 / p95 (ms)", "seeding.ack_ms.p50|seeding.ack_ms.p95", True),
        ("contributions in the snapshot", "snapshot_contributions", False),
        ("late joiner snapshot (bytes)", "late_joiner.snapshot_bytes", True),
        ("late joiner connect→snapshot p50 (ms)", "late_joiner.connect_to_snapshot_ms.p50", True),
        ("late joiner connect→snapshot max (ms)", "late_joiner.connect_to_snapshot_ms.max", True),
        ("late joiner POST /api/join max (ms)", "late_joiner.join_http_ms.max", False),
        ("facilitator GET snapshot p50 (ms)", "facilitator_get.ms.p50", True),
        ("facilitator GET snapshot (bytes)", "facilitator_get.bytes", False),
        ("server CPU while seeding (s)", "seeding.cost.server_cpu_s", True),
        ("server peak RSS (MB)", "memory.peak_rss_mb", True),
        ("generator CPU while seeding (s)", "seeding.cost.generator_cpu_s", False),
    ],
}


def _cell(figures: dict[str, Any], path: str) -> str:
    values = [_get(figures, p) for p in path.split("|")]
    shown = []
    for value in values:
        if value is None:
            shown.append("–")
        elif isinstance(value, dict):
            shown.append(", ".join(f"{k}: {v}" for k, v in value.items()) or "none")
        elif isinstance(value, list):
            shown.append(", ".join("–" if v is None else f"{v:,.0f}" for v in value))
        elif isinstance(value, float):
            shown.append(f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}")
        elif isinstance(value, int):
            shown.append(f"{value:,}")
        else:
            shown.append(str(value))
    return " / ".join(shown)


def _ratio(a: Any, b: Any) -> str:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or not b:
        return "–"
    return f"{a / b:.2f}×"


def ratios(runs: dict[str, dict[str, Any]], base: str, other: str) -> dict[str, dict[str, float]]:
    """``other`` / ``base`` for each compared figure of each scenario both ran."""
    out: dict[str, dict[str, float]] = {}
    for scenario, rows in ROWS.items():
        a, b = runs.get(other, {}).get(scenario), runs.get(base, {}).get(scenario)
        if not a or not b:
            continue
        for label, path, compared in rows:
            first = path.split("|")[0]
            x, y = _get(a, first), _get(b, first)
            if compared and isinstance(x, int | float) and isinstance(y, int | float) and y:
                out.setdefault(scenario, {})[label] = round(x / y, 2)
    return out


def ratio_pairs(labels: list[str]) -> list[tuple[str, str]]:
    """Each target against the first; several app workers also against one worker."""
    pairs = [(labels[0], other) for other in labels[1:]]
    apps = [label for label in labels if label.startswith("app")]
    if len(apps) > 1 and apps[0] != labels[0]:
        pairs += [(apps[0], other) for other in apps[1:]]
    return pairs


def table(runs: dict[str, dict[str, Any]], markdown: bool) -> str:
    """Each scenario as a table: a column per target, ratio columns against the first."""
    labels = list(runs)
    lines: list[str] = []
    for scenario, rows in ROWS.items():
        present = [label for label in labels if scenario in runs[label]]
        if not present:
            continue
        ratio_cols = ratio_pairs(present)
        header = ["figure", *present] + [f"{o} / {b}" for b, o in ratio_cols]
        body = []
        for label, path, compared in rows:
            row = [label] + [_cell(runs[t][scenario], path) for t in present]
            for base, other in ratio_cols:
                first = path.split("|")[0]
                row.append(
                    _ratio(_get(runs[other][scenario], first), _get(runs[base][scenario], first))
                    if compared
                    else ""
                )
            body.append(row)
        lines.append("")
        lines.append(f"### {scenario}" if markdown else f"== {scenario} ==")
        if markdown:
            lines.append("")
        lines.append(render_table(header, body, markdown))
    return "\n".join(lines)


def render_table(header: list[str], body: list[list[str]], markdown: bool) -> str:
    """Rows of text cells as a Markdown table, or as columns aligned with spaces."""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines.extend("| " + " | ".join(row) + " |" for row in body)
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    )


def targets(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> list[dict[str, Any]]:
    """The issue's targets, checked against the app's figures (the first app run)."""
    app = next((label for label in runs if label.startswith("app")), None)
    bare = next((label for label in runs if label.startswith("bare")), None)
    if app is None:
        return []
    figures = runs[app]
    checks: list[dict[str, Any]] = []

    def check(name: str, value: Any, ok: bool | None) -> None:
        checks.append({"target": name, "value": value, "met": ok})

    if join := figures.get("join"):
        seconds = join["seconds_to_all_connected"]
        check(
            f"{args.participants} participants joined and connected within 60 s",
            seconds,
            join["connected"] == args.participants and seconds is not None and seconds <= 60,
        )
        check(
            "join: 100 % delivery (probes)",
            join["probe"]["delivery_pct"],
            join["probe"]["delivery_pct"] == 100,
        )
        peak = _get(join, "memory.peak_rss_mb")
        check("join: server peak RSS under 400 MB", peak, None if peak is None else peak < 400)
    if burst := figures.get("burst"):
        pct = burst.get("all_rounds_delivery_pct", burst["burst"]["delivery_pct"])
        p95 = burst["burst"]["fanout_ms"]["p95"]
        check("burst: 100 % delivery (every round)", pct, pct == 100)
        check("burst: fan-out p95 under 1 s", p95, p95 is not None and p95 < 1000)
        if bare and (base := _get(runs[bare], "burst.burst.fanout_ms.p95")):
            check(
                "burst: p95 within 1.5× of the bare server's",
                round(p95 / base, 2) if p95 else None,
                p95 is not None and p95 <= 1.5 * base,
            )
    if snap := figures.get("snapshot"):
        worst = _get(snap, "late_joiner.connect_to_snapshot_ms.max")
        check(
            f"late joiner in a workshop of {snap['snapshot_contributions']} contributions: snapshot under 500 ms (worst of {args.late_joiners})",
            worst,
            worst is not None
            and worst < 500
            and snap["snapshot_contributions"] >= args.contributions,
        )
    return checks


def checklist(checks: list[dict[str, Any]]) -> str:
    """The targets, one line each: met, MISSED or n/a, and the figure."""
    marks = {True: "met", False: "MISSED", None: "n/a"}
    return "\n".join(f"  [{marks[c['met']]}] {c['target']}: {c['value']}" for c in checks)

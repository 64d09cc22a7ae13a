"""Export benchmark: a workshop of 500 participants and 5,000 contributions, every format.

    .venv/bin/python bench/exports.py [--participants 500] [--contributions 5000] [--json out.json]

Builds the workshop once in a temporary SQLite file, then renders each format
in its own process, so each peak RSS is that format's alone. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")

FORMATS = ("md", "json", "docx", "pdf", "xlsx", "csv")
WORDS = [
    "Zażółć",
    "gęślą",
    "jaźń",
    "Příliš",
    "žluťoučký",
    "kůň",
    "Čudovita",
    "šivilja",
    "Größere",
    "Werkstätten",
    "città",
    "creative",
    "makers",
    "region",
    "mill",
    "trust",
    "partners",
    "festival",
    "school",
    "museum",
    "start-up",
    "design",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build(database: str, participants: int, contributions: int) -> int:
    """Fill a database with one large closed workshop; returns its id."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"  # before config.py reads it
    from workshop import create_app
    from workshop.extensions import db
    from workshop.models import Contribution, Participant, Theme, Workshop
    from workshop.services import accounts
    from workshop.services.prompts import default_entries
    from workshop.services.tokens import digest

    app = create_app("development")
    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        owner = accounts.create_facilitator("bench@example.org", "bench password")
        workshop = Workshop(
            owner_id=owner.id,
            title="Transnational plenary",
            topic="How do we grow CCI?",
            code="BENCH2",
            phase="closed",
            prompts=default_entries(),
            seq=0,
            language="en",
        )
        db.session.add(workshop)
        db.session.flush()
        people = [
            Participant(
                workshop_id=workshop.id,
                name=f"Person {i}",
                organisation=f"Org {i % 60}",
                region=f"Region {i % 8}",
                token_hash=digest(f"bench-{i}"),
            )
            for i in range(participants)
        ]
        db.session.add_all(people)
        themes = [Theme(workshop_id=workshop.id, name=f"Theme {i}") for i in range(25)]
        db.session.add_all(themes)
        db.session.flush()
        kinds = ["story"] * 5 + ["dream"] * 2 + ["proposition"] * 2 + ["commitment"]
        for i in range(contributions):
            kind = kinds[i % len(kinds)]
            db.session.add(
                Contribution(
                    workshop_id=workshop.id,
                    participant_id=rng.choice(people).id,
                    client_id=f"c{i}",
                    kind=kind,
                    text=_text(rng, rng.randint(12, 90)),
                    title=_text(rng, 3) if kind == "story" else "",
                    consent=rng.choice(["named", "anonymous", "anonymous", "private"]),
                    theme_id=rng.choice(themes).id if kind in ("story", "proposition") else None,
                    owner="Someone" if kind == "commitment" else "",
                    vote_count=rng.randint(0, 40) if kind in ("dream", "proposition") else 0,
                    language=rng.choice(["en", "de", "pl", "cs", "it", "sl", "nl"]),
                )
            )
        db.session.commit()
        return workshop.id


def render_one(database: str, workshop_id: int, fmt: str) -> dict[str, float]:
    """Render one format (in this process) and measure it."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"  # before config.py reads it
    from workshop import create_app
    from workshop.extensions import db
    from workshop.models import Workshop
    from workshop.services import exports

    app = create_app("development")
    with app.test_request_context("/"):
        workshop = db.session.get(Workshop, workshop_id)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        file = exports.render(workshop, fmt, "en")
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": round(seconds, 3),
        "bytes": len(file.body),
        "peak_rss_mb": round(peak / 1024, 1),
        "baseline_rss_mb": round(before / 1024, 1),
    }


def main() -> None:
    """Build, render every format, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--contributions", type=int, default=5000)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--child", nargs=3, metavar=("DB", "ID", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        database, workshop_id, fmt = args.child
        print(json.dumps(render_one(database, int(workshop_id), fmt)))
        return
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "bench.sqlite3")
        workshop_id = build(database, args.participants, args.contributions)
        results = {}
        for fmt in FORMATS:
            out = subprocess.run(
                [sys.executable, __file__, "--child", database, str(workshop_id), fmt],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[fmt] = json.loads(out.strip().splitlines()[-1])
    print(f"Export of {args.participants} participants, {args.contributions} contributions")
    print(f"{'format':8}{'seconds':>10}{'size (KB)':>12}{'peak RSS (MB)':>16}{'baseline (MB)':>16}")
    for fmt, r in results.items():
        print(
            f"{fmt:8}{r['seconds']:>10.2f}{r['bytes'] / 1024:>12.0f}{r['peak_rss_mb']:>16.1f}{r['baseline_rss_mb']:>16.1f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

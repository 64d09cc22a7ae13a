"""Benchmarks of Positive Core: ``python -m bench.load`` and ``bench/exports.py`` (bench/README.md)."""

from pathlib import Path

#: The repository: servers under test start here (``python wsgi.py``, ``bench/bare_server.py``).
ROOT = Path(__file__).resolve().parent.parent

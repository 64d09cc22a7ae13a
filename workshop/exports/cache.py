"""Rendered downloads kept on disk, so an unchanged document is never laid out twice.

Documents are a workshop's strategy draft and a programme's transnational
recommendation (documents.py). Where: ``EXPORT_CACHE_DIR`` (default
``instance/exports/``), one folder per workshop (``<id>``) or programme
(``programme-<id>``), one file per (state, format, language). Several server
processes may share the folder: files are written under a temporary name and
moved into place, so a reader sees a whole file or none.

A workshop's key is what its draft is made from:

- the workshop's ``seq``, raised by every change the room sees (contributions,
  votes, themes, moderation, edits, phases; also timers and notes, which
  cost a new render but never a stale one);
- what changes without raising ``seq``: people joining (the title page's
  counts) and the facilitator's display name;
- which database and which workshop row (a re-created database reuses ids);
- the format, the language, the instance address written in the document;
- the export code's version: a digest of the exports package, its templates,
  the method's labels, the languages and the compiled catalogues, so an
  upgrade never serves a file laid out by older code.

A programme's key is its own ``seq`` (raised by every change to its
synthesis: themes, mapping, recommendations) and, in its state, what each
of its workshops' drafts is keyed by (their ``seq``, joins, facilitators),
their regions and the programme's own title and language.

The key is read before the render starts, and the render reads the database
afterwards: a cached file is never older than its key. Files are named
``<seq>-<state>-<document>.<fmt>``, so a download that comes back with a
ticket (renders.py) can also take a newer file of the same document.

Bound: ``EXPORT_CACHE_MAX_MB``. Writing a workshop's file deletes that
workshop's files of older states (no key can ask for them again); past the
bound, the least recently served files go first. ``forget(object_id, kind)``
deletes a workshop's (or programme's) files with it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import IO

from flask import Flask, current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Facilitator, Participant, Programme, ProgrammeRegion, Workshop, as_utc
from .formats import LANGUAGE_FREE_FORMATS

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
#: Temporary files older than this belong to a render that died; they are removed.
STALE_TEMP_SECONDS = 3600
_TEMP_PREFIX = ".tmp-"


@functools.cache
def code_version() -> str:
    """A digest of everything that shapes a document besides the data."""
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    sources += sorted((PROJECT_DIR / "templates" / "exports").glob("*.html"))
    sources.append(PACKAGE_DIR.parent / "services" / "method.py")
    sources.append(PACKAGE_DIR.parent / "languages.py")
    sources += sorted((PROJECT_DIR / "translations").glob("*/LC_MESSAGES/messages.mo"))
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(PROJECT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: Document kinds: what each is made from.
WORKSHOP, PROGRAMME = "workshop", "programme"


@dataclasses.dataclass(frozen=True)
class ExportKey:
    """Names one rendered file: of a workshop (``kind`` ``workshop``) or of a programme."""

    object_id: int
    seq: int
    #: Digest of what else the document depends on (see the module's docstring).
    state: str
    fmt: str
    language: str
    base_url: str | None
    kind: str = WORKSHOP

    @property
    def folder(self) -> str:
        """The cache folder of the workshop or programme the file belongs to."""
        return folder_name(self.object_id, self.kind)

    @property
    def document(self) -> str:
        """Names the document whatever its object's state: kind, format, language, address, code."""
        parts = (self.kind, self.fmt, self.language, self.base_url or "", code_version())
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]

    @property
    def file_name(self) -> str:
        """``<seq>-<state>-<document>.<fmt>``: seq first, for pruning and for finding newer files."""
        return f"{self.seq:010d}-{self.state[:24]}-{self.document}.{self.fmt}"


def folder_name(object_id: int, kind: str = WORKSHOP) -> str:
    """``<id>`` for a workshop (as ever), ``programme-<id>`` for a programme."""
    return str(int(object_id)) if kind == WORKSHOP else f"{kind}-{int(object_id)}"


def key_for(
    target: Workshop | Programme, fmt: str, language: str, base_url: str | None
) -> ExportKey:
    """The key of ``target``'s file as it stands now (a few small queries)."""
    if isinstance(target, Programme):
        return _programme_key(target, fmt, language, base_url)
    workshop = target
    people = db.session.execute(
        select(func.count(Participant.id), func.max(Participant.id)).where(
            Participant.workshop_id == workshop.id, Participant.removed_at.is_(None)
        )
    ).one()
    owner = db.session.scalar(
        select(Facilitator.display_name).where(Facilitator.id == workshop.owner_id)
    )
    state = _digest(
        str(db.engine.url),
        as_utc(workshop.created_at).isoformat(),
        str(people[0]),
        str(people[1]),
        owner or "",
    )
    return ExportKey(
        object_id=workshop.id,
        seq=workshop.seq,
        state=state,
        fmt=fmt,
        language="" if fmt in LANGUAGE_FREE_FORMATS else language,
        base_url=base_url,
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _programme_key(
    programme: Programme, fmt: str, language: str, base_url: str | None
) -> ExportKey:
    """A programme's key: its own ``seq``; its workshops' content keys and its regions in the state.

    The programme's ``seq`` follows its workshops' changes only a moment later
    (coalesced): their own ``seq``s make the key exact at once.
    """
    db.session.refresh(programme)
    joined = (
        select(func.count(Participant.id))
        .where(Participant.workshop_id == Workshop.id, Participant.removed_at.is_(None))
        .correlate(Workshop)
        .scalar_subquery()
    )
    last = (
        select(func.max(Participant.id))
        .where(Participant.workshop_id == Workshop.id)
        .correlate(Workshop)
        .scalar_subquery()
    )
    workshops = db.session.execute(
        select(
            Workshop.id, Workshop.seq, Workshop.region_id, joined, last, Facilitator.display_name
        )
        .join(Facilitator, Facilitator.id == Workshop.owner_id)
        .where(Workshop.programme_id == programme.id)
        .order_by(Workshop.id)
    ).all()
    regions = db.session.execute(
        select(
            ProgrammeRegion.id,
            ProgrammeRegion.name,
            ProgrammeRegion.country,
            ProgrammeRegion.organisation,
        )
        .where(ProgrammeRegion.programme_id == programme.id)
        .order_by(ProgrammeRegion.id)
    ).all()
    state = _digest(
        str(db.engine.url),
        as_utc(programme.created_at).isoformat(),
        programme.title,
        programme.description,
        programme.language,
        repr([tuple(row) for row in workshops]),
        repr([tuple(row) for row in regions]),
    )
    return ExportKey(
        object_id=programme.id,
        seq=programme.seq,
        state=state,
        fmt=fmt,
        language="" if fmt in LANGUAGE_FREE_FORMATS else language,
        base_url=base_url,
        kind=PROGRAMME,
    )


class ExportCache:
    """The folder of rendered files, bounded in size."""

    def __init__(self, folder: str | Path, max_bytes: int) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def path(self, key: ExportKey) -> Path:
        """Where ``key``'s file lives (whether or not it exists)."""
        return self.folder / key.folder / key.file_name

    def open(self, key: ExportKey) -> IO[bytes] | None:
        """The cached file, open for reading, or None. Marks it as recently used."""
        path = self.path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return None
        _touch(path)
        return handle

    def open_newer(self, key: ExportKey) -> IO[bytes] | None:
        """``key``'s file, else the newest file of the same document made from a later ``seq``.

        Serves a download that was told "being prepared" and came back with its
        ticket: the workshop may have changed since, and a file made later is
        never older than the one it asked for.
        """
        exact = self.open(key)
        if exact is not None:
            return exact
        folder = self.folder / key.folder
        suffix = f"-{key.document}.{key.fmt}"
        newer = []
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                if path.name.endswith(suffix) and not path.name.startswith(_TEMP_PREFIX):
                    with contextlib.suppress(ValueError):
                        seq = int(path.name.split("-", 1)[0])
                        if seq > key.seq:
                            newer.append((seq, path))
        for _, path in sorted(newer, reverse=True):
            with contextlib.suppress(FileNotFoundError):
                handle = path.open("rb")
                _touch(path)
                return handle
        return None

    def staging_path(self, key: ExportKey) -> Path:
        """A fresh temporary path next to ``key``'s file, for a render to write into."""
        folder = self.folder / key.folder
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{_TEMP_PREFIX}{uuid.uuid4().hex}-{key.file_name}"

    def commit(self, key: ExportKey, staged: Path) -> Path:
        """Move a finished file into place, then prune."""
        final = self.path(key)
        os.replace(staged, final)
        _touch(final)
        self._prune_workshop(key)
        self._enforce_bound(keep=final)
        return final

    def store(self, key: ExportKey, body: bytes) -> Path:
        """Write ``body`` as ``key``'s file."""
        staged = self.staging_path(key)
        staged.write_bytes(body)
        return self.commit(key, staged)

    def forget(self, object_id: int, kind: str = WORKSHOP) -> None:
        """Delete every cached file of a workshop or programme (when it is deleted)."""
        shutil.rmtree(self.folder / folder_name(object_id, kind), ignore_errors=True)

    def size(self) -> int:
        """Bytes held, all documents together."""
        return sum(path.stat().st_size for path in self._files())

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [
            path
            for path in self.folder.glob("*/*")
            if path.is_file() and not path.name.startswith(_TEMP_PREFIX)
        ]

    def _prune_workshop(self, key: ExportKey) -> None:
        """Drop files of older states of the same workshop (or programme), and abandoned temporary files."""
        now = time.time()
        for path in (self.folder / key.folder).iterdir():
            with contextlib.suppress(OSError, ValueError):
                if path.name.startswith(_TEMP_PREFIX):
                    if now - path.stat().st_mtime > STALE_TEMP_SECONDS:
                        path.unlink()
                elif int(path.name.split("-", 1)[0]) < key.seq:
                    path.unlink()

    def _enforce_bound(self, keep: Path) -> None:
        """Past the bound, delete the least recently used files (never ``keep``)."""
        files = []
        total = 0
        for path in self._files():
            with contextlib.suppress(OSError):
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
                total += stat.st_size
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


def _touch(path: Path) -> None:
    """Mark ``path`` as used now, with the clock's precision (file systems stamp coarsely)."""
    now = time.time_ns()
    with contextlib.suppress(OSError):
        os.utime(path, ns=(now, now))


def cache_of(app: Flask) -> ExportCache:
    """The export cache of ``app`` (``EXPORT_CACHE_DIR``, default ``instance/exports``)."""
    folder = app.config.get("EXPORT_CACHE_DIR") or os.path.join(app.instance_path, "exports")
    return ExportCache(folder, int(app.config["EXPORT_CACHE_MAX_MB"] * 1024 * 1024))


def forget_workshop(workshop_id: int) -> None:
    """Delete a workshop's cached files (call it when the workshop is deleted)."""
    cache_of(current_app).forget(workshop_id)


def forget_programme(programme_id: int) -> None:
    """Delete a programme's cached recommendations (call it when the programme is deleted)."""
    cache_of(current_app).forget(programme_id, PROGRAMME)

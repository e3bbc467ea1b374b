"""SQLite: the online backup API both ways. It copies a consistent state while the server runs,
and writes the target in one transaction, so a failed restore leaves it as it was."""

import sqlite3
from contextlib import closing, nullcontext
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from .common import UNCHANGED, BackupError, count_problem, not_initialised, quote

STEP_PAGES = 4096  # 16 MB per step: a progress bar without restarting often under writes


def counts(conn) -> dict[str, int]:
    """Rows per table (SQLite's own sqlite_* tables left out)."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    return {n: conn.execute(f"SELECT COUNT(*) FROM {quote(n)}").fetchone()[0] for n in names}


def _stepper(bar):
    def step(status, remaining, total):
        bar.total = total
        bar.update(total - remaining - bar.n)

    return step


def _source(connection):
    """What to copy from: the database file through a connection of its own, which sees the
    committed state whatever Django's connection is doing; an in-memory database (tests) only
    exists in Django's connection."""
    if not connection.is_in_memory_db():
        name = Path(connection.settings_dict["NAME"])
        if not name.is_file():
            raise not_initialised()
        return closing(sqlite3.connect(name, timeout=30))
    if connection.in_atomic_block:  # the backup API would wait for its own transaction forever
        raise BackupError(_("不能在数据库事务之中备份内存中的 SQLite 数据库。"))
    connection.ensure_connection()
    return nullcontext(connection.connection)


def dump(connection, target: Path, progress) -> dict:
    """Copy the database into `target`; its row counts and applied migrations."""
    with (
        _source(connection) as source,
        progress(desc=_("备份数据库"), unit=_("页")) as bar,
        closing(sqlite3.connect(target)) as copy,
    ):
        try:
            # The online backup API copies a consistent state even while others write.
            source.backup(copy, pages=STEP_PAGES, progress=_stepper(bar))
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            tables = counts(copy)
            if "django_migrations" not in tables:
                raise not_initialised()
            migrations = copy.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = [list(row) for row in migrations]
        except sqlite3.Error as exc:
            raise BackupError(_("SQLite 数据库备份失败:%(e)s") % {"e": exc}) from exc
    return {"tables": tables, "migrations": migrations, "sqlite_version": sqlite3.sqlite_version}


def load(connection, database: Path, manifest: dict, progress) -> None:
    """Replace the configured database file's content with `database` (checked first)."""
    name = Path(connection.settings_dict["NAME"])
    with closing(sqlite3.connect(database.as_uri() + "?mode=ro", uri=True)) as source:
        try:
            problem = count_problem(manifest, counts(source))
        except sqlite3.Error as exc:
            raise BackupError(
                _("备份中的 SQLite 数据库已损坏:%(e)s。") % {"e": exc} + UNCHANGED
            ) from None
        if problem:
            raise BackupError(_("备份中的数据库与清单不符:%(p)s。") % {"p": problem} + UNCHANGED)
        if connection.is_in_memory_db():
            raise BackupError(_("当前配置的是内存中的 SQLite 数据库,不能恢复到其中。") + UNCHANGED)
        connections.close_all()
        name.parent.mkdir(parents=True, exist_ok=True)
        with (
            progress(desc=_("恢复数据库"), unit=_("页")) as bar,
            closing(sqlite3.connect(name, timeout=30)) as target,
        ):
            try:
                # One write transaction on the target across all steps: all or nothing.
                source.backup(target, pages=STEP_PAGES, progress=_stepper(bar))
            except sqlite3.Error as exc:
                raise BackupError(
                    _("写入 SQLite 数据库 %(d)s 失败:%(e)s。") % {"d": name, "e": exc} + UNCHANGED
                ) from exc
            problem = count_problem(manifest, counts(target))
    if problem:
        raise BackupError(_("恢复后的数据库与清单不符:%(p)s。") % {"p": problem})

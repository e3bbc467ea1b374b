"""Backup and restore of a whole installation: `gaoxin backup [FILE]`, `gaoxin restore FILE`.

One .tar.gz (archive.py) holds manifest.json (format, time, engine, applied migrations, gaoxin
version, the row count of every table, size and SHA-256 of every file), the database (SQLite: a
copy through the online backup API, consistent while the server runs, sqlite.py; PostgreSQL:
pg_dump of the snapshot the rows were counted in, postgresql.py) and the uploaded files
(MEDIA_ROOT) under media/.

A restore checks everything before it changes anything: the archive, the manifest, every
checksum, the engine, the migrations, and that the target is empty (or --force). The database is
then replaced in one transaction, then the files; the row counts are checked against the
manifest, and a RESTORE_BACKUP audit record is the first record after the restored state.
"""

import getpass
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..models import AuditRecord, User, Zone
from . import postgresql, sqlite
from .archive import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MEDIA,
    media_files,
    unpack,
    write_archive,
)
from .common import UNCHANGED, BackupError, hash_file, human_size, silent, terminal_progress

__all__ = ["BackupError", "create_backup", "restore_backup", "terminal_progress"]

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ACTOR = "system"
ENGINES = {"sqlite": sqlite, "postgresql": postgresql}


def _rows(manifest) -> int:
    return sum(manifest["tables"].values())


def _files(manifest) -> dict:
    return {
        "n": len(manifest["media"]),
        "s": human_size(sum(f["size"] for f in manifest["media"])),
    }


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict

    def lines(self) -> list[str]:
        m = self.manifest
        return [
            _("已备份到 %(p)s(%(s)s)") % {"p": self.path, "s": human_size(self.size)},
            _("SHA-256:%(h)s") % {"h": self.sha256},
            _("数据库:%(e)s,%(t)d 张表,共 %(r)d 行")
            % {"e": ENGINE_NAMES[m["engine"]], "t": len(m["tables"]), "r": _rows(m)},
            _("上传文件:%(n)d 个,共 %(s)s") % _files(m),
            _("恢复命令:gaoxin restore %(p)s") % {"p": self.path},
        ]


@dataclass
class RestoreResult:
    path: Path
    sha256: str
    manifest: dict
    replaced: list[str]
    migrated: list[str]

    def lines(self) -> list[str]:
        m = self.manifest
        created = timezone.localtime(datetime.fromisoformat(m["created_at"]))
        lines = [
            _("已从 %(p)s 恢复(备份于 %(t)s,gaoxin %(v)s,%(e)s)")
            % {
                "p": self.path,
                "t": f"{created:%Y-%m-%d %H:%M:%S}",
                "v": m["gaoxin_version"],
                "e": ENGINE_NAMES[m["engine"]],
            },
            _("数据库:%(t)d 张表,共 %(r)d 行,行数与清单一致")
            % {"t": len(m["tables"]), "r": _rows(m)},
            _("上传文件:%(n)d 个,共 %(s)s,校验一致") % _files(m),
        ]
        if self.replaced:
            lines.append(_("原有内容已被替换(--force):%(w)s") % {"w": "、".join(self.replaced)})
        if self.migrated:
            lines.append(
                _("备份来自较早的版本,已执行 %(n)d 个数据库迁移") % {"n": len(self.migrated)}
            )
        lines.append(_("已写入审计记录「从备份恢复」"))
        return lines


def default_path() -> Path:
    stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
    return Path(settings.VAR_DIR) / "backups" / f"gaoxin-{stamp}.tar.gz"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _version() -> str:
    try:
        return metadata.version("gaoxin")
    except metadata.PackageNotFoundError:
        return "unknown"


def _engine(connection) -> str:
    if connection.vendor not in ENGINES:
        raise BackupError(
            _("不支持的数据库类型 %(v)s:只能备份和恢复 SQLite 与 PostgreSQL。")
            % {"v": connection.vendor}
            + UNCHANGED
        )
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(_("无法连接数据库:%(e)s。") % {"e": exc} + UNCHANGED) from exc
    return connection.vendor


# --- backup -----------------------------------------------------------------------------------


def create_backup(path=None, *, progress=silent) -> BackupResult:
    """Write the database and MEDIA_ROOT to one archive and audit it."""
    connection = connections[DEFAULT_DB_ALIAS]
    engine = _engine(connection)
    path = Path(path).absolute() if path else default_path()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if path.resolve().is_relative_to(media_root):
        raise BackupError(
            _("备份文件不能放在上传文件目录 %(m)s 之内,请换一个位置。") % {"m": media_root}
        )
    if path.is_dir():
        raise BackupError(_("%(p)s 是一个目录,请给出备份文件的名字。") % {"p": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".gaoxin-backup-", dir=path.parent) as tmp:
        database = Path(tmp) / DATABASE_FILES[engine]
        details = ENGINES[engine].dump(connection, database, progress)
        size, digest = hash_file(database)
        files = media_files(media_root)
        total = sum(p.stat().st_size for _r, p in files)
        with progress(total=total, desc=_("校验上传文件"), unit="B", unit_scale=True) as bar:
            hashed = [hash_file(p, bar) for _r, p in files]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "gaoxin_version": _version(),
            "engine": engine,
            "migrations": details.pop("migrations"),
            "tables": details.pop("tables"),
            "database": {"file": database.name, "size": size, "sha256": digest, **details},
            "media": [
                {"path": rel, "size": n, "sha256": h}
                for (rel, _p), (n, h) in zip(files, hashed, strict=True)
            ],
        }
        write_archive(path, manifest, database, files, progress)
    size, digest = hash_file(path)
    audit.record(
        ACTOR,
        AuditRecord.Action.BACKUP,
        after={
            "file": str(path),
            "size": size,
            "sha256": digest,
            "engine": engine,
            "tables": len(manifest["tables"]),
            "rows": _rows(manifest),
            "files": len(manifest["media"]),
            "os_user": _os_user(),
        },
        message=_("命令行备份到 %(f)s") % {"f": path.name},
    )
    return BackupResult(path, size, digest, manifest)


# --- restore ----------------------------------------------------------------------------------


def restore_backup(path, *, force=False, progress=silent) -> RestoreResult:
    """Bring this installation back to the state in the archive."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件 %(f)s。") % {"f": path} + UNCHANGED)
    connection = connections[DEFAULT_DB_ALIAS]
    engine = _engine(connection)
    if engine == "postgresql":  # before anything is unpacked
        postgresql.tool("pg_restore")
        postgresql.tool("psql")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked next to MEDIA_ROOT, so the files are moved into place, not copied.
    with tempfile.TemporaryDirectory(prefix=".gaoxin-restore-", dir=media_root.parent) as tmp:
        work = Path(tmp)
        manifest, digest = unpack(path, work, progress)
        _check_engine(manifest, engine)
        pending = _pending_migrations(manifest)
        replaced = _occupied(connection, media_root)
        if replaced and not force:
            raise BackupError(
                _(
                    "目标安装不是空的:%(w)s。恢复会用备份替换其中的全部数据和上传文件;"
                    "确认替换请加 --force。"
                )
                % {"w": "、".join(replaced)}
                + UNCHANGED
            )
        database = work / manifest["database"]["file"]
        if engine == "sqlite":
            sqlite.load(connection, database, manifest, progress)
        else:
            postgresql.load(connection, database, manifest, work, progress)
        _replace_media(work / MEDIA, media_root)
    connections.close_all()
    cache.clear()  # figures cached from the data that was replaced
    ContentType.objects.clear_cache()
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    audit.record(
        ACTOR,
        AuditRecord.Action.RESTORE_BACKUP,
        after={
            "file": str(path.absolute()),
            "sha256": digest,
            "created_at": manifest["created_at"],
            "gaoxin_version": manifest["gaoxin_version"],
            "rows": _rows(manifest),
            "files": len(manifest["media"]),
            "replaced": bool(replaced),
            "migrated": pending,
            "os_user": _os_user(),
        },
        message=_("从备份 %(f)s 恢复") % {"f": path.name},
    )
    return RestoreResult(path, digest, manifest, replaced, pending)


def _check_engine(manifest: dict, engine: str) -> None:
    if manifest["engine"] != engine:
        raise BackupError(
            _(
                "此备份来自 %(b)s 数据库,而当前配置的是 %(c)s 数据库:不同数据库之间不能直接"
                "恢复。请把 DATABASE_URL 指向一个 %(b)s 数据库后再恢复。"
            )
            % {"b": ENGINE_NAMES[manifest["engine"]], "c": ENGINE_NAMES[engine]}
            + UNCHANGED
        )


def _pending_migrations(manifest: dict) -> list[str]:
    """The migrations this code has and the backup lacks; refuses a backup from a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = {tuple(m) for m in manifest["migrations"]}
    unknown = sorted(recorded - known)
    if unknown:
        raise BackupError(
            _(
                "此备份来自更新版本的 gaoxin(%(v)s),包含本程序没有的数据库迁移 %(m)s;"
                "请先升级 gaoxin 再恢复。"
            )
            % {"v": manifest["gaoxin_version"], "m": "、".join(".".join(m) for m in unknown[:3])}
            + UNCHANGED
        )
    return sorted(".".join(m) for m in known - recorded)


def _occupied(connection, media_root: Path) -> list[str]:
    """What the target already holds (nothing for a fresh installation, migrated or not)."""
    tables = set(connection.introspection.table_names())
    held = []
    for model, label in (
        (Zone, _("%(n)d 个园区")),
        (User, _("%(n)d 个账号")),
        (AuditRecord, _("%(n)d 条审计记录")),
    ):
        n = model._meta.db_table in tables and model.objects.count()
        if n:
            held.append(label % {"n": n})
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        held.append(_("上传文件目录 %(m)s 中已有文件") % {"m": media_root})
    return held


def _replace_media(staged: Path, media_root: Path) -> None:
    """MEDIA_ROOT holds exactly the backup's files afterwards (the folder itself stays: it may
    be a mount point)."""
    media_root.mkdir(parents=True, exist_ok=True)
    for child in list(media_root.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if staged.is_dir():
        for child in staged.iterdir():
            shutil.move(child, media_root / child.name)

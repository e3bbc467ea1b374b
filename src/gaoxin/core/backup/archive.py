"""The backup file: a .tar.gz whose first member is manifest.json, then the database file, then
the uploaded files under media/. Every member but the manifest has its size and SHA-256 in the
manifest; unpacking checks them all and refuses anything else."""

import gzip
import json
import os
import re
import shutil
import tarfile
import zlib
from io import BytesIO
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from .common import CHUNK, IDENTIFIER, UNCHANGED, BackupError, Hashing

FORMAT = "gaoxin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SHA256 = re.compile(r"[0-9a-f]{64}")


def media_files(root: Path) -> list[tuple[str, Path]]:
    """(relative POSIX path, path) of every regular file under MEDIA_ROOT, sorted."""
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def write_archive(path: Path, manifest: dict, database: Path, files, progress) -> None:
    """The archive under a temporary name, renamed into place once complete."""
    partial_path = path.with_name(path.name + ".partial")
    total = manifest["database"]["size"] + sum(f["size"] for f in manifest["media"])
    try:
        with (
            open(partial_path, "wb") as raw,
            progress(total=total, desc=_("写入备份文件"), unit="B", unit_scale=True) as bar,
        ):
            os.fchmod(raw.fileno(), 0o600)  # it holds password hashes and personal data
            with tarfile.open(
                fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6
            ) as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, BytesIO(data))
                _add(tar, database, database.name, manifest["database"]["sha256"], bar)
                for (rel, source), entry in zip(files, manifest["media"], strict=True):
                    _add(tar, source, f"{MEDIA}/{rel}", entry["sha256"], bar)
        os.replace(partial_path, path)
    except BaseException:
        partial_path.unlink(missing_ok=True)
        raise


def _add(tar, source: Path, name: str, sha256: str, bar) -> None:
    info = tar.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(source, "rb") as raw:
        reader = Hashing(raw, bar)
        tar.addfile(info, reader)
    if reader.hexdigest() != sha256:  # uploads are written once; this one changed under us
        raise BackupError(_("文件 %(f)s 在备份过程中被修改,请重新备份。") % {"f": source})


def unpack(path: Path, work: Path, progress) -> tuple[dict, str]:
    """Extract every member into `work`, checking each against the manifest;
    (manifest, SHA-256 of the whole archive)."""
    manifest, expected = None, {}
    with (
        open(path, "rb") as raw,
        progress(
            total=path.stat().st_size, desc=_("校验备份文件"), unit="B", unit_scale=True
        ) as bar,
    ):
        reader = Hashing(raw, bar)
        try:
            tar = tarfile.open(fileobj=reader, mode="r|gz")  # noqa: SIM115 (closed below)
        except (tarfile.TarError, EOFError, zlib.error, OSError):
            raise _foreign(path, _("不是 .tar.gz 归档")) from None
        try:
            with tar:
                for member in tar:
                    if manifest is None:
                        manifest = _read_manifest(path, tar, member)
                        expected = _expected_members(manifest)
                    else:
                        _extract(tar, member, expected, work)
                while reader.read(CHUNK):  # the rest of the file, for its checksum
                    pass
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise BackupError(
                _("备份文件 %(f)s 已损坏或不完整(%(e)s)。") % {"f": path, "e": exc} + UNCHANGED
            ) from None
    if manifest is None:
        raise _foreign(path, _("归档是空的"))
    if expected:
        raise BackupError(
            _("备份文件不完整:缺少清单中的 %(m)s 等 %(n)d 个文件。")
            % {"m": sorted(expected)[0], "n": len(expected)}
            + UNCHANGED
        )
    return manifest, reader.hexdigest()


def _foreign(path: Path, why: str) -> BackupError:
    return BackupError(_("%(f)s 不是 gaoxin 备份文件(%(w)s)。") % {"f": path, "w": why} + UNCHANGED)


def _read_manifest(path: Path, tar, member) -> dict:
    if member.name != MANIFEST or not member.isreg():
        raise _foreign(path, _("第一个条目不是 manifest.json"))
    try:
        manifest = json.loads(tar.extractfile(member).read().decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(
            _("备份清单 manifest.json 无法读取(%(e)s)。") % {"e": exc} + UNCHANGED
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _foreign(path, _("清单不是 gaoxin 备份清单"))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            _("此备份的格式版本 %(v)s 比本程序支持的 %(s)d 新,请先升级 gaoxin。")
            % {"v": version, "s": FORMAT_VERSION}
            + UNCHANGED
        )
    problem = manifest_problem(manifest)
    if problem:
        raise BackupError(
            _("备份清单 manifest.json 的内容无效:%(e)s。") % {"e": problem} + UNCHANGED
        )
    return manifest


def manifest_problem(m: dict) -> str | None:
    """The names of the manifest's fields that are missing or malformed, or None."""

    def safe_path(p):  # relative, no empty, "." or ".." parts: it becomes a path on disk
        return isinstance(p, str) and all(part not in ("", ".", "..") for part in p.split("/"))

    def entry(e):
        return (
            isinstance(e, dict)
            and isinstance(e.get("size"), int)
            and SHA256.fullmatch(str(e.get("sha256")))
        )

    def pairs(items):
        return isinstance(items, list) and all(
            isinstance(x, list) and len(x) == 2 and all(isinstance(s, str) for s in x)
            for x in items
        )

    db, tables, media = m.get("database"), m.get("tables"), m.get("media")
    checks = {
        "engine": m.get("engine") in DATABASE_FILES,
        "created_at": isinstance(m.get("created_at"), str),
        "gaoxin_version": isinstance(m.get("gaoxin_version"), str),
        "database": entry(db)
        and db.get("file") == DATABASE_FILES.get(m.get("engine"))
        and IDENTIFIER.fullmatch(str(db.get("schema", "public"))),
        "migrations": pairs(m.get("migrations")),
        "tables": isinstance(tables, dict)
        and all(
            IDENTIFIER.fullmatch(k) and isinstance(v, int) and v >= 0 for k, v in tables.items()
        ),
        "media": isinstance(media, list)
        and all(entry(e) and safe_path(e.get("path")) for e in media),
    }
    return ", ".join(name for name, ok in checks.items() if not ok) or None


def _expected_members(manifest: dict) -> dict[str, tuple[int, str]]:
    db = manifest["database"]
    expected = {db["file"]: (db["size"], db["sha256"])}
    for e in manifest["media"]:
        expected[f"{MEDIA}/{e['path']}"] = (e["size"], e["sha256"])
    return expected


def _extract(tar, member, expected: dict, work: Path) -> None:
    """Write one member the manifest lists (each once) and check its size and checksum."""
    if member.name not in expected:
        raise BackupError(
            _("备份文件中有清单之外的条目「%(m)s」。") % {"m": member.name} + UNCHANGED
        )
    if not member.isreg():
        raise BackupError(
            _("备份文件中的条目「%(m)s」不是普通文件。") % {"m": member.name} + UNCHANGED
        )
    size, sha256 = expected.pop(member.name)
    target = work / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        reader = Hashing(tar.extractfile(member))
        shutil.copyfileobj(reader, out, CHUNK)
    os.utime(target, (member.mtime, member.mtime))
    if (reader.size, reader.hexdigest()) != (size, sha256):
        raise BackupError(
            _("备份文件校验失败:%(m)s 的 SHA-256 与清单不符,文件已损坏或被改动。")
            % {"m": member.name}
            + UNCHANGED
        )

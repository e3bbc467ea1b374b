"""`gaoxin backup` / `gaoxin restore`: an installation holding every kind of record of every module
(the access matrix's world: tests/support/access.py), backed up and restored into a fresh
installation (its own database and GAOXIN_VAR, `gaoxin restore` run there as a subprocess), comes
back with every row of every table and every uploaded file; bad files and wrong targets are
refused with a clear message and change nothing. Runs on SQLite and on PostgreSQL."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing, contextmanager
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from gaoxin.core.codelists import ensure_code_lists
from gaoxin.core.models import AuditRecord
from gaoxin.statistics.catalogue import ensure_standard
from tests.support.access import FAST_HASHERS, build_access_world

POSTGRES = connection.vendor == "postgresql"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RESTORED = "restore_backup"


# --- reading a whole installation -------------------------------------------------------------


def table_rows(execute, vendor, skip_restores=False) -> dict[str, list]:
    """Every row of every table, as the database itself renders it, ordered by primary key.
    skip_restores: leave out the audit rows a restore writes after the restored state."""
    rows = {}
    if vendor == "sqlite":
        names = execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
        for (name,) in names:
            info = execute(f'PRAGMA table_info("{name}")')
            values = ", ".join(f'quote("{column[1]}")' for column in info)
            pk = [column[1] for column in sorted(info, key=lambda c: c[5]) if column[5]]
            query = f'SELECT {values} FROM "{name}"'
            if skip_restores and name == "core_auditrecord":
                query += f" WHERE action <> '{RESTORED}'"
            rows[name] = execute(query + f" ORDER BY {', '.join(pk) or 'rowid'}")
        return rows
    execute("SET TIME ZONE 'UTC'")
    names = execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    for (name,) in names:
        pk = execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
            [f'public."{name}"'],
        )
        query = f'SELECT t::text FROM public."{name}" AS t'
        if skip_restores and name == "core_auditrecord":
            query += f" WHERE action <> '{RESTORED}'"
        order = ", ".join(f'"{c}"' for (c,) in pk) or "1"
        rows[name] = execute(query + f" ORDER BY {order}")
    return rows


def sequences(execute, vendor) -> dict[str, int]:
    if vendor == "sqlite":
        return dict(execute("SELECT name, seq FROM sqlite_sequence"))
    return dict(
        execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "AND last_value IS NOT NULL"
        )
    )


def schema(execute, vendor) -> list[tuple]:
    """Indexes, constraints, triggers (the audit guard of core 0008 among them) and functions."""
    if vendor == "sqlite":
        return execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
        )
    return execute(
        "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "UNION ALL SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace "
        "UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE NOT tgisinternal "
        "UNION ALL SELECT 'function', proname, md5(prosrc) FROM pg_proc "
        "WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2, 3"
    )


def django_execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []


def files(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class FreshInstallation:
    """A second installation on the same database server: its own, blank database (SQLite: a file
    not yet written; PostgreSQL: a new database), as on a new machine before `gaoxin migrate`
    (restore accepts it migrated or not: core.backup._occupied), and its own GAOXIN_VAR, so its
    uploads live elsewhere. `gaoxin` runs there as a subprocess."""

    def __init__(self, root: Path):
        self.var = root / "var"
        self.var.mkdir(parents=True)
        self.media = self.var / "media"
        s = connection.settings_dict
        if POSTGRES:
            self.name = f"{s['NAME']}_restore"
            self._server("DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}")
            user = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            host = f"{s['HOST'] or ''}:{s['PORT']}" if s["PORT"] else s["HOST"] or ""
            self.url = (
                f"postgres://{user}@{host}/{self.name}"
                if user
                else f"postgres://{host}/{self.name}"
            )
        else:
            self.url = f"sqlite:///{self.var / 'gaoxin.sqlite3'}"

    def _params(self, name):
        return {**connection.get_connection_params(), "dbname": name}

    def _server(self, *statements):
        with psycopg.connect(**self._params("postgres"), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.format(f'"{self.name}"'))

    def gaoxin(self, *args, check=False) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": self.url, "GAOXIN_VAR": str(self.var)}
        return subprocess.run(
            [sys.executable, "-m", "gaoxin", *args],
            env=env,
            cwd=self.var.parent,
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    @contextmanager
    def connect(self):
        """execute(sql) on the installation's database, as a plain client."""
        if POSTGRES:
            with psycopg.connect(**self._params(self.name), autocommit=True) as conn:

                def execute(sql, params=None):
                    cursor = conn.execute(sql, params)
                    return [tuple(r) for r in cursor.fetchall()] if cursor.description else []

                yield execute
            return
        with closing(sqlite3.connect(self.var / "gaoxin.sqlite3")) as conn, conn:
            yield lambda sql, params=None: conn.execute(sql, params or ()).fetchall()

    def state(self):
        """Its rows (without the audit records restores write), sequences, restore records and
        uploaded files."""
        with self.connect() as execute:
            return SimpleNamespace(
                rows=table_rows(execute, connection.vendor, skip_restores=True),
                sequences=sequences(execute, connection.vendor),
                schema=schema(execute, connection.vendor),
                restores=execute(
                    "SELECT id, actor_name, message, after FROM core_auditrecord "
                    f"WHERE action = '{RESTORED}'"
                ),
                files=files(self.media),
            )

    def drop(self):
        if POSTGRES:
            self._server("DROP DATABASE IF EXISTS {} WITH (FORCE)")


# --- an installation in use, backed up and restored once for the class -----------------------


@pytest.fixture(scope="class")
def trip(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every module's records and uploads (the access matrix's world), committed (pg_dump sees
    only committed data), backed up with `gaoxin backup`, restored into a fresh installation with
    `gaoxin restore`."""
    root = tmp_path_factory.mktemp("backup")
    media = root / "media"
    archive = root / "backup.tar.gz"
    target = None
    with django_db_blocker.unblock():
        try:
            with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS):
                ensure_code_lists()  # a transactional test before this module may have flushed
                ensure_standard()
                build_access_world(media)
                source = SimpleNamespace(
                    rows=table_rows(django_execute, connection.vendor),
                    sequences=sequences(django_execute, connection.vendor),
                    schema=schema(django_execute, connection.vendor),
                    files=files(media),
                    last_audit=AuditRecord.objects.latest("pk").pk,
                    migrations=[
                        [m.app, m.name] for m in MigrationRecorder.Migration.objects.order_by("id")
                    ],
                )
                out = io.StringIO()
                call_command("backup", str(archive), stdout=out)
            target = FreshInstallation(root / "fresh")
            restore = target.gaoxin("restore", str(archive))
            yield SimpleNamespace(
                archive=archive,
                source=source,
                backup_out=out.getvalue(),
                target=target,
                restore=restore,
                restored=target.state(),
            )
        finally:
            if target is not None:
                target.drop()
            call_command("flush", verbosity=0, interactive=False)
            ensure_code_lists()
            ensure_standard()


# --- bad files and wrong targets: tampered copies of a backup of this installation ------------


def rewrite(source: Path, target: Path, manifest=None, members=None) -> Path:
    """A copy of a backup with its manifest edited in place and/or members' bytes replaced
    (`members`: name → new bytes, or None to leave the member out)."""
    members = members or {}
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                content = json.loads(data)
                manifest(content)
                data = json.dumps(content).encode()
            if info.name in members:
                data = members[info.name]
                if data is None:
                    continue
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


@pytest.fixture
def installation(world, settings, tmp_path):
    """This installation in use (the `world`, one uploaded file) and a backup of it."""
    upload = Path(settings.MEDIA_ROOT) / "investment" / "1" / "a1b2"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(PDF)
    archive = tmp_path / "backups" / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    return SimpleNamespace(world=world, media=Path(settings.MEDIA_ROOT), archive=archive)


def this_state(media: Path):
    return (
        table_rows(django_execute, connection.vendor),
        files(media),
    )


def refused(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path), *args, stdout=io.StringIO())
    return str(caught.value)


@pytest.mark.django_db
class TestTheRoundTrip:
    """This installation in use, backed up and restored into a fresh one (class fixture `trip`)."""

    def test_the_backup_file_holds_the_manifest_the_database_and_every_upload(self, trip):
        with tarfile.open(trip.archive) as tar:
            names = tar.getnames()
            manifest = json.loads(tar.extractfile("manifest.json").read())
        database = "database.pgdump" if POSTGRES else "database.sqlite3"
        uploads = sorted(trip.source.files)
        assert {"investment", "matters", "imports"} <= {u.split("/")[0] for u in uploads}
        assert names == ["manifest.json", database, *[f"media/{u}" for u in uploads]]
        assert (manifest["format"], manifest["format_version"]) == ("gaoxin-backup", 1)
        assert manifest["engine"] == connection.vendor and manifest["gaoxin_version"] == version(
            "gaoxin"
        )
        assert manifest["migrations"] == trip.source.migrations
        assert manifest["tables"] == {t: len(rows) for t, rows in trip.source.rows.items()}
        assert manifest["tables"]["enterprises_enterprise"] >= 4  # the world's a1, a2, b1, c1
        assert manifest["media"] == [
            {
                "path": u,
                "size": len(trip.source.files[u]),
                "sha256": hashlib.sha256(trip.source.files[u]).hexdigest(),
            }
            for u in uploads
        ]
        assert manifest["database"]["file"] == database
        assert oct(trip.archive.stat().st_mode & 0o777) == "0o600"
        lines = trip.backup_out.splitlines()
        assert lines[0] == "正在备份数据库和上传文件……"
        assert lines[1].startswith(f"已备份到 {trip.archive}(") and lines[1].endswith(
            (" KB)", " MB)")
        )
        assert lines[2] == f"SHA-256:{sha256(trip.archive)}"
        rows = sum(manifest["tables"].values())
        engine = "PostgreSQL" if POSTGRES else "SQLite"
        assert lines[3] == f"数据库:{engine},{len(manifest['tables'])} 张表,共 {rows} 行"
        assert lines[4].startswith(f"上传文件:{len(uploads)} 个,共 ")
        assert lines[5] == f"恢复命令:gaoxin restore {trip.archive}"

    def test_the_backup_is_audited_after_the_state_it_saved(self, trip):
        record = AuditRecord.objects.get(action=AuditRecord.Action.BACKUP)
        assert (record.actor_id, record.actor_name, record.zone_id) == (None, "system", None)
        assert record.message == "命令行备份到 backup.tar.gz"
        assert record.after["file"] == str(trip.archive)
        assert record.after["sha256"] == sha256(trip.archive)
        assert record.after["rows"] == sum(len(r) for r in trip.source.rows.values())
        assert record.after["files"] == len(trip.source.files)
        assert record.pk > trip.source.last_audit

    def test_every_row_of_every_table_comes_back(self, trip):
        assert trip.restore.returncode == 0, trip.restore.stderr
        assert trip.restored.rows.keys() == trip.source.rows.keys()
        assert len(trip.source.rows) > 60
        for table, rows in trip.source.rows.items():
            assert trip.restored.rows[table] == rows, table

    def test_the_schema_comes_back_with_its_indexes_constraints_and_triggers(self, trip):
        assert trip.restored.schema == trip.source.schema
        assert len([o for o in trip.source.schema if o[0] == "index"]) > 100

    def test_every_uploaded_file_comes_back_byte_for_byte(self, trip):
        assert trip.restored.files == trip.source.files
        assert len(trip.restored.files) >= 2

    def test_the_restore_is_audited_as_the_first_record_after_the_restored_state(self, trip):
        (restore,) = trip.restored.restores
        pk, actor, message, after = restore
        after = json.loads(after) if isinstance(after, str) else after
        assert pk == trip.source.last_audit + 1
        assert (actor, message) == ("system", "从备份 backup.tar.gz 恢复")
        assert after["sha256"] == sha256(trip.archive) and after["replaced"] is False
        assert after["migrated"] == []
        # every id sequence continues where the backup left off; the audit one past the restore row
        expected = {**trip.source.sequences}
        audit_sequence = "core_auditrecord_id_seq" if POSTGRES else "core_auditrecord"
        expected[audit_sequence] = pk
        assert trip.restored.sequences == expected
        out = trip.restore.stdout.splitlines()
        assert out[1].startswith(f"已从 {trip.archive} 恢复(备份于 ")
        rows = sum(len(r) for r in trip.source.rows.values())
        assert out[2] == f"数据库:{len(trip.source.rows)} 张表,共 {rows} 行,行数与清单一致"
        assert out[3].startswith(f"上传文件:{len(trip.source.files)} 个,共 ") and out[3].endswith(
            ",校验一致"
        )
        assert out[4] == "已写入审计记录「从备份恢复」"

    def test_restoring_over_a_used_installation_needs_force_and_otherwise_changes_nothing(
        self, trip
    ):
        before = trip.target.state()
        result = trip.target.gaoxin("restore", str(trip.archive))
        assert result.returncode == 1
        zones, users = len(trip.source.rows["core_zone"]), len(trip.source.rows["core_user"])
        audits = len(trip.source.rows["core_auditrecord"]) + 1
        assert result.stderr.strip() == (
            f"CommandError: 目标安装不是空的:{zones} 个园区、{users} 个账号、{audits} 条审计记录、"
            f"上传文件目录 {trip.target.media} 中已有文件。"
            "恢复会用备份替换其中的全部数据和上传文件;确认替换请加 --force。未做任何更改。"
        )
        assert trip.target.state() == before

    def test_force_replaces_a_changed_installation_with_exactly_the_backup(self, trip):
        # Given the restored installation, changed since: a renamed enterprise, a new file, a lost one
        with trip.target.connect() as execute:
            # The lowest id: on PostgreSQL ids do not restart at 1 between tests.
            execute(
                "UPDATE enterprises_enterprise SET name = '改名有限公司' "
                "WHERE id = (SELECT MIN(id) FROM enterprises_enterprise)"
            )
        lost = sorted(trip.source.files)[0]
        (trip.target.media / lost).unlink()
        (trip.target.media / "stray.txt").write_bytes(b"not in the backup")
        changed = trip.target.state()
        assert changed.rows != trip.source.rows and changed.files != trip.source.files
        # When it is restored with --force
        result = trip.target.gaoxin("restore", "--force", str(trip.archive))
        # Then it holds exactly the backup again, with one restore record (the earlier one replaced)
        assert result.returncode == 0, result.stderr
        assert "原有内容已被替换(--force):3 个园区" in result.stdout
        state = trip.target.state()
        assert state.rows == trip.source.rows
        assert state.schema == trip.source.schema
        assert state.files == trip.source.files
        assert len(state.restores) == 1

    def test_a_manifest_that_does_not_match_its_database_is_refused_and_changes_nothing(
        self, trip, tmp_path
    ):
        # Given a backup whose manifest claims one zone more than its database holds
        tampered = rewrite(
            trip.archive,
            tmp_path / "tampered.tar.gz",
            manifest=lambda m: m["tables"].update(core_zone=4),
        )
        before = trip.target.state()
        result = trip.target.gaoxin("restore", "--force", str(tampered))
        assert result.returncode == 1
        if POSTGRES:  # found inside the restore's transaction, which is rolled back
            message = (
                "恢复 PostgreSQL 数据库失败,已全部撤销:数据表 core_zone 有 3 行,清单记录为 4 行。"
            )
        else:  # found before the database file is touched
            message = "备份中的数据库与清单不符:数据表 core_zone 有 3 行,清单记录为 4 行。"
        assert result.stderr.strip() == f"CommandError: {message}未做任何更改。"
        assert trip.target.state() == before

    def test_a_damaged_database_that_matches_its_checksum_changes_nothing(self, trip, tmp_path):
        # Given a backup whose database file was cut in half before its checksum was taken
        name = "database.pgdump" if POSTGRES else "database.sqlite3"
        with tarfile.open(trip.archive) as tar:
            half = tar.extractfile(name).read()
        half = half[: len(half) // 2]
        damaged = rewrite(
            trip.archive,
            tmp_path / "damaged.tar.gz",
            members={name: half},
            manifest=lambda m: m["database"].update(
                size=len(half), sha256=hashlib.sha256(half).hexdigest()
            ),
        )
        before = trip.target.state()
        result = trip.target.gaoxin("restore", "--force", str(damaged))
        assert result.returncode == 1
        if POSTGRES:  # pg_restore stops part-way; the transaction is never committed
            assert result.stderr.startswith(
                "CommandError: 恢复 PostgreSQL 数据库失败,已全部撤销:pg_restore 执行失败(退出码 1)"
            ), result.stderr
        else:  # found before the database file is touched
            assert result.stderr.startswith("CommandError: 备份中的 SQLite 数据库已损坏:")
        assert result.stderr.strip().endswith("未做任何更改。")
        assert trip.target.state() == before


@pytest.mark.django_db(transaction=True)  # the backup reads committed data
class TestRefusals:
    """Bad files and wrong targets: a clear message, and nothing changed."""

    def test_a_used_installation_is_not_replaced_without_force(self, installation):
        before = this_state(installation.media)
        audits = AuditRecord.objects.count()
        assert refused(installation.archive) == (
            f"目标安装不是空的:3 个园区、6 个账号、{audits} 条审计记录、"
            f"上传文件目录 {installation.media} 中已有文件。"
            "恢复会用备份替换其中的全部数据和上传文件;确认替换请加 --force。未做任何更改。"
        )
        assert this_state(installation.media) == before

    def test_a_truncated_backup_is_refused(self, installation, tmp_path):
        data = installation.archive.read_bytes()
        cut = tmp_path / "cut.tar.gz"
        cut.write_bytes(data[: len(data) // 2])
        before = this_state(installation.media)
        message = refused(cut, "--force")
        assert message.startswith(f"备份文件 {cut} 已损坏或不完整(")
        assert message.endswith(")。未做任何更改。")
        assert this_state(installation.media) == before

    def test_files_that_are_not_backups_are_refused(self, installation, tmp_path):
        text = tmp_path / "notes.tar.gz"
        text.write_text("这不是备份")
        other = tmp_path / "other.tar.gz"
        with tarfile.open(other, "w:gz") as tar:
            info = tarfile.TarInfo("readme.txt")
            tar.addfile(info, io.BytesIO(b""))
        before = this_state(installation.media)
        assert refused(text, "--force") == (
            f"{text} 不是 gaoxin 备份文件(不是 .tar.gz 归档)。未做任何更改。"
        )
        assert refused(other, "--force") == (
            f"{other} 不是 gaoxin 备份文件(第一个条目不是 manifest.json)。未做任何更改。"
        )
        assert refused(tmp_path / "missing.tar.gz") == (
            f"找不到备份文件 {tmp_path / 'missing.tar.gz'}。未做任何更改。"
        )
        assert this_state(installation.media) == before

    def test_a_changed_or_missing_file_fails_the_check(self, installation, tmp_path):
        changed = rewrite(
            installation.archive,
            tmp_path / "changed.tar.gz",
            members={"media/investment/1/a1b2": PDF.replace(b"1.4", b"1.7")},
        )
        missing = rewrite(
            installation.archive,
            tmp_path / "missing.tar.gz",
            members={"media/investment/1/a1b2": None},
        )
        extra = rewrite(
            installation.archive,
            tmp_path / "extra.tar.gz",
            manifest=lambda m: m["media"].clear(),
        )
        before = this_state(installation.media)
        assert refused(changed, "--force") == (
            "备份文件校验失败:media/investment/1/a1b2 的 SHA-256 与清单不符,文件已损坏或被改动。"
            "未做任何更改。"
        )
        assert refused(missing, "--force") == (
            "备份文件不完整:缺少清单中的 media/investment/1/a1b2 等 1 个文件。未做任何更改。"
        )
        assert refused(extra, "--force") == (
            "备份文件中有清单之外的条目「media/investment/1/a1b2」。未做任何更改。"
        )
        assert this_state(installation.media) == before

    def test_a_backup_of_the_other_engine_is_refused(self, installation, tmp_path):
        mine, other = ("postgresql", "sqlite") if POSTGRES else ("sqlite", "postgresql")
        files_ = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

        def swap(m):
            m["engine"], m["database"]["file"] = other, files_[other]

        foreign = tmp_path / "foreign.tar.gz"
        with tarfile.open(installation.archive) as old, tarfile.open(foreign, "w:gz") as new:
            for info in old.getmembers():
                data = old.extractfile(info).read()
                if info.name == "manifest.json":
                    content = json.loads(data)
                    swap(content)
                    data = json.dumps(content).encode()
                if info.name == files_[mine]:
                    info.name = files_[other]
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        before = this_state(installation.media)
        assert refused(foreign, "--force") == (
            f"此备份来自 {names[other]} 数据库,而当前配置的是 {names[mine]} 数据库:"
            "不同数据库之间不能直接恢复。"
            f"请把 DATABASE_URL 指向一个 {names[other]} 数据库后再恢复。未做任何更改。"
        )
        assert this_state(installation.media) == before

    def test_a_backup_from_a_newer_version_is_refused(self, installation, tmp_path):
        newer = rewrite(
            installation.archive,
            tmp_path / "newer.tar.gz",
            manifest=lambda m: m.update(
                gaoxin_version="9.0.0", migrations=[*m["migrations"], ["core", "9999_future"]]
            ),
        )
        before = this_state(installation.media)
        assert refused(newer, "--force") == (
            "此备份来自更新版本的 gaoxin(9.0.0),包含本程序没有的数据库迁移 core.9999_future;"
            "请先升级 gaoxin 再恢复。未做任何更改。"
        )
        assert this_state(installation.media) == before

    @pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL client tools")
    def test_missing_postgresql_tools_are_named(self, installation, tmp_path, monkeypatch):
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        before = this_state(installation.media)
        with pytest.raises(CommandError, match="^找不到 pg_dump:PostgreSQL 数据库的备份和恢复要用"):
            call_command("backup", str(tmp_path / "new.tar.gz"), stdout=io.StringIO())
        assert not (tmp_path / "new.tar.gz").exists()
        message = refused(installation.archive, "--force")
        assert message.startswith("找不到 pg_restore:")
        assert "apt install postgresql-client" in message and message.endswith("未做任何更改。")
        assert this_state(installation.media) == before

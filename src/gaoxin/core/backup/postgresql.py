"""PostgreSQL: pg_dump --format=custom of the snapshot the rows are counted in; the restore feeds
pg_restore's script to psql inside one transaction that also checks every table's row count and
commits only when pg_restore has finished and every count matches. The client tools come from
the postgresql-client package; the password goes to them in PGPASSWORD, never on a command line."""

import os
import shutil
import subprocess
from contextlib import suppress
from pathlib import Path

import psycopg
from django.db import connections
from django.utils.translation import gettext as _
from psycopg import sql

from .common import UNCHANGED, BackupError, not_initialised, quote, row_mismatch

# libpq's environment variables for the connection OPTIONS the tools must share with Django.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
MISMATCH = "gaoxin-restore:"  # marks the count check's exception in psql's output


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "找不到 %(t)s:PostgreSQL 数据库的备份和恢复要用 PostgreSQL 客户端工具"
                " pg_dump、pg_restore 和 psql(Debian/Ubuntu:apt install postgresql-client,"
                "版本不低于数据库服务器)。请安装后重试。"
            )
            % {"t": name}
            + UNCHANGED
        )
    return found


def environment(connection) -> dict[str, str]:
    """The connection settings for pg_dump/pg_restore/psql, in libpq's variables."""
    s = connection.settings_dict
    options = s.get("OPTIONS") or {}
    values = {
        "PGDATABASE": s["NAME"],
        "PGUSER": s["USER"],
        "PGPASSWORD": s["PASSWORD"],
        "PGHOST": s["HOST"],
        "PGPORT": s["PORT"],
        **{var: options.get(key) for key, var in LIBPQ_OPTIONS.items()},
    }
    env = {**os.environ, **{k: str(v) for k, v in values.items() if v}}
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c client_min_messages=warning").strip()
    return env


def dump(connection, target: Path, progress) -> dict:
    """pg_dump into `target`; the row counts and applied migrations of the same snapshot."""
    pg_dump = tool("pg_dump")
    try:
        conn = psycopg.connect(**connection.get_connection_params())
    except psycopg.Error as exc:
        raise BackupError(_("无法连接 PostgreSQL 数据库:%(e)s") % {"e": exc}) from exc
    with conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot, schema, version = conn.execute(
            "SELECT pg_catalog.pg_export_snapshot(), current_schema(), "
            "current_setting('server_version')"
        ).fetchone()
        names = conn.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = %s ORDER BY tablename",
            [schema],
        )
        names = [name for (name,) in names]
        if "django_migrations" not in names:
            raise not_initialised()

        def table(name):
            return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))

        count = sql.SQL("SELECT count(*) FROM {}")
        tables = {n: conn.execute(count.format(table(n))).fetchone()[0] for n in names}
        applied = sql.SQL("SELECT app, name FROM {} ORDER BY id").format(table("django_migrations"))
        migrations = [list(row) for row in conn.execute(applied)]
        command = [pg_dump, "--format=custom", "--no-password", "--verbose"]
        command += [f"--snapshot={snapshot}", f"--file={target}"]
        with progress(total=len(names), desc=_("导出数据库"), unit=_("表")) as bar:
            _run(command, environment(connection), bar, "dumping contents of table")
    return {"tables": tables, "migrations": migrations, "schema": schema, "server_version": version}


def _run(command, env, bar, marker: str) -> None:
    """Run a PostgreSQL tool, moving the bar on each of its verbose lines that has `marker`."""
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    said = []
    for line in process.stderr:
        if marker in line:
            bar.update(1)
        else:
            said.append(line.strip())
    if process.wait() != 0:
        raise BackupError(_failed(Path(command[0]).name, process.returncode, said))


def _failed(name: str, code: int, lines: list[str]) -> str:
    errors = [line for line in lines if "error" in line.lower()]
    said = " ".join((errors or lines)[-3:]) or "?"
    return _("%(t)s 执行失败(退出码 %(c)s):%(e)s") % {"t": name, "c": code, "e": said}


def load(connection, dump_file: Path, manifest: dict, work: Path, progress) -> None:
    """Replace the configured database's content with the dump, all or nothing."""
    pg_restore, psql = tool("pg_restore"), tool("psql")
    schema = manifest["database"].get("schema", "public")
    # Tables the backup does not have (a newer schema) go, or a later migrate would trip on them.
    extra = sorted(set(connection.introspection.table_names()) - set(manifest["tables"]))
    env = environment(connection)
    connections.close_all()
    begin = "BEGIN;\n" + "".join(
        f"DROP TABLE IF EXISTS {quote(schema)}.{quote(t)} CASCADE;\n" for t in extra
    )
    restore_log, psql_log = work / "pg_restore.log", work / "psql.log"
    with (
        progress(total=len(manifest["tables"]), desc=_("恢复数据库"), unit=_("表")) as bar,
        open(restore_log, "wb") as rlog,
        open(psql_log, "wb") as plog,
    ):
        load = subprocess.Popen(
            [psql, "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", "-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=plog,
        )
        script = subprocess.Popen(
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-"]
            + [str(dump_file)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=rlog,
        )
        _feed(load, script, begin, _count_checks(schema, manifest["tables"]), bar)
    said = psql_log.read_text(errors="replace").splitlines()
    mismatch = next((line for line in said if MISMATCH in line), None)
    if mismatch:
        problem = row_mismatch(*mismatch.split(MISMATCH, 1)[1].split()[:3])
    elif script.returncode != 0:  # the cause; psql's errors would be its consequence
        lines = restore_log.read_text(errors="replace").splitlines()
        problem = _failed("pg_restore", script.returncode, lines)
    elif load.returncode != 0:
        problem = _failed("psql", load.returncode, said)
    else:
        return
    raise BackupError(
        _("恢复 PostgreSQL 数据库失败,已全部撤销:%(p)s。") % {"p": problem} + UNCHANGED
    )


def _feed(load, script, begin: str, checks: str, bar) -> None:
    """Pass pg_restore's script to psql between BEGIN and the checks; COMMIT only if pg_restore
    finished. Without the COMMIT psql ends with the transaction open and the server rolls back."""
    try:
        load.stdin.write(begin.encode())
        for line in script.stdout:
            if line.startswith(b"COPY "):
                bar.update(1)
            load.stdin.write(line)
        if script.wait() == 0:
            load.stdin.write(checks.encode() + b"COMMIT;\n")
        load.stdin.close()
    except BrokenPipeError:
        pass  # psql stopped at an error; its log says which
    finally:
        if script.poll() is None:
            script.kill()
        script.wait()
        script.stdout.close()
        with suppress(BrokenPipeError):
            load.stdin.close()
        load.wait()


def _count_checks(schema: str, tables: dict[str, int]) -> str:
    """A DO block raising 'gaoxin-restore: TABLE FOUND EXPECTED' at the first count that differs
    (names are plain identifiers: the manifest check makes sure)."""
    checks = "".join(
        f"  SELECT count(*) INTO n FROM {quote(schema)}.{quote(t)};\n"
        f"  IF n <> {int(c)} THEN RAISE EXCEPTION '{MISMATCH} {t} % {int(c)}', n; END IF;\n"
        for t, c in sorted(tables.items())
    )
    return f"DO $gaoxin$\nDECLARE n bigint;\nBEGIN\n{checks}END\n$gaoxin$;\n"

"""What the benchmarks share: Django on a temporary var/, fresh database copies, a query
counter, and the side-by-side report of the pipeline against its per-row baseline."""

import os
import shutil
import subprocess
import sys
from pathlib import Path


def setup_django(var: Path) -> None:
    os.environ["GAOXIN_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    import django

    django.setup()


def fresh_database(var: Path, template: Path) -> None:
    from django.db import connection

    connection.close()
    for suffix in ("", "-wal", "-shm"):
        (var / f"gaoxin.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copy(template, var / "gaoxin.sqlite3")


class QueryCounter:
    """Counts every statement sent to the database (Django's query log stops at 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def report(
    *,
    rows,
    sample,
    baseline,
    result,
    total,
    queries,
    base_total,
    base_queries,
    errors,
    bad_cell,
    rejected_total,
    rejected_queries,
    reproduce,
) -> int:
    """Print the pipeline's figures beside the baseline's (measured on `sample` rows and
    extrapolated), and the one-bad-cell rejection; 0 when exactly that cell was named."""
    n = sample
    scale = rows / n
    t = result.timings
    print(f"{'':24}{'pipeline':>18}    baseline: {baseline}")
    print(f"{'':24}{f'{rows:,} rows':>18}    measured on {n:,} rows, ×{scale:g} extrapolated")
    print(f"{'read (calamine+parse)':24}{t['read']:>16.2f} s")
    print(f"{'validate':24}{t['validate']:>16.2f} s")
    print(f"{'write (1 transaction)':24}{t['write']:>16.2f} s")
    base_line = f"{base_total:.2f} s → ≈ {base_total * scale:.1f} s (extrapolated)"
    print(f"{'total':24}{total:>16.2f} s    {base_line}")
    print(f"{'rows/s':24}{rows / total:>18,.0f}    {n / base_total:,.0f}")
    base_q = f"{base_queries:,} → ≈ {round(base_queries * scale):,} (extrapolated)"
    print(f"{'queries':24}{queries:>18,}    {base_q}")
    print(f"{'speed-up':24}{base_total * scale / total:>17.1f}×")
    print()
    one = errors[0] if errors else None
    named = len(errors) == 1 and one.cell == bad_cell
    print(
        f"one bad cell ({bad_cell}): rejected in {rejected_total:.2f} s "
        f"({rejected_queries} queries), {len(errors)} error(s), nothing written"
    )
    if one:
        print(f"  {one.cell} 第 {one.row} 行 {one.column}「{one.value}」: {one.reason}")
    print(f"  exactly one error naming {bad_cell}: {'yes' if named else 'NO'}")
    print(f"\nreproduce: .venv/bin/python {reproduce}")
    return 0 if named else 1


def each_database(script: str) -> int:
    """Run a benchmark once on SQLite and once on PostgreSQL, each in a process of its own (one
    Django set-up a process), with the command line it was given; the worst exit code."""
    argv, rest = sys.argv[1:], []
    while argv:
        arg = argv.pop(0)
        if arg == "--database":
            argv.pop(0)
        elif not arg.startswith("--database="):
            rest.append(arg)
    codes = []
    for database in ("sqlite", "postgres"):
        codes.append(subprocess.call([sys.executable, script, *rest, "--database", database]))
        print()
    return max(codes)

"""Run a command against PostgreSQL: `python scripts/with_postgres.py pytest ...`.

Uses TEST_POSTGRES_URL (default: the local server, postgres://postgres@127.0.0.1:5432/postgres);
pytest-django creates and drops its own test database there. When no server answers, the run is
skipped with a notice, unless REQUIRE_POSTGRES=1 (CI), where that is a failure.
"""

import os
import subprocess
import sys

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL)
    required = os.environ.get("REQUIRE_POSTGRES", "").lower() in {"1", "true", "yes"}
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {url}: {exc}".strip(), file=sys.stderr)
        if required:
            print("REQUIRE_POSTGRES=1: failing.", file=sys.stderr)
            return 1
        print("Skipping the PostgreSQL run (set REQUIRE_POSTGRES=1 to make this an error).")
        return 0
    print(f"== PostgreSQL {version} at {url}", flush=True)
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.call(sys.argv[1:], env=env)


if __name__ == "__main__":
    sys.exit(main())

"""200 people at once: the read mix under `gaoxin serve`, today's settings beside the new ones.

    .venv/bin/python bench/load.py --engine sqlite|postgresql [--sessions 200] [--seconds 60]

What it does, on loopback only:

1. builds the demo province once (`gaoxin migrate` + `gaoxin demo`) and caches it: SQLite in
   /tmp/gx-load/sqlite-demo (copied afresh for each server), PostgreSQL in the database
   gx_bench_load (DATABASE_URL of --pg-url);
2. signs in N bench users before measuring (bench-NNN, each with the role memberships of the demo's
   zone leader or staff account): a Django session each, minted in the database the way the login
   view leaves it, and half of them also an API token (the other half call the API with the
   session) — 200 password hashes would take the whole minute;
3. for each server configuration (--configs; default: today's `baseline` then `new`), starts
   `gaoxin serve` as a subprocess, warms up, then drives the read mix with N closed-loop sessions
   (no think time), each on its own HTTP/1.1 keep-alive connection (raw asyncio sockets), for the
   given seconds; prints req/s, p50/p95/p99 and errors per request kind, the server's and the
   client's own CPU;
4. stops the server (its own subprocess only).

A request is an error when it answers anything but 200 or the connection fails; a keep-alive
connection the server closed between two requests is reopened and the request sent again (counted
as a reconnect, not an error).
"""

import argparse
import asyncio
import functools
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GAOXIN = [PYTHON, "-m", "gaoxin"] if not (ROOT / ".venv/bin/gaoxin").exists() else None
CACHE = Path("/tmp/gx-load")
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/gx_bench_load"

# The read mix: (kind, weight, path, authenticates with the API token when the session has one).
MIX = (
    ("enterprises api", 25, "/api/v1/enterprises", True),
    ("enterprises page", 20, "/enterprises/", False),
    ("investment summary", 15, "/api/v1/investment/summary?period=2019", True),
    ("statistics figures", 15, "/api/v1/statistics/figures?period=2019-12", True),
    ("matters api", 10, "/api/v1/matters", True),
    ("matters page", 15, "/matters/list/", False),
)

# Server configurations. `env` is added to the server's environment; `serve` to its command line.
CONFIGS = {
    # Today's settings: 2 gthread workers × 4 threads, access log on stdout, and on SQLite a new
    # connection for every request (CONN_MAX_AGE 0).
    "baseline": {
        "serve": ["--workers", "2", "--threads", "4", "--access-log", "--keep-alive", "2"],
        "env": {"DB_CONN_MAX_AGE": "0", "DB_CONN_MAX_AGE_PG": "60"},
    },
    # What `gaoxin serve` does by default now (README, production settings).
    "new": {"serve": [], "env": {}},
    # Variants, to compare one setting at a time (--configs baseline,persistent,…).
    "persistent": {"serve": ["--workers", "2", "--threads", "4", "--access-log"], "env": {}},
    "nolog": {"serve": ["--workers", "2", "--threads", "4", "--no-access-log"], "env": {}},
    "4x2": {"serve": ["--workers", "4", "--threads", "2"], "env": {}},
    "2x8": {"serve": ["--workers", "2", "--threads", "8"], "env": {}},
    "6x1": {"serve": ["--workers", "6", "--threads", "1"], "env": {}},
}


def gaoxin_cmd(*args) -> list[str]:
    return [*(GAOXIN or [str(ROOT / ".venv/bin/gaoxin")]), *args]


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kwargs)


# --- the database -------------------------------------------------------------------------------


def base_env(engine: str, var: Path, pg_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env["GAOXIN_VAR"] = str(var)
    if engine == "postgresql":
        env["DATABASE_URL"] = pg_url
    return env


def build_demo(engine: str, pg_url: str) -> Path:
    """The demo province, built once; returns the template var/ (SQLite) or a var/ (PostgreSQL)."""
    template = CACHE / f"{engine}-demo"
    if (template / "built").exists():
        return template
    shutil.rmtree(template, ignore_errors=True)
    template.mkdir(parents=True)
    env = base_env(engine, template, pg_url)
    if engine == "postgresql":
        name = pg_url.rsplit("/", 1)[1]
        admin = pg_url.rsplit("/", 1)[0] + "/postgres"
        run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], env)
        run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], env)
    print(f"building the demo province ({engine}) once into {template} …", flush=True)
    run(gaoxin_cmd("migrate", "-v0"), env)
    run(gaoxin_cmd("demo"), env, stdout=subprocess.DEVNULL)
    run(gaoxin_cmd("collectstatic", "--noinput", "-v0"), env)
    (template / "built").write_text("1")
    return template


MINT = """
import json, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from gaoxin.core.models import ApiToken, Membership, User

n = int(sys.argv[1])
models = [list(User.objects.get(username=u).memberships.all()) for u in ("leader", "staff")]
out = []
with transaction.atomic():
    for i in range(n):
        user, created = User.objects.get_or_create(
            username=f"bench-{i:03d}", defaults={"full_name": f"压测{i:03d}"})
        if created:
            user.set_unusable_password()
            user.password_changed_at = timezone.now()
            user.save()
            for m in models[i % 2]:
                m.pk = None
                m.user = user
                m.save()
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        token = ApiToken.issue(user)[1] if i % 2 else None
        out.append({"session": s.session_key, "token": token})
print(json.dumps(out))
"""


def sign_in(env: dict, sessions: int) -> list[dict]:
    done = run(gaoxin_cmd("shell", "-c", MINT.replace("sys.argv[1]", str(sessions))), env,
               capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append((int(entry.name), fields))
    total, todo = 0.0, [pid]
    for p in todo:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            pass
        todo.extend(c for c, _ in children.get(p, ()))
    return total


def start_server(config: dict, env: dict, port: int) -> subprocess.Popen:
    env = {**env, **config["env"]}
    if "DATABASE_URL" in env and "DB_CONN_MAX_AGE_PG" in env:
        env["DB_CONN_MAX_AGE"] = env["DB_CONN_MAX_AGE_PG"]
    log = open(Path(env["GAOXIN_VAR"]) / f"serve-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        gaoxin_cmd("serve", "--host", "127.0.0.1", "--port", str(port), *config["serve"]),
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gaoxin serve did not answer on port {port}; see {log.name}")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- the client ------------------------------------------------------------------------------


class Closed(Exception):
    """The server closed a keep-alive connection before answering."""


class Connection:
    def __init__(self, port: int, session: dict):
        self.port = port
        self.reader = self.writer = None
        self.cookie = f"sessionid={session['session']}".encode()
        self.token = session["token"]

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None

    def request(self, path: str, api: bool) -> bytes:
        auth = (
            b"Authorization: Bearer " + self.token.encode()
            if api and self.token
            else b"Cookie: " + self.cookie
        )
        return b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n\r\n" % (path.encode(), auth)

    async def get(self, path: str, api: bool) -> int:
        for attempt in (0, 1):
            fresh = self.writer is None
            if fresh:
                await self.open()
            try:
                self.writer.write(self.request(path, api))
                return await self._answer()
            except (Closed, ConnectionError):
                self.close()
                if fresh or attempt:
                    raise
                self.reconnects += 1
        raise AssertionError("unreachable")

    reconnects = 0

    async def _answer(self) -> int:
        head = await self.reader.readuntil(b"\r\n\r\n") if self.reader else b""
        if not head:
            raise Closed()
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status


async def _alone(port, session, repeat) -> dict:
    """One user alone: each kind `repeat` times in a row on one connection; p50 per kind."""
    conn = Connection(port, session)
    p50 = {}
    for kind, _w, path, api in MIX:
        times = []
        for _ in range(repeat + 1):  # the first one warms up
            started = time.perf_counter()
            status = await conn.get(path, api)
            times.append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"{kind}: {path} answered {status} to one user alone")
        p50[kind] = percentile(times[1:], 50)
    conn.close()
    return p50


async def _drive(port, sessions, seconds, warmup, seed, server_cpu, alone_repeat) -> dict:
    kinds = [k for k, *_ in MIX]
    results = {k: [] for k in kinds}
    errors = {k: 0 for k in kinds}
    statuses = {}
    conns = [Connection(port, s) for s in sessions]
    state = {"measuring": False, "stop": False}

    async def session(conn, rng):
        while not state["stop"]:
            kind, _w, path, api = rng.choices(MIX, weights=[m[1] for m in MIX])[0]
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(conn.get(path, api), 30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, Closed) as exc:
                conn.close()
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            if state["measuring"] and not state["stop"]:
                if status == 200:
                    results[kind].append(elapsed)
                else:
                    errors[kind] += 1
                    statuses[f"{kind}: {status}"] = statuses.get(f"{kind}: {status}", 0) + 1

    alone = await _alone(port, sessions[0], repeat=alone_repeat)
    tasks = [asyncio.create_task(session(c, random.Random(seed + i))) for i, c in enumerate(conns)]
    await asyncio.sleep(warmup)
    state["measuring"] = True
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    server0 = server_cpu()
    t0 = time.perf_counter()
    await asyncio.sleep(seconds)
    state["stop"] = True
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    server1 = server_cpu()
    await asyncio.gather(*tasks, return_exceptions=True)
    for c in conns:
        c.close()
    client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {
        "results": results,
        "errors": errors,
        "statuses": statuses,
        "wall": wall,
        "client_cpu": client_cpu,
        "server_cpu": server1 - server0,
        "alone": alone,
        "reconnects": sum(c.reconnects for c in conns),
    }


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def answered(run_: dict) -> int:
    return sum(len(t) for t in run_["results"].values()) + sum(run_["errors"].values())


def summarise(run_: dict) -> dict:
    rows = {}
    every = []
    for kind, times in run_["results"].items():
        every += times
        rows[kind] = (len(times) / run_["wall"], *(percentile(times, p) for p in (50, 95, 99)),
                      run_["errors"][kind])  # fmt: skip
    errors = sum(run_["errors"].values())
    rows["all"] = (len(every) / run_["wall"], *(percentile(every, p) for p in (50, 95, 99)), errors)
    return rows


def print_side_by_side(names, summaries, extras):
    for name in names:
        alone = " / ".join(f"{k} {extras[name]['alone'][k] * 1000:.0f}" for k, *_ in MIX)
        print(f"one user alone, p50 ms, {name}: {alone}")
    head = f"{'':20}" + "".join(f"{name:>40}" for name in names)
    print(head)
    sub = f"{'':20}" + "".join(
        f"{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}" for _ in names
    )
    print(sub)
    for kind in [k for k, *_ in MIX] + ["all"]:
        line = f"{kind:20}"
        for name in names:
            rps, p50, p95, p99, err = summaries[name][kind]
            line += f"{rps:8.1f}{p50 * 1000:8.0f}{p95 * 1000:8.0f}{p99 * 1000:8.0f}{err:8d}"
        print(line)
    for label in ("server CPU", "CPU ms/request", "client CPU", "reconnects", "server"):
        print(f"{label:20}" + "".join(f"{extras[name][label]:>40}" for name in names))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--configs", default="baseline,new", help=f"of {', '.join(CONFIGS)}")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--alone", type=int, default=10, help="one user's requests of each kind")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 1000 or not 0 < args.seconds <= 600:
        parser.error("1–1000 sessions, at most 600 seconds")
    names = [n.strip() for n in args.configs.split(",") if n.strip()]
    for name in names:
        if name not in CONFIGS:
            parser.error(f"unknown configuration {name!r}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))

    template = build_demo(args.engine, args.pg_url)
    load_before = os.getloadavg()[0]
    summaries, extras = {}, {}
    with tempfile.TemporaryDirectory(prefix="gx-load-") as tmp:
        for name in names:
            var = Path(tmp) / name
            if args.engine == "sqlite":
                shutil.copytree(template, var)
            else:
                var.mkdir()
                shutil.copytree(template / "static", var / "static")
                shutil.copy(template / "secret_key", var / "secret_key")
            env = base_env(args.engine, var, args.pg_url)
            sessions = sign_in(env, args.sessions)
            port = free_port()
            server = start_server(CONFIGS[name], env, port)
            try:
                run_ = asyncio.run(
                    _drive(port, sessions, args.seconds, args.warmup, args.seed,
                           functools.partial(process_tree_cpu, server.pid), args.alone)
                )  # fmt: skip
            finally:
                stop_server(server)
            summaries[name] = summarise(run_)
            cmd = " ".join(CONFIGS[name]["serve"]) or "(defaults)"
            extras[name] = {
                "alone": run_["alone"],
                "server CPU": f"{run_['server_cpu'] / run_['wall']:.2f} cores",
                # The robust figure on a shared machine: the server's CPU time per answer.
                "CPU ms/request": f"{run_['server_cpu'] * 1000 / max(1, answered(run_)):.1f}",
                "client CPU": f"{run_['client_cpu'] / run_['wall']:.2f} cores",
                "reconnects": str(run_["reconnects"]),
                "server": f"gaoxin serve {cmd}"[:38],
            }
            for status, count in sorted(run_["statuses"].items()):
                print(f"  {name}: {count} × {status}")
            print(f"{name}: done ({summaries[name]['all'][0]:.1f} req/s)", flush=True)
    print()
    print(
        f"{args.engine}, {args.sessions} sessions × {args.seconds:g} s, {os.cpu_count()} CPUs, "
        f"load average at start: {load_before:.1f}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print_side_by_side(names, summaries, extras)
    print(
        f"\nreproduce: .venv/bin/python bench/load.py --engine {args.engine} "
        f"--sessions {args.sessions} --seconds {args.seconds:g}"
    )
    return 1 if any(s["all"][4] for s in summaries.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

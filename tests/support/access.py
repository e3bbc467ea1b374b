"""The access matrix's parts: what an expectation says, the world it runs in, and where the
expectations live (tests/test_access_matrix.py runs them).

Each module keeps its expectations beside its tests, in `tests/<app label>/access.py`:

    PAGES = {url name: Check(...)}          every URL of the module (named, else by its route)
    API = {(method, path): Check(...)}      every operation of the module's API routers
    def build(w): ...                       the objects those URLs need, added with w.add()

A `Check` gives the status each role gets (and anonymous), for one request; a URL with an
object is tried on named objects (an own one, and one the role may not reach: 404). A write is
checked again after the request: a refused write changed nothing (no table's row count, no row of
the object, no extra state), and an allowed one changed something.

A new module (an installed app under src/gaoxin with URLs) adds its own access.py; until it does,
and until every URL and operation it serves has an entry, the matrix fails and says which.
"""

import importlib
import importlib.util
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import member
from tests.support.world import ROLES, build_world

ANONYMOUS = "anonymous"
EVERYONE = frozenset(ROLES)
# A partner account (core.roles.PARTNER): zone A's power company. It reaches only the modules
# that declare partner_access; an expectation that does not name it gets the door's 404 on every
# target (`collected`), so only those modules and core's open pages say more.
PARTNERS = ("power",)
DOOR = 404
ALL = (*ROLES, *PARTNERS, ANONYMOUS)
ZONE_ROLES = ("zone_admin", "leader", "staff", "enterprise")  # each sees zone A at most
WRITES = {"post", "put", "patch", "delete"}
TESTS = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Check:
    """One URL's (or one API operation's) expectation.

    expect: role (and "anonymous") → status; or role → {target: status} for a URL with
        arguments, tried once per target (a key of the world's objects, or a name that `args`
        understands).
    method: "get", "post", ... (the API: the operation's own).
    args: ctx → the URL's arguments (default: the target object's pk).
    data: the form data or JSON body: a dict, or ctx → dict.
    query: the query string (a dict, or ctx → dict).
    multipart: the API body is a multipart form (an upload), not JSON.
    setup: ctx → anything, run in the test before the requests (ctx.setup holds it): what is not
        a database row (an import job's files).
    state: ctx → anything that a write changes besides row counts and the target's row.
    changes: an allowed write changes the state (False: the request is a no-op by design, e.g.
        an empty form answered with a message, so only the status tells).
    refused: roles, or (role, target) pairs, whose write is refused although the status is not
        an error (a redirect back with a message): the state must not change.
    login_redirect: anonymous's 302 goes to the login page (False for public redirects).
    path: ctx → the path, for routes without a name.
    sees: role → exactly the world's objects the answers list (over all its targets), read
        from each answer by `listed`; roles not named are not looked at.
    why: where the rule is written or tested in depth.
    """

    expect: Mapping[str, Any]
    method: str = "get"
    args: Callable | None = None
    data: Any = None
    query: Any = None
    multipart: bool = False
    setup: Callable | None = None
    state: Callable | None = None
    changes: bool = True
    refused: frozenset = frozenset()
    login_redirect: bool = True
    path: Callable | None = None
    sees: Mapping[str, set] | None = None
    listed: Callable | None = None
    why: str = ""

    def targets(self, role) -> list[tuple[str | None, int]]:
        value = self.expect[role]
        return list(value.items()) if isinstance(value, Mapping) else [(None, value)]

    def is_write(self) -> bool:
        return self.method in WRITES


# --- expectations, written short --------------------------------------------------------------


def page(roles=EVERYONE, ok=200, other=404, anonymous=302, **statuses) -> dict:
    """A page without an object: `ok` for `roles`, `other` for the rest, anonymous to login;
    `statuses` (role=status) overrides single roles."""
    expect = {r: (ok if r in roles else other) for r in ROLES}
    return {**expect, ANONYMOUS: anonymous, **statuses}


def api(roles=EVERYONE, ok=200, other=403, anonymous=401, **statuses) -> dict:
    """An API operation without an object: anonymous gets 401."""
    return page(roles, ok, other, anonymous=anonymous, **statuses)


def scoped(allowed, targets, ok=200, other=404, anonymous=302, visible=None, seen=403) -> dict:
    """A URL with an object: role → {target: status}. `allowed` maps role → the targets it may
    act on (`ok`); the rest answer `other`, except targets in `visible[role]` (seen but not
    changeable), which answer `seen` when given (the API's 403)."""
    expect = {}
    for role in (*ROLES, *(p for p in PARTNERS if p in allowed or p in (visible or {}))):
        row = {}
        for t in targets:
            if t in allowed.get(role, ()):
                row[t] = ok
            elif visible is not None and t in visible.get(role, ()):
                row[t] = seen
            else:
                row[t] = other
        expect[role] = row
    expect[ANONYMOUS] = {t: anonymous for t in targets}
    return expect


def api_scoped(allowed, targets, ok=200, visible=None) -> dict:
    """An API operation on an object: `ok` where allowed, 403 where only seen, 404 elsewhere."""
    return scoped(allowed, targets, ok=ok, other=404, anonymous=401, visible=visible)


def refused_by_rule(expect, ok, **by_target) -> dict:
    """`expect` where those allowed on a target (`ok`) get another status there instead: a rule
    of the business refuses the request on that object (e.g. funds before signing: 422)."""
    return {
        role: (
            {t: (by_target.get(t, s) if s == ok else s) for t, s in row.items()}
            if role != ANONYMOUS
            else row
        )
        for role, row in expect.items()
    }


def same(targets, **statuses) -> dict:
    """role → {target: status}, the same status for every target: statuses by role."""
    return {role: {t: status for t in targets} for role, status in statuses.items()}


def roles_with(allowed: dict, *roles, targets=None) -> dict:
    """`allowed` (role → targets) limited to `roles`: the others may act on none."""
    return {r: (set(targets or allowed[r]) if r in roles else set()) for r in ROLES}


def listed_items(model):
    """`listed` for an API list answer: its items' ids, as the names of the world's `model`
    objects (an id the world has no name for shows as "?<id>", so it cannot pass unseen)."""

    def listed(response, ctx) -> set[str]:
        names = {pk: key for key, (m, pk) in ctx.w.objects.items() if m is model}
        return {names.get(item["id"], f"?{item['id']}") for item in response.json()["items"]}

    return listed


# --- the world the checks run in --------------------------------------------------------------


class World(SimpleNamespace):
    """build_world()'s namespace, plus the objects the modules' builders add by name."""

    def add(self, key: str, obj):
        if key in self.objects:
            raise ValueError(f"world object {key!r} added twice")
        self.objects[key] = (type(obj), obj.pk)
        setattr(self, key, obj)
        return obj

    def has(self, key) -> bool:
        return key in self.objects

    def get(self, key):
        """The object, fresh from the database (a test may have changed it)."""
        model, pk = self.objects[key]
        return model._base_manager.get(pk=pk)

    def pk(self, key) -> int:
        return self.objects[key][1]

    def row(self, key) -> dict | None:
        model, pk = self.objects[key]
        return model._base_manager.filter(pk=pk).values().first()


@dataclass
class Ctx:
    """What a check's callables receive."""

    w: World
    role: str
    target: str | None
    client: Any
    setup: Any = None
    extra: dict = field(default_factory=dict)

    @property
    def user(self):
        return self.w.users.get(self.role)

    @property
    def obj(self):
        return self.w.get(self.target) if self.target and self.w.has(self.target) else None


def value(spec, ctx):
    return spec(ctx) if callable(spec) else spec


# --- where the expectations live ----------------------------------------------------------------


def module_labels() -> list[str]:
    """Every installed app of the product (src/gaoxin) that has URLs, in INSTALLED_APPS order."""
    labels = []
    for config in apps.get_app_configs():
        if config.name.startswith("gaoxin.") and importlib.util.find_spec(f"{config.name}.urls"):
            labels.append(config.label)
    return labels


def access_file(label: str) -> Path:
    return TESTS / label / "access.py"


def access_modules() -> dict:
    """label → its tests/<label>/access.py module (those that exist)."""
    found = {}
    for label in module_labels():
        if access_file(label).is_file():
            found[label] = importlib.import_module(f"tests.{label}.access")
    return found


def collected(kind: str) -> dict:
    """Every module's PAGES or API, with the label of the file each comes from; a partner the
    expectation does not name gets the door's 404 on every target."""
    out = {}
    for label, module in access_modules().items():
        for key, check in getattr(module, kind, {}).items():
            if key in out:
                raise ValueError(f"{key} is expected in both {out[key][0]} and {label}")
            at_door = with_partners_at_the_door(check)
            if at_door is not check:
                DOOR_DEFAULTED.add((kind, key))
            out[key] = (label, at_door)
    return out


# (kind, key) of the expectations whose partner answer is the door's default 404: the matrix
# asks them in one sweep (test_a_partner_meets_the_door_everywhere_else), not a test each.
DOOR_DEFAULTED: set = set()


def with_partners_at_the_door(check: Check) -> Check:
    missing = [p for p in PARTNERS if p not in check.expect]
    if not missing:
        return check
    targets = [t for t, _status in check.targets(ROLES[0])]
    door = DOOR if targets == [None] else {t: DOOR for t in targets}
    return replace(check, expect={**check.expect, **{p: door for p in missing}})


# --- what the product serves ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the URL name with its namespaces, or the route itself when it has no name
    route: str
    module: str  # the view's module


def _walk(resolver, prefix="", ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            namespace = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p, prefix + str(p.pattern), namespace)
        elif isinstance(p, URLPattern):
            callback = getattr(p.callback, "view_class", p.callback)
            module = getattr(callback, "__module__", "") or ""
            route = prefix + str(p.pattern)
            yield Route(ns + p.name if p.name else route, route, module)


@cache
def page_routes() -> tuple[Route, ...]:
    """Every URL pattern but the API's operations (those come from the OpenAPI schema)."""
    routes = tuple(r for r in _walk(get_resolver()) if not r.module.startswith("ninja.operation"))
    keys = [r.key for r in routes]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"URL names used twice: {sorted(duplicates)}")
    return routes


@cache
def api_operations() -> dict:
    """(method, path) → the operationId, from the API's OpenAPI schema."""
    from gaoxin.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    return {
        (method, path): op.get("operationId", "")
        for path, item in schema["paths"].items()
        for method, op in item.items()
    }


def owner_of_view(module: str) -> str:
    """The app label whose access.py lists a URL: its view's app; framework views go to core."""
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "gaoxin" and parts[1] in module_labels():
        return parts[1]
    return "core"


def owner_of_operation(operation_id: str) -> str:
    for label in module_labels():
        if operation_id.startswith(f"gaoxin_{label}_"):
            return label
    return "core"


# --- the world, once per test module ----------------------------------------------------------


def build_access_world(media_root) -> World:
    world = World(**vars(build_world()), objects={}, media_root=media_root)
    for key in ("zone_a", "zone_b", "zone_c", "dept_a", "tag_a", "a1", "a2", "b1", "c1"):
        world.objects[key] = (type(getattr(world, key)), getattr(world, key).pk)
    world.users["power"] = world.power = member("partner", username="power", zone=world.zone_a)
    for role, user in world.users.items():
        world.objects[f"user:{role}"] = (type(user), user.pk)
    for module in access_modules().values():
        build = getattr(module, "build", None)
        if build is not None:
            build(world)
    # A signed-in session per role, made once: a test sends its cookie (force_login per test
    # costs a session row, a last-login update and the login signals every time).
    world.sessions = {}
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return world


@pytest.fixture(scope="module")
def access_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world with every module's objects, built once per test module inside a transaction
    that is rolled back afterwards; each test runs in its own savepoint on top of it."""
    media = tmp_path_factory.mktemp("access-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        world = build_access_world(media)
        if connection.features.can_defer_constraint_checks:
            connection.check_constraints()
        yield world
        transaction.set_rollback(True)


FAST_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


# --- a write's footprint ----------------------------------------------------------------------

UNCOUNTED = {"sessions.session"}  # signing in writes one; the product's writes do not


def counted_models() -> list:
    return [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in UNCOUNTED
    ]


@cache
def _count_sql() -> tuple[list[str], str]:
    models = counted_models()
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    return [m._meta.label for m in models], f"SELECT {counts}"


# The raw PostgreSQL connections that hold the count statement prepared: planning its 80
# sub-selects took 4 of its 5 ms, and the matrix counts about 2,600 times a run. A prepared
# statement outlives rollbacks and is planned anew by the server when a table changes.
_PREPARED = weakref.WeakSet()


def table_counts() -> dict:
    """Every table's row count, in one query."""
    labels, sql = _count_sql()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql)
        else:
            if connection.connection not in _PREPARED:
                cursor.execute(f"PREPARE gaoxin_table_counts AS {sql}")
                _PREPARED.add(connection.connection)
            cursor.execute("EXECUTE gaoxin_table_counts")
        return dict(zip(labels, cursor.fetchone(), strict=True))


def footprint(check: Check, ctx: Ctx):
    """Every table's row count, the target's row and the check's own state."""
    row = ctx.w.row(ctx.target) if ctx.target and ctx.w.has(ctx.target) else None
    extra = check.state(ctx) if check.state else None
    return table_counts(), row, extra


def difference(before, after) -> str:
    counts = [
        f"{label}: {before[0][label]} → {after[0][label]}"
        for label in before[0]
        if before[0][label] != after[0][label]
    ]
    parts = counts
    if before[1] != after[1]:
        changed = [
            k for k in before[1] or {} if (before[1] or {}).get(k) != (after[1] or {}).get(k)
        ]
        parts.append(f"target row fields {changed}")
    if before[2] != after[2]:
        parts.append(f"state {before[2]!r} → {after[2]!r}")
    return "; ".join(parts)

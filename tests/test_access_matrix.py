"""Every URL and every API operation × every role, and anonymous: exactly the status each gets.

Generated from the URL resolver and from the API's OpenAPI schema against the expectations each
module keeps beside its tests, in tests/<app label>/access.py (tests/support/access.py says how
they read). There is no exemption list: a URL or an operation without an expectation fails here
with the file it belongs in. A URL with an object is tried on the role's own object and on one it
may not reach (404); every page it renders holds no code the Content-Security-Policy would
refuse (tests/support/csp.py). A refused write changes nothing (no row count, not the object's
row, not the check's own state); an allowed one changes something.

It runs once (`engine`, tests/conftest.py): the pages on SQLite, the API operations on PostgreSQL
(who may reach what is decided above the ORM); the PostgreSQL run keeps the engine-specific
tests of each module. A partner account that an expectation does not name meets the door's 404
everywhere, asked in one sweep.
"""

import json
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.urls import resolve, reverse

from tests.support.access import (
    ALL,
    ANONYMOUS,
    DOOR_DEFAULTED,
    PARTNERS,
    ZONE_ROLES,
    Ctx,
    access_file,
    api_operations,
    collected,
    difference,
    footprint,
    module_labels,
    owner_of_operation,
    owner_of_view,
    page_routes,
    value,
)
from tests.support.csp import inline_code

pytestmark = pytest.mark.engine("sqlite")

PAGES = collected("PAGES")  # first: DOOR_DEFAULTED fills as they are collected
ROUTES = {r.key: r.route for r in page_routes()}
API = collected("API")


def _cases(checks, kind):
    def name(key):
        return key if isinstance(key, str) else f"{key[0].upper()} {key[1]}"

    return [
        pytest.param(key, role, id=f"{name(key)}|{role}")
        for key in sorted(checks)
        for role in ALL
        if (kind, key, role) not in DOOR_SWEEP
    ]


DOOR_SWEEP = {(kind, key, partner) for kind, key in DOOR_DEFAULTED for partner in PARTNERS}


# --- the matrix is complete -------------------------------------------------------------------


def test_every_module_keeps_its_expectations():
    missing = [
        f"tests/{label}/access.py" for label in module_labels() if not access_file(label).is_file()
    ]
    assert not missing, f"modules with URLs but no access expectations: create {missing}"


def test_every_url_has_an_expectation():
    missing = [
        f"{r.key!r} (route {r.route!r}, view {r.module}): "
        f"add it to PAGES in tests/{owner_of_view(r.module)}/access.py"
        for r in page_routes()
        if r.key not in PAGES
    ]
    assert not missing, "URLs without an access expectation:\n" + "\n".join(missing)


def test_every_expectation_has_a_url():
    served = {r.key for r in page_routes()}
    stale = [f"{key!r} in tests/{label}/access.py" for key, (label, _c) in PAGES.items()]
    stale = [s for s, key in zip(stale, PAGES, strict=True) if key not in served]
    assert not stale, "expectations for URLs that do not exist:\n" + "\n".join(stale)


def test_every_api_operation_has_an_expectation():
    missing = [
        f"{method.upper()} {path}: add ({method!r}, {path!r}) to API in "
        f"tests/{owner_of_operation(op_id)}/access.py"
        for (method, path), op_id in sorted(api_operations().items())
        if (method, path) not in API
    ]
    assert not missing, "API operations without an access expectation:\n" + "\n".join(missing)


def test_every_api_expectation_has_an_operation():
    served = api_operations()
    stale = [f"{key} in tests/{label}/access.py" for key, (label, _c) in API.items()]
    stale = [s for s, key in zip(stale, API, strict=True) if key not in served]
    assert not stale, "expectations for operations that do not exist:\n" + "\n".join(stale)


@pytest.mark.parametrize("kind", ["PAGES", "API"])
def test_every_expectation_is_whole(kind):
    """Every role and anonymous have a status; a URL with arguments is tried for every role on
    the same targets, one of which each zone role may not reach (404)."""
    problems = []
    for key, (label, check) in collected(kind).items():
        where = f"{key} (tests/{label}/access.py)"
        if set(check.expect) != set(ALL):
            problems.append(f"{where}: roles {sorted(set(ALL) ^ set(check.expect))}")
            continue
        if kind == "API" and check.method != key[0]:
            problems.append(f"{where}: method {check.method!r}")
        targets = {role: [t for t, _s in check.targets(role)] for role in ALL}
        if len({tuple(sorted(map(str, t))) for t in targets.values()}) != 1:
            problems.append(f"{where}: not the same targets for every role: {targets}")
            continue
        if takes_arguments(kind, key):
            for role in ZONE_ROLES:
                statuses = set(dict(check.targets(role)).values())
                closed = len(statuses) == 1 and not statuses & {200, 201, 204}
                if 404 not in statuses and not closed:
                    problems.append(f"{where}: no target outside {role}'s reach (404)")
    assert not problems, "\n".join(problems)


def takes_arguments(kind, key) -> bool:
    """A URL with arguments in its path (not one whose only input is the form it posts)."""
    if kind == "API":
        return "{" in key[1]
    return "<" in ROUTES.get(key, "") or "(?P" in ROUTES.get(key, "")


# --- the matrix -------------------------------------------------------------------------------


def _args(check, ctx) -> list:
    if check.args is not None:
        return list(check.args(ctx))
    return [ctx.w.pk(ctx.target)] if ctx.target else []


def _page_path(key, check, ctx) -> str:
    if check.path is None:
        return reverse(key, args=_args(check, ctx))
    path = check.path(ctx)
    route = resolve(path).route
    assert route.replace("^", "") == ROUTES[key].replace("^", ""), f"{path} is {route}, not {key}"
    return path


def _api_path(key, check, ctx) -> str:
    path = key[1]
    for arg in _args(check, ctx):
        start, end = path.index("{"), path.index("}")
        path = f"{path[:start]}{arg}{path[end + 1 :]}"
    return path


def _send(client, check, ctx, path, *, api):
    query = value(check.query, ctx)
    if query:
        path = f"{path}?{urlencode(query, doseq=True)}"
    data = value(check.data, ctx)
    send = getattr(client, check.method)
    if check.method == "get":
        return send(path, data or {})
    if data is None:
        return send(path)
    if api and not check.multipart:
        return send(path, json.dumps(data), content_type="application/json")
    return send(path, data)


def _refused(check, role, target, status) -> bool:
    return role == ANONYMOUS or status >= 400 or bool({role, (role, target)} & check.refused)


def _shown(response) -> str:
    if response.status_code in (301, 302, 303):
        return f" → {response['Location']}"
    if response.get("Content-Type", "").startswith("application/json"):
        return f" {response.content[:300].decode(errors='replace')}"
    return ""


def _run(key, role, check, w, client, settings, path_for, *, api=False):
    settings.MEDIA_ROOT = w.media_root
    if role != ANONYMOUS:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = w.sessions[role]
    ctx = Ctx(w, role, None, client)
    if check.setup is not None:
        ctx.setup = check.setup(ctx)
    login = resolve_url(django_settings.LOGIN_URL)
    seen = set()
    for target, expected in check.targets(role):
        ctx.target = target
        path = path_for(key, check, ctx)
        where = f"{check.method.upper()} {path} ({key}, target {target}) as {role}"
        before = footprint(check, ctx) if check.is_write() else None
        response = _send(client, check, ctx, path, api=api)
        status = response.status_code
        assert status == expected, f"{where}: {status}, expected {expected}{_shown(response)}"
        if status == 200 and response.get("Content-Type", "").startswith("text/html"):
            assert inline_code(response.content.decode()) == [], f"{where}: inline code"
        if role == ANONYMOUS and status == 302 and check.login_redirect:
            assert response["Location"].startswith(login), f"{where}: {_shown(response)}"
        if check.sees and role in check.sees and status == 200:
            seen |= check.listed(response, ctx)
        if before is None:
            continue
        after = footprint(check, ctx)
        if _refused(check, role, target, status):
            assert after == before, f"{where} was refused but changed {difference(before, after)}"
        elif check.changes:
            assert after != before, f"{where} answered {status} but changed nothing"
    if check.sees and role in check.sees:
        assert seen == set(check.sees[role]), f"{key} as {role} lists {sorted(seen)}"


@pytest.mark.parametrize(("key", "role"), _cases(PAGES, "PAGES"))
def test_page(key, role, db, access_world, client, settings):
    _run(key, role, PAGES[key][1], access_world, client, settings, _page_path)


# The API's half runs in the PostgreSQL run, to share the sweeps between the two runs of `make
# test` (each within its 10 minutes); who may call what is decided above the ORM either way.
@pytest.mark.engine("postgresql")
@pytest.mark.parametrize(("key", "role"), _cases(API, "API"))
def test_api(key, role, db, access_world, client, settings):
    _run(key, role, API[key][1], access_world, client, settings, _api_path, api=True)


@pytest.mark.parametrize("kind", ["PAGES", "API"])
def test_a_partner_meets_the_door_everywhere_else(kind, db, access_world, client, settings):
    """Every URL and operation that does not name the partner answers it 404 (core.partners) and,
    for a write, changes nothing: one sweep, as each would be a test of its own."""
    checks, path_for = (PAGES, _page_path) if kind == "PAGES" else (API, _api_path)
    keys = sorted(key for k, key in DOOR_DEFAULTED if k == kind)
    assert keys, "the door is asked somewhere"
    for key in keys:
        for partner in PARTNERS:
            check = checks[key][1]
            _run(key, partner, check, access_world, client, settings, path_for, api=kind == "API")

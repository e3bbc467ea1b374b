"""The module contract (core.modules): the platform is assembled from the modules' declarations."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gaoxin.core import modules
from gaoxin.core.checks import module_declarations
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.roles import ENTERPRISE_USER, GOVERNMENT, ZONE_STAFF

pytestmark = pytest.mark.django_db


# The floors every later module stands on, in their order (a new module adds itself after them).
GROUND = ["enterprises", "investment", "statistics", "matters"]


def test_the_installed_modules_in_menu_order():
    labels = [m.label for m in modules.installed()]
    assert labels[: len(GROUND)] == GROUND
    assert "demo" not in labels  # the demo stands above the modules, not among them
    orders = [m.menu.order for m in modules.installed() if m.menu]
    assert orders == sorted(orders)  # INSTALLED_APPS lists them as the menu shows them


def test_every_declaration_resolves():
    """Every dotted path imports and every template exists (the system check core.E002)."""
    assert module_declarations() == []
    assert not [e for e in run_checks() if e.id == "core.E002"]


def test_a_broken_declaration_is_a_system_error(monkeypatch):
    matters = modules.get("matters")
    monkeypatch.setattr(matters, "daily_job", "gaoxin.matters.jobs.no_such_job")
    monkeypatch.setattr(
        matters, "home_cards", (Block("matters/no_such_card.html", "gaoxin.matters.jobs.daily"),)
    )
    messages = [e.msg for e in module_declarations()]
    assert any("gaoxin.matters.jobs.no_such_job" in m for m in messages)
    assert any("matters/no_such_card.html" in m for m in messages)


def test_two_modules_cannot_claim_one_import_kind(monkeypatch):
    monkeypatch.setattr(
        modules.get("matters"),
        "import_targets",
        {"returns": "gaoxin.statistics.importers.RETURNS_TARGET"},
    )
    assert any("returns" in e.msg and "statistics" in e.msg for e in module_declarations())


def test_menu_per_role():
    officer = {(label, url) for label, _item, url in modules.menu_for({ZONE_STAFF})}
    assert officer >= {
        ("enterprises", "enterprises:list"),
        ("investment", "investment:cockpit"),
        ("statistics", "statistics:cockpit"),
        ("matters", "matters:cockpit"),
    }
    own = {(label, url) for label, _item, url in modules.menu_for({ENTERPRISE_USER})}
    assert own >= {
        ("enterprises", "enterprises:list"),
        ("investment", "investment:projects"),
        ("statistics", "statistics:my"),
        ("matters", "matters:list"),
    }
    # Every module's entry is shown to the roles it names, and the page it opens for them exists.
    for module in modules.installed():
        if module.menu:
            for role in module.menu.roles or {ZONE_STAFF, ENTERPRISE_USER}:
                reverse(module.menu.url_name_for({role}))


def test_a_menu_item_only_for_some_roles():
    item = MenuItem("x", "bi-x", "home", roles=GOVERNMENT)
    assert item.url_name_for({ENTERPRISE_USER}) is None
    assert item.url_name_for({ZONE_STAFF}) == "home"
    assert item.url_name_for({ZONE_STAFF, ENTERPRISE_USER}) == "home"


def _m(label, after=()):
    return SimpleNamespace(label=label, demo_after=after)


def test_dependency_order():
    order = modules.in_dependency_order([_m("c", ("b",)), _m("a"), _m("b", ("a",))])
    assert [m.label for m in order] == ["a", "b", "c"]
    order = [m.label for m in modules.in_dependency_order(modules.installed())]
    assert order[0] == "enterprises" and sorted(order) == sorted(
        m.label for m in modules.installed()
    )
    assert all(
        set(modules.get(label).demo_after) <= set(order[:i]) for i, label in enumerate(order)
    )


def test_dependency_cycles_and_unknown_modules_are_refused():
    with pytest.raises(ValueError, match="cycle"):
        modules.in_dependency_order([_m("a", ("b",)), _m("b", ("a",))])
    with pytest.raises(ValueError, match="not installed"):
        modules.in_dependency_order([_m("a", ("ghost",))])


def test_every_module_page_and_router_is_mounted():
    assert reverse("enterprises:list") == "/enterprises/"
    assert reverse("matters:cockpit").startswith("/matters/")
    from gaoxin.api import api

    prefixes = {prefix for prefix, _router in api._routers}
    for module in modules.installed():
        for prefix, _router in module.api_routers:
            assert prefix.strip("/") in {p.strip("/") for p in prefixes}


def test_import_kinds_come_from_the_modules(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import", "ghosts", str(tmp_path / "x.xlsx"), zone="ZA")
    assert ", ".join(sorted(modules.import_targets())) in str(refused.value)
    assert {"enterprises", "projects", "returns", "official"} <= set(modules.import_targets())


def test_daily_runs_every_module_job(world):
    out = StringIO()
    call_command("daily", date="2026-06-01", stdout=out)
    assert "服务闭环:提醒已发送:临期 0 件,逾期 0 件;升级督办 0 件。" in out.getvalue()


def test_daily_only_and_unknown_module(world):
    with pytest.raises(CommandError, match="没有每日任务的模块:ghost"):
        call_command("daily", only=["ghost"], stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("daily", date="2026-13-01", stdout=StringIO())


def test_one_failing_job_does_not_stop_the_others(monkeypatch, world):
    monkeypatch.setattr(modules.get("investment"), "daily_job", "gaoxin.core.clock.no_such")
    monkeypatch.setattr(
        "gaoxin.core.management.commands.daily.import_string",
        lambda path: (lambda today: 1 / 0) if path.endswith("no_such") else _real(path),
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 个模块的每日任务失败:招商引资"):
        call_command("daily", stdout=out, stderr=err)
    assert "服务闭环:提醒已发送" in out.getvalue()
    assert "招商引资:每日任务失败" in err.getvalue()


def _real(path):
    from django.utils.module_loading import import_string

    return import_string(path)


def test_home_shows_the_registry_card(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("home")).content.decode()
    assert 'id="stat-total">2<' in page  # zone_a's two enterprises
    assert 'data-chart="chart-by-tag"' in page


def test_enterprise_page_has_the_modules_panels(client, world):
    from decimal import Decimal

    from gaoxin.investment import services

    services.create_project(
        world.admin, world.zone_a, name="甲一扩产项目", investor_name="甲一电子科技有限公司",
        investor_enterprise=world.a1, planned_investment=Decimal("20000"),
        department=world.dept_a,
    )  # fmt: skip
    client.force_login(world.staff)
    page = client.get(reverse("enterprises:detail", args=[world.a1.pk])).content.decode()
    assert 'id="panel-investment"' in page and "甲一扩产项目" in page
    # A panel with nothing to show is left out.
    page = client.get(reverse("enterprises:detail", args=[world.a2.pk])).content.decode()
    assert 'id="panel-investment"' not in page


def test_the_floors_come_from_the_declarations():
    from gaoxin.core.management.commands.floors import as_ini, contracts

    by_id = {c["id"]: c for c in contracts()}
    modules_below = {"gaoxin.enterprises", "gaoxin.investment", "gaoxin.statistics"}
    assert modules_below | {"gaoxin.matters"} <= set(by_id["core"]["forbidden_modules"])
    assert "gaoxin.core" not in by_id["core"]["forbidden_modules"]
    assert set(by_id["enterprises"]["forbidden_modules"]) >= {
        "gaoxin.investment", "gaoxin.statistics", "gaoxin.matters",
    }  # fmt: skip
    assert "gaoxin.matters" in by_id["investment"]["forbidden_modules"]
    assert "gaoxin.statistics" in by_id["investment"]["forbidden_modules"]
    assert "gaoxin.investment" not in by_id["statistics"]["forbidden_modules"]
    assert "gaoxin.matters" in by_id["statistics"]["forbidden_modules"]
    assert "matters" not in {c for c in by_id if by_id[c]["type"] == "forbidden"} or not (
        modules_below & set(by_id["matters"]["forbidden_modules"])
    )
    assert by_id["cycles"] == {
        "id": "cycles", "name": "no import cycles", "type": "acyclic_siblings",
        "ancestors": ["gaoxin"],
    }  # fmt: skip
    assert "[importlinter:contract:core]\nname = core knows no module\ntype = forbidden" in as_ini(
        contracts()
    )


WITHOUT_MATTERS = r"""
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from gaoxin.core import modules
from gaoxin.core.models import User
from gaoxin.enterprises.models import Enterprise

call_command("check")
call_command("migrate", verbosity=0)
call_command("demo", verbosity=0)
client = Client()
client.force_login(User.objects.get(username="staff"))
home = client.get("/")
enterprise = Enterprise.objects.filter(zone__code="GJ").order_by("pk").first()
detail = client.get(f"/enterprises/{enterprise.pk}/")
schema = client.get("/api/v1/openapi.json").json()
try:
    reverse("matters:list")
    matters_url = True
except NoReverseMatch:
    matters_url = False
print(json.dumps({
    "modules": [m.label for m in modules.installed()],
    "home": home.status_code, "detail": detail.status_code,
    "menu_has_matters": "/matters/" in home.content.decode(),
    "api_has_matters": any(p.startswith("/api/v1/matters") for p in schema["paths"]),
    "api_has_statistics": any(p.startswith("/api/v1/statistics") for p in schema["paths"]),
    "matters_url": matters_url,
}))
"""


@pytest.mark.engine("sqlite")
def test_the_platform_runs_without_its_top_module(tmp_path):
    """Remove one module's line from INSTALLED_APPS: checks pass, migrations and the demo run
    (its step is skipped), and the menu, pages and API simply lack it. It runs in a subprocess
    on its own SQLite file whatever the suite's database, so once: in the SQLite run, the shorter
    of the two (`engine`, tests/conftest.py)."""
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.settings_without_matters",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'without-matters.sqlite3'}",
        "OTP_REQUIRED_ROLES": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_MATTERS], env=env, capture_output=True, text=True,
        timeout=600, cwd=os.getcwd(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {
        "modules": ["enterprises", "investment", "statistics"],
        "home": 200, "detail": 200, "menu_has_matters": False,
        "api_has_matters": False, "api_has_statistics": True, "matters_url": False,
    }  # fmt: skip

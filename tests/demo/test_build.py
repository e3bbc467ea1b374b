"""The orchestrator (gaoxin.demo.build): it runs each installed module's demo step in dependency
order, skips a module that is not installed, and assembles the command's lines and the zones'
audit records from the steps' summaries. These tests build their own demo (the registry only),
before the session demo is built."""

import io

import pytest
from django.core.management import CommandError, call_command

from gaoxin.core import modules
from gaoxin.core.models import AuditRecord, Tag, User, Zone
from gaoxin.demo import build
from gaoxin.enterprises.models import Enterprise
from gaoxin.investment.models import Project
from gaoxin.matters.models import Matter
from gaoxin.statistics.models import Return
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REGISTRY_COUNTS = {
    "部门",
    "产业链标签",
    "企业",
    "规上企业",
    "其中2019年新入规",
    "高新技术企业",
    "联系人",
    "账号",
}


def test_the_steps_run_in_dependency_order_whatever_the_installation_order(monkeypatch):
    expected = [label for label, _path in build.steps()]
    assert expected[:4] == ["enterprises", "investment", "statistics", "matters"]
    assert dict(build.steps()) == {m.label: m.demo_step for m in modules.installed()}
    installed = modules.installed()
    after = {m.label: set(m.demo_after) for m in installed}
    monkeypatch.setattr(modules, "installed", lambda: tuple(reversed(installed)))
    order = [label for label, _path in build.steps()]
    # every step after the steps it names (modules that name none of each other may swap)
    assert sorted(order) == sorted(expected)
    assert all(after[label] <= set(order[:i]) for i, label in enumerate(order))
    assert order.index("matters") > order.index("statistics") > order.index("investment")


def test_a_module_that_is_not_installed_is_skipped(monkeypatch):
    """Only the registry installed: its step runs, the others' never do; the command prints what
    ran and the audit records hold its counts only."""
    only = tuple(m for m in modules.installed() if m.label == "enterprises")
    monkeypatch.setattr(modules, "installed", lambda: only)
    out = io.StringIO()
    call_command("demo", "--seed", "3", stdout=out)

    text = out.getvalue()
    assert "  赣江高新技术产业开发区:企业 600 家(规上 165 家," in text
    assert "演示数据已载入:3 个园区,810 家企业,14 个账号,用时 " in text
    assert "招商项目" not in text and "月度报表" not in text and "代办项目" not in text
    assert Enterprise.objects.count() == 810 and User.objects.count() == 14
    assert not Project.objects.exists() and not Return.objects.exists()
    assert not Matter.objects.exists()
    assert not Tag.objects.filter(category=Tag.Category.SOURCE_CHANNEL).exists()
    records = AuditRecord.objects.filter(action="import")
    assert records.count() == Zone.objects.count() == 3
    assert all(set(r.after) == REGISTRY_COUNTS for r in records)


def test_demo_accounts_already_taken_block_the_demo():
    UserFactory(username="staff")
    UserFactory(username="admin")
    assert build.blockers() == "演示账号 admin、staff 已存在"
    with pytest.raises(build.DemoExists, match="演示账号 admin、staff 已存在"):
        build.build_demo()
    with pytest.raises(CommandError, match="演示账号 admin、staff 已存在,拒绝载入演示数据"):
        call_command("demo", stdout=io.StringIO())
    assert not Zone.objects.exists()

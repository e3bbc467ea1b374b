"""The scale check (`gaoxin scale_check`, core/scale.py): every table placed as distributed by
zone, reference or local; docs/scale.md holds its report, and no row points across zones.

When the schema changes on purpose, rewrite the report in docs/scale.md with
    UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/core/test_scale_check.py
and explain any new problem there."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gaoxin.core import scale
from gaoxin.enterprises.models import Contact
from tests.factories import EnterpriseFactory, ZoneFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale.md"
BLOCK = re.compile(r"(<!-- scale-check -->\n)(.*?)(<!-- /scale-check -->)", re.S)


def test_docs_scale_holds_the_report_of_the_installed_schema():
    text = DOC.read_text(encoding="utf-8")
    match = BLOCK.search(text)
    assert match, "docs/scale.md has no <!-- scale-check --> block"
    current = scale.report()
    if os.environ.get("UPDATE_SNAPSHOT") == "1":
        DOC.write_text(BLOCK.sub(lambda m: m[1] + current + m[3], text), encoding="utf-8")
    assert match[2] == current, (
        "The schema moved away from docs/scale.md. If intended: "
        "UPDATE_SNAPSHOT=1 pytest tests/core/test_scale_check.py, and explain new problems there"
    )


def test_tables_are_placed_by_their_zone_and_what_points_at_them():
    found = scale.tables()
    assert found["enterprises_enterprise"].kind == scale.DISTRIBUTED
    assert found["statistics_returnvalue"].kind == scale.DISTRIBUTED
    # No zone, pointed at by distributed tables: copied to every node.
    # Declared: a catalogue whose shared rows have no zone.
    for name in ("core_zone", "core_division", "core_user", "statistics_indicator"):
        assert found[name].kind == scale.REFERENCE, name
    # Nothing distributed points at them: they stay on the coordinator.
    for name in ("django_session", "axes_accessattempt", "core_apitoken"):
        assert found[name].kind == scale.LOCAL, name


def test_every_distributed_table_is_found_and_every_problem_is_one_of_the_named_kinds():
    found = scale.tables()
    zoned = {t.name for t in found.values() if t.zoned}
    declared = {t.name for t in found.values() if getattr(t.model, "placement", None)}
    assert zoned - declared == {t.name for t in found.values() if t.kind == scale.DISTRIBUTED}
    kinds = {kind for _table, kind, _detail in scale.problems(found)}
    assert kinds <= {
        "zone-nullable",
        "unique-without-zone",
        "reference-to-distributed",
        "local-to-distributed",
    }
    # Links between distributed tables only: never to a reference or local table.
    for table, _column, target in scale.colocated_links(found):
        assert found[table].kind == found[target].kind == scale.DISTRIBUTED


@pytest.mark.django_db
def test_a_row_that_points_into_another_zone_is_counted_and_fails_the_data_check(capsys):
    here, there = ZoneFactory(code="AA"), ZoneFactory(code="BB")
    theirs = EnterpriseFactory(zone=there)
    call_command("scale_check", "--data")
    assert "Every row points within its own zone." in capsys.readouterr().out

    # Written past the services, as only a bug or a hand-made SQL statement could.
    Contact._base_manager.create(zone=here, enterprise=theirs, name="张三")
    assert scale.cross_zone_rows(scale.tables()) == [("enterprises_contact", "enterprise_id", 1)]
    with pytest.raises(CommandError, match="across zones"):
        call_command("scale_check", "--data")
    assert "enterprises_contact.enterprise_id: 1 rows" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_province_keeps_every_row_within_its_zone(demo):
    assert scale.cross_zone_rows(scale.tables()) == []

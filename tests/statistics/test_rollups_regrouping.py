"""A registry edit that moves an enterprise to another industry, scale or tag moves its accepted
values to the new rollup groups (enterprises.regrouping, statistics.rollups_incremental.regroup):
the rollups stay equal to a full rebuild without one."""

import pytest

from gaoxin.core.models import Industry, Tag
from gaoxin.enterprises import services as registry
from gaoxin.enterprises.importers import import_enterprises
from gaoxin.statistics import rollups
from gaoxin.statistics.models import Rollup
from tests.support.enterprise_import import workbook

pytestmark = pytest.mark.django_db
COLUMNS = [f.attname for f in Rollup._meta.fields if f.attname != "id"]


def rows(zone) -> set[tuple]:
    return set(Rollup.objects.filter(zone=zone).values_list(*COLUMNS))


def rebuilt(zone) -> set[tuple]:
    rollups.refresh_all(zone.pk)
    return rows(zone)


@pytest.mark.parametrize(
    "changes",
    [
        {"industry": "2761"},
        {"scale": "micro"},
        {"above_scale": False},
        {"industry": "2761", "scale": "small", "above_scale": False},
    ],
)
def test_an_edit_moves_the_enterprises_values(figures_book, changes):
    zone, enterprise = figures_book.zone_a, figures_book.a1
    assert Rollup.objects.filter(zone=zone).exists()
    before = rows(zone)
    registry.update_enterprise(figures_book.staff, enterprise, changes, version=enterprise.version)
    moved = rows(zone)
    assert moved != before
    assert moved == rebuilt(zone)


def test_retagging_moves_the_tag_rows(figures_book):
    zone, enterprise = figures_book.zone_a, figures_book.a1
    tag = Tag.objects.create(zone=zone, name="新材料产业链", category="industry_chain")
    registry.update_enterprise(
        figures_book.staff, enterprise, {"tags": [tag.name]}, version=enterprise.version
    )
    moved = rows(zone)
    assert any(r[COLUMNS.index("dimension")] == "tag" and r[COLUMNS.index("key")] == str(tag.pk)
               for r in moved)  # fmt: skip
    assert moved == rebuilt(zone)


def test_an_edit_of_other_fields_touches_no_rollup(figures_book):
    enterprise = figures_book.a1
    assert Industry.objects.exists()
    before = rows(figures_book.zone_a)
    registry.update_enterprise(
        figures_book.staff, enterprise, {"address": "新地址 1 号"}, version=enterprise.version
    )
    assert rows(figures_book.zone_a) == before


def test_an_import_that_moves_an_enterprise_moves_its_values(figures_book, tmp_path):
    """The registry import's update path regroups like the edit (enterprises/importers/writing.py)."""
    zone, enterprise = figures_book.zone_a, figures_book.a1
    before = rows(zone)
    path = workbook(
        tmp_path,
        [{"企业名称": enterprise.name, "统一社会信用代码": enterprise.uscc, "行业代码": "2761",
          "企业规模": "小型"}],
    )  # fmt: skip
    result = import_enterprises(figures_book.staff, zone, path, update_existing=True)
    assert result.errors == [] and result.updated == 1
    enterprise.refresh_from_db()
    assert (enterprise.industry_id, enterprise.scale) == ("2761", "small")
    moved = rows(zone)
    assert moved != before
    assert moved == rebuilt(zone)

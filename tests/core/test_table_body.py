"""A list page's rows are written in Python (core.tables.render_body, with django-tables2's
signature reading and template columns compiled once: core.tables.speed_up_tables): every table
of the demo's list pages must come out as django-tables2's own bootstrap5 template writes it."""

import datetime
import itertools
import re

import django_tables2 as dj_tables
import pytest
from django.template import Template
from django.template.loader import render_to_string
from django.utils import translation
from django_tables2 import utils as tables_utils
from django_tables2.columns import DateColumn, DateTimeColumn, templatecolumn

from gaoxin.core import tables
from gaoxin.core.models import User
from gaoxin.core.templatetags import gaoxin as tags

pytestmark = pytest.mark.django_db

TBODY = re.compile(r"<tbody.*</tbody>", re.S)


def normalised(html: str) -> str:
    """The markup without the whitespace the template's indentation puts between tags, and
    without the CSRF token's value (masked afresh at every reading)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+>", ">", html.strip()))


def library_body(table, context) -> str:
    """The <tbody> as django-tables2's bootstrap5 template writes it, by the library's own
    signature reading, a template column's template compiled afresh and a date column's template
    rendered, as it ships."""
    tables.speed_up_tables(False)
    try:
        html = render_to_string("django_tables2/bootstrap5.html", context.flatten())
    finally:
        tables.speed_up_tables()
    return TBODY.search(html).group()


def test_the_library_is_put_back_as_it_ships_and_sped_up_again():
    """The reference of these tests (and of bench/lists.py) is django-tables2's own code."""
    tables.speed_up_tables(False)
    try:
        assert tables_utils.signature is tables.LIBRARY_SIGNATURE
        assert tables_utils.signature.__module__ == "django_tables2.utils"
        assert templatecolumn.Template is Template
        for column in (DateColumn, DateTimeColumn):
            assert column.render is templatecolumn.TemplateColumn.render
    finally:
        tables.speed_up_tables()
    assert tables_utils.signature is tables._cached_signature
    assert templatecolumn.Template is not Template
    assert DateColumn.render is DateTimeColumn.render is tables._render_date


@pytest.fixture
def compared(monkeypatch):
    """Every table a page renders, written both ways: {table class: [(ours, library's)]}."""
    seen = {}

    def both(table, context):
        ours = tables.render_body(table, context)
        table._counter = itertools.count()  # the rows' odd/even class counts from the table's start
        name = f"{type(table).__module__}.{type(table).__name__}"
        seen.setdefault(name, []).append((str(ours), library_body(table, context)))
        return ours

    monkeypatch.setattr(tags, "render_body", both)
    return seen


def table_classes(base=dj_tables.Table) -> set[str]:
    found = set()
    for cls in base.__subclasses__():
        if cls.__module__.startswith("gaoxin."):
            found.add(f"{cls.__module__}.{cls.__name__}")
        found |= table_classes(cls)
    return found


# Each table's page, and who opens it. A new table fails the test until its page is added here.
PAGES = {
    "admin": ("/audit/", "/people/"),
    "enterprise": ("/investment/projects/",),
    "staff": (
        "/enterprises/",
        "/investment/projects/",
        "/matters/list/",
        "/statistics/returns/",
        "/statistics/findings/",
        "/statistics/official/",
        "/statistics/indicators/",
        "/statistics/rules/",
        "/utilities/",
        "/utilities/findings/",
        *(
            f"/innovation/{kind}/"
            for kind in (
                "certifications",
                "patents",
                "copyrights",
                "platforms",
                "talents",
                "cooperations",
                "cloud",
            )
        ),
    ),
}
NEVER_RENDERED = {"gaoxin.innovation.tables.RecordTable"}  # the innovation tables' base class


def test_every_table_writes_its_rows_as_django_tables2_does(demo, client, compared):
    for username, pages in PAGES.items():
        client.force_login(User.objects.get(username=username))
        for page in pages:
            assert client.get(page).status_code == 200, page
    missing = table_classes() - NEVER_RENDERED - compared.keys()
    assert not missing, f"a table no page of PAGES renders: {missing}"
    for name, renderings in compared.items():
        for ours, library in renderings:
            assert normalised(ours) == normalised(library), name
    assert any(ours.count("<tr") >= 20 for r in compared.values() for ours, _ in r)


def test_the_signature_is_read_once_a_function_and_as_the_library_reads_it(monkeypatch):
    calls = []
    monkeypatch.setattr(tables, "_signatures", {True: {}, False: {}})

    library = tables.LIBRARY_SIGNATURE

    def counted(fn):
        calls.append(fn)
        return library(fn)

    monkeypatch.setattr(tables, "LIBRARY_SIGNATURE", counted)

    class Table:
        def render_name(self, value, record, **kwargs):
            return value

    def plain(value, table):
        return value

    first, second = Table(), Table()
    assert tables_utils.signature(first.render_name) == (("value", "record"), "kwargs")
    assert tables_utils.signature(second.render_name) == (("value", "record"), "kwargs")
    assert tables_utils.signature(plain) == (("value", "table"), None)
    assert tables_utils.signature(Table.render_name) == (("self", "value", "record"), "kwargs")
    assert len(calls) == 3  # the second table's method was the first's function: read once


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_cell_is_the_library_templates_in_the_local_time(language):
    """A DateColumn's and DateTimeColumn's cell (core.tables._render_date) against the template the
    library renders: an aware datetime shown in Asia/Shanghai, a date, text that is no date."""

    class Dated(dj_tables.Table):
        on = DateColumn(format="Y-m-d")
        at = DateTimeColumn(format="Y-m-d H:i:s")
        short = DateTimeColumn()

    late_utc = datetime.datetime(2026, 12, 4, 23, 4, 31, tzinfo=datetime.UTC)  # 07:04 on the 5th
    table = Dated([{"on": datetime.date(2026, 2, 3), "at": late_utc, "short": late_utc}])
    row = table.rows[0]
    record = row.record
    with translation.override(language):
        for name in ("on", "at", "short"):
            bound = table.columns[name]
            for value in (record[name], "no date"):
                kwargs = {"record": record, "table": table, "value": value, "bound_column": bound}
                ours = tables._render_date(bound.column, **kwargs)
                library = tables.LIBRARY_DATE_RENDER(bound.column, bound_row=row, **kwargs)
                assert ours == library, (name, value)
        assert (
            tables._render_date(
                table.columns["at"].column, record, table, late_utc, table.columns["at"]
            )
            == "2026-12-05 07:04:31"
        )

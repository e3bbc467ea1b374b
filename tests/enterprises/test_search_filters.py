"""Every list that filters by an enterprise's name asks enterprises/search.py, and answers on the
demo province exactly what its LIKE filter answered, for random fragments of the demo's names."""

import random
from types import SimpleNamespace

import pytest
from django.db.models import Q

from gaoxin.enterprises import search
from gaoxin.enterprises.models import Enterprise, EnterpriseNameGram
from gaoxin.innovation.filters import (
    CertificationFilter,
    PatentFilter,
    PlatformFilter,
    RecordFilter,
)
from gaoxin.innovation.models import Certification, Patent, Platform
from gaoxin.matters.filters import MatterFilter
from gaoxin.matters.models import Matter
from gaoxin.statistics.filters.findings import FindingFilter
from gaoxin.statistics.filters.returns import ReturnFilter
from gaoxin.statistics.models import Finding, Return
from gaoxin.utilities.filters import AccountFilter
from gaoxin.utilities.models import Account

pytestmark = pytest.mark.django_db


def fragments(names: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        name = rng.choice(names)
        size = rng.randint(2, min(5, len(name)))
        start = rng.randint(0, len(name) - size)
        out.append(name[start : start + size])
    return out + ["光电", "有限", "不存在"]


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# (model, its filter_q as today's LIKE path wrote it, the filter's filter_q, the FilterSet's self)
LISTS = [
    (
        Return,
        lambda v: Q(enterprise__name__icontains=v) | Q(enterprise__uscc__icontains=v.upper()),
        ReturnFilter.filter_q,
        None,
    ),
    (
        Finding,
        lambda v: Q(enterprise__name__icontains=v) | Q(enterprise__uscc=v),
        FindingFilter.filter_q,
        None,
    ),
    (
        Account,
        lambda v: Q(meter_no__icontains=v) | Q(enterprise__name__icontains=v),
        AccountFilter.filter_q,
        None,
    ),
    (
        Matter,
        lambda v: Q(number__icontains=v) | Q(title__icontains=v) | Q(enterprise__name__icontains=v),
        MatterFilter.filter_q,
        None,
    ),
    *[
        (
            model,
            lambda v, f=flt: Q.create([(f"{s}__icontains", v) for s in f.search_fields], "OR"),
            RecordFilter.filter_q,  # the search every record list shares
            SimpleNamespace(search_fields=flt.search_fields),
        )
        for model, flt in (
            (Certification, CertificationFilter),
            (Patent, PatentFilter),
            (Platform, PlatformFilter),
        )
    ],
]


def test_the_demo_registry_is_indexed_as_it_is_built(demo):
    enterprises = Enterprise.objects.all()
    assert enterprises.count() > 100
    sample = list(enterprises.order_by("?")[:20])
    for e in sample:
        grams = EnterpriseNameGram.objects.filter(enterprise=e)
        assert set(grams.values_list("gram", flat=True)) == search.grams_of(e.name)


@pytest.mark.parametrize(
    "model,like,filter_q,owner", LISTS, ids=lambda x: getattr(x, "__name__", "")
)
def test_each_list_finds_what_like_found(demo, model, like, filter_q, owner):
    rows = model.objects.all()
    names = list(
        Enterprise.objects.filter(pk__in=rows.values("enterprise")).values_list("name", flat=True)
    )
    assert names, model
    found_some = False
    for text in fragments(names, 25, seed=len(names)):
        got = ids(filter_q(owner, rows, "q", text))
        assert got == ids(rows.filter(like(text))), (model.__name__, text)
        found_some |= bool(got)
    assert found_some

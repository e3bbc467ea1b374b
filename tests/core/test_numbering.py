"""core.numbering.next_number: one counter per zone and series, seeded once from the numbers
already stored, given back when the creating transaction rolls back, refused outside one."""

import pytest
from django.db import transaction

from gaoxin.core.models import NumberSequence
from gaoxin.core.numbering import next_number
from tests.factories import ZoneFactory


@pytest.mark.django_db
def test_each_zone_and_series_counts_on_its_own():
    a, b = ZoneFactory(code="NA"), ZoneFactory(code="NB")
    taken = [
        next_number(a, "BF-2026"),
        next_number(a, "BF-2026"),
        next_number(b, "BF-2026"),
        next_number(a.pk, "BF-2027"),
        next_number(a, "DB-2026"),
        next_number(a, "BF-2026"),
        next_number(b.pk, "BF-2026"),
    ]
    assert taken == [1, 2, 1, 1, 1, 3, 2]
    rows = {(s.zone_id, s.series): s.last for s in NumberSequence.objects.all()}
    assert rows == {
        (a.pk, "BF-2026"): 3,
        (a.pk, "BF-2027"): 1,
        (a.pk, "DB-2026"): 1,
        (b.pk, "BF-2026"): 2,
    }


@pytest.mark.django_db
def test_a_new_series_continues_after_the_highest_number_already_stored():
    zone = ZoneFactory(code="NS")
    asked = []

    def highest():
        asked.append(1)
        return 41

    assert next_number(zone, "BF-2026", start=highest) == 42
    assert next_number(zone, "BF-2026", start=highest) == 43
    assert asked == [1]  # asked once, when the counter row is made; the row counts from then on
    assert next_number(zone, "BF-2027", start=lambda: 0) == 1
    assert next_number(zone, "DB-2026", start=lambda: None) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_and_takes_nothing():
    zone = ZoneFactory(code="NO")
    with pytest.raises(RuntimeError, match="inside the creating transaction"):
        next_number(zone, "BF-2026")
    assert not NumberSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_creation_gives_its_number_back():
    zone = ZoneFactory(code="NR")

    class Refused(Exception):
        pass

    with transaction.atomic():
        assert next_number(zone, "BF-2026") == 1
    with pytest.raises(Refused), transaction.atomic():
        assert next_number(zone, "BF-2026") == 2
        raise Refused
    with pytest.raises(Refused), transaction.atomic():  # the row made here goes back too
        assert next_number(zone, "DB-2026", start=lambda: 7) == 8
        raise Refused
    with transaction.atomic():
        assert next_number(zone, "BF-2026") == 2
        assert next_number(zone, "DB-2026", start=lambda: 3) == 4

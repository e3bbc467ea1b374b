import pytest

from gaoxin.core.models import Zone
from gaoxin.enterprises.models import Enterprise
from tests.support.world import ENTERPRISES, EXPECTED_CHANGE, EXPECTED_DELETE, EXPECTED_VIEW

pytestmark = pytest.mark.django_db


def names(world, qs):
    by_id = {getattr(world, k).pk: k for k in ENTERPRISES}
    return {by_id[pk] for pk in qs.values_list("pk", flat=True)}


@pytest.mark.parametrize("role", list(EXPECTED_VIEW))
def test_restrict_returns_exactly_the_role_scope(world, role):
    user = world.users[role]
    assert names(world, Enterprise.objects.restrict(user, "view")) == EXPECTED_VIEW[role]
    assert names(world, Enterprise.objects.restrict(user, "change")) == EXPECTED_CHANGE[role]
    assert names(world, Enterprise.objects.restrict(user, "delete")) == EXPECTED_DELETE[role]


def test_zone_visibility(world):
    codes = lambda u: set(Zone.objects.restrict(u).values_list("code", flat=True))  # noqa: E731
    assert codes(world.admin) == {"ZA", "ZB", "ZC"}
    assert codes(world.province) == {"ZA", "ZB"}
    assert codes(world.leader) == {"ZA"}
    assert codes(world.enterprise) == {"ZA"}


def test_anonymous_and_inactive_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Enterprise.objects.restrict(AnonymousUser()).exists()
    world.staff.is_active = False
    assert not Enterprise.objects.restrict(world.staff).exists()

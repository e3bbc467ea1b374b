import pytest

from gaoxin.core.models import Zone
from gaoxin.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

EXPECTED_VIEW = {
    "admin": {"a1", "a2", "b1", "c1"},
    "province": {"a1", "a2", "b1"},
    "zone_admin": {"a1", "a2"},
    "leader": {"a1", "a2"},
    "staff": {"a1", "a2"},
    "enterprise": {"a1"},
}
EXPECTED_CHANGE = {
    "admin": {"a1", "a2", "b1", "c1"},
    "province": set(),
    "zone_admin": {"a1", "a2"},
    "leader": set(),
    "staff": {"a1", "a2"},
    "enterprise": {"a1"},
}
EXPECTED_DELETE = {
    "admin": {"a1", "a2", "b1", "c1"},
    "province": set(),
    "zone_admin": {"a1", "a2"},
    "leader": set(),
    "staff": set(),
    "enterprise": set(),
}


def names(world, qs):
    by_id = {getattr(world, k).pk: k for k in ("a1", "a2", "b1", "c1")}
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

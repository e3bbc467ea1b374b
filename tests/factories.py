"""factory_boy factories for tests (no fixture files)."""

import factory
from django.contrib.auth.hashers import MD5PasswordHasher

from gaoxin.core.codes import make_uscc
from gaoxin.core.models import Department, Membership, Tag, User, Zone
from gaoxin.enterprises.models import Enterprise

PASSWORD = "Test-pass-2026"
# Tests hash with MD5 (tests/conftest.py); a full-entropy salt, or Django would rehash at sign-in.
_HASHED = MD5PasswordHasher().encode(PASSWORD, MD5PasswordHasher().salt())


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Z{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}高新技术产业开发区")
    short_name = factory.Sequence(lambda n: f"测试{n}高新区")
    level = Zone.Level.NATIONAL
    division_id = "360121"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"经济发展局{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("zone", "name")

    zone = factory.SubFactory(ZoneFactory)
    name = "电子信息"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = _HASHED


def uscc_for(n: int, division: str = "360121") -> str:
    return make_uscc("9", "1", division, f"{n:08d}"[-8:].replace("I", "1"))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"江西测试{n}科技有限公司")
    uscc = factory.Sequence(lambda n: uscc_for(10_000_000 + n))
    industry_id = "3974"
    legal_representative = "张三"


def member(role: str, *, username=None, zone=None, department=None, enterprise=None, province=None):
    """A user holding one role membership."""
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.create(
        user=user,
        role=role,
        zone=zone,
        department=department,
        enterprise=enterprise,
        province_id=province,
    )
    return user

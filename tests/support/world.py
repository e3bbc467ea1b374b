"""The world most access tests stand on: three zones, a user per role, enterprises in each.

zone_a (Jiangxi): enterprises a1, a2 (a1 is the enterprise user's own), department dept_a (the
staff member's), tag tag_a; zone_b (Jiangxi): b1; zone_c (Hunan): c1. province = Jiangxi viewer.

`build_world()` makes it (the `world` fixture of tests/conftest.py builds the same); the tables
below say which of its enterprises each role sees, changes and deletes.
"""

from types import SimpleNamespace

from tests.factories import DepartmentFactory, EnterpriseFactory, TagFactory, ZoneFactory, member

# The roles of the access tests, by their short names (the membership role in the comment).
ROLES = (
    "admin",  # platform_admin
    "province",  # province_viewer (Jiangxi: zones A and B)
    "zone_admin",  # zone_admin of zone A
    "leader",  # zone_leader of zone A
    "staff",  # zone_staff of zone A, department dept_a
    "enterprise",  # enterprise_user of a1 (zone A)
)
ENTERPRISES = ("a1", "a2", "b1", "c1")

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


def build_world() -> SimpleNamespace:
    zone_a = ZoneFactory(
        code="ZA", name="甲高新技术产业开发区", short_name="甲高新区", division_id="360121"
    )
    zone_b = ZoneFactory(
        code="ZB", name="乙高新技术产业开发区", short_name="乙高新区", division_id="360802"
    )
    zone_c = ZoneFactory(
        code="ZC", name="丙高新技术产业开发区", short_name="丙高新区", division_id="430104"
    )
    dept_a = DepartmentFactory(zone=zone_a, name="经济发展局")
    tag_a = TagFactory(zone=zone_a, name="电子信息")
    a1 = EnterpriseFactory(zone=zone_a, name="甲一电子科技有限公司")
    a1.tags.add(tag_a)
    a2 = EnterpriseFactory(zone=zone_a, name="甲二纺织有限公司", industry_id="1711")
    b1 = EnterpriseFactory(zone=zone_b, name="乙一新材料有限公司", industry_id="3041")
    c1 = EnterpriseFactory(zone=zone_c, name="丙一智能装备有限公司", industry_id="3491")
    users = {
        "admin": member("platform_admin", username="admin"),
        "province": member("province_viewer", username="province", province="360000"),
        "zone_admin": member("zone_admin", username="zone_admin", zone=zone_a),
        "leader": member("zone_leader", username="leader", zone=zone_a),
        "staff": member("zone_staff", username="staff", zone=zone_a, department=dept_a),
        "enterprise": member("enterprise_user", username="enterprise", zone=zone_a, enterprise=a1),
    }
    return SimpleNamespace(
        zone_a=zone_a,
        zone_b=zone_b,
        zone_c=zone_c,
        dept_a=dept_a,
        tag_a=tag_a,
        a1=a1,
        a2=a2,
        b1=b1,
        c1=c1,
        users=users,
        **users,
    )

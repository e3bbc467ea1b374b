"""People services: accounts, one-time passwords, roles, activation, own password changes, the
password history; who may do what; every change audited, without password hashes."""

import json

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import ApiToken, AuditRecord, Membership, PasswordHistory, User
from gaoxin.core.passwords import PasswordHistoryValidator, one_time_password
from gaoxin.core.people import services
from tests.factories import PASSWORD, DepartmentFactory, member

pytestmark = pytest.mark.django_db


def _audit(user, action):
    return AuditRecord.objects.for_object(user).filter(action=action)


def _no_hashes(record):
    text = json.dumps([record.before, record.after], ensure_ascii=False)
    assert "md5$" not in text and "pbkdf2" not in text


# --- creating accounts ----------------------------------------------------------------------


def test_zone_admin_creates_an_officer_with_a_one_time_password(world):
    # when
    user, password = services.create_account(
        world.zone_admin,
        world.zone_a,
        " li.na ",
        "李娜",
        "13800000001",
        "li.na@example.cn",
        "zone_staff",
        department=world.dept_a,
    )
    # then
    user.refresh_from_db()
    assert (user.username, user.full_name, user.must_change_password) == ("li.na", "李娜", True)
    assert user.check_password(password)
    m = user.memberships.get()
    assert (m.role, m.zone, m.department) == ("zone_staff", world.zone_a, world.dept_a)
    record = _audit(user, "create").get()
    assert (record.actor, record.zone) == (world.zone_admin, world.zone_a)
    assert record.after["memberships"] == ["园区工作人员 · 经济发展局"]
    assert record.after["must_change_password"] is True
    _no_hashes(record)
    assert PasswordHistory.objects.filter(user=user).count() == 1


def test_one_time_passwords_differ_and_pass_the_validators(world):
    passwords = {one_time_password(world.staff) for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        assert len(password) == 14
        password_validation.validate_password(password, world.staff)


@pytest.mark.parametrize("role", ["zone_admin", "platform_admin", "province_viewer"])
def test_zone_admin_cannot_grant_admin_or_platform_roles(world, role):
    count = User.objects.count()
    with pytest.raises(Forbidden):
        services.create_account(
            world.zone_admin, world.zone_a, "boss", "老板", role=role, province="360000"
        )
    assert User.objects.count() == count


def test_zone_admin_cannot_create_in_another_zone(world):
    dept_b = DepartmentFactory(zone=world.zone_b, name="招商局")
    with pytest.raises(Forbidden):
        services.create_account(
            world.zone_admin, world.zone_b, "b.staff", "乙", role="zone_staff", department=dept_b
        )
    assert not User.objects.filter(username="b.staff").exists()


@pytest.mark.parametrize("actor", ["leader", "staff", "enterprise", "province"])
def test_other_roles_cannot_create_accounts(world, actor):
    with pytest.raises(Forbidden):
        services.create_account(world.users[actor], world.zone_a, "x1", "某人", role="zone_leader")
    assert not User.objects.filter(username="x1").exists()


def test_creation_errors_name_their_fields(world):
    dept_b = DepartmentFactory(zone=world.zone_b, name="招商局")
    with pytest.raises(ValidationError) as exc:
        services.create_account(
            world.admin,
            world.zone_a,
            "STAFF",  # staff exists (user names are compared case-insensitively)
            "",
            "phone?",
            "not-an-email",
            "zone_staff",
            department=dept_b,
        )
    assert set(exc.value.message_dict) == {"username", "full_name", "phone", "email", "department"}
    assert exc.value.message_dict["department"] == ["部门不属于所选园区"]


def test_platform_admin_creates_a_zone_admin_and_a_province_viewer(world):
    admin_b, _pw = services.create_account(
        world.admin, world.zone_b, "zb.admin", "乙管", role="zone_admin"
    )
    viewer, _pw = services.create_account(
        world.admin, None, "jx.viewer", "省厅", role="province_viewer", province="360000"
    )
    assert admin_b.memberships.get().zone == world.zone_b
    m = viewer.memberships.get()
    assert (m.role, m.province_id, m.zone) == ("province_viewer", "360000", None)


# --- scope ----------------------------------------------------------------------------------


def test_zone_admin_sees_only_accounts_wholly_in_their_zone(world):
    dept_b = DepartmentFactory(zone=world.zone_b)
    member("zone_staff", username="b_staff", zone=world.zone_b, department=dept_b)
    both = member("zone_leader", username="both", zone=world.zone_a)
    Membership.objects.create(user=both, role="zone_leader", zone=world.zone_b)
    visible = set(services.visible_accounts(world.zone_admin).values_list("username", flat=True))
    assert visible == {"zone_admin", "leader", "staff", "enterprise"}
    changeable = services.changeable_accounts(world.zone_admin).values_list("username", flat=True)
    assert set(changeable) == {"zone_admin", "leader", "staff", "enterprise"}  # itself included
    other_admin = member("zone_admin", username="zone_admin2", zone=world.zone_a)
    assert services.visible_accounts(world.zone_admin).filter(pk=other_admin.pk).exists()
    assert not services.changeable_accounts(world.zone_admin).filter(pk=other_admin.pk).exists()
    everyone = set(User.objects.values_list("username", flat=True))
    assert set(services.visible_accounts(world.admin).values_list("username", flat=True)) == (
        everyone
    )
    for role in ("province", "leader", "staff", "enterprise"):
        assert not services.visible_accounts(world.users[role]).exists()


def test_zone_admin_cannot_reset_another_zone_admin_or_a_platform_admin(world):
    other_admin = member("zone_admin", username="zone_admin2", zone=world.zone_a)
    for target in (other_admin, world.admin, world.province):
        before = User.objects.get(pk=target.pk).password
        with pytest.raises(Forbidden):
            services.reset_password(world.zone_admin, target)
        assert User.objects.get(pk=target.pk).password == before
        assert not _audit(target, "password_reset").exists()


# --- reset, activation ----------------------------------------------------------------------


def test_reset_password_forces_a_change_revokes_tokens_and_is_audited(world):
    ApiToken.issue(world.staff)
    # when
    password = services.reset_password(world.zone_admin, world.staff)
    # then
    staff = User.objects.get(pk=world.staff.pk)
    assert staff.check_password(password) and not staff.check_password(PASSWORD)
    assert staff.must_change_password
    assert not ApiToken.objects.filter(user=staff, revoked_at__isnull=True).exists()
    record = _audit(staff, "password_reset").get()
    assert (record.actor, record.zone, record.after) == (
        world.zone_admin,
        world.zone_a,
        {"must_change_password": True},
    )
    _no_hashes(record)
    assert not _audit(staff, "password").exists()  # the signal left it to the service


def test_nobody_resets_or_disables_themselves(world):
    with pytest.raises(ValidationError):
        services.reset_password(world.zone_admin, world.zone_admin)
    with pytest.raises(ValidationError):
        services.set_active(world.zone_admin, world.zone_admin, False, "离职")
    zone_admin = User.objects.get(pk=world.zone_admin.pk)
    assert zone_admin.is_active and zone_admin.check_password(PASSWORD)
    assert not AuditRecord.objects.for_object(zone_admin).exists()


def test_disable_needs_a_reason_then_enable(world):
    ApiToken.issue(world.leader)
    with pytest.raises(ValidationError) as exc:
        services.set_active(world.zone_admin, world.leader, False, "  ")
    assert exc.value.message_dict == {"reason": ["请填写停用理由"]}
    assert User.objects.get(pk=world.leader.pk).is_active
    services.set_active(world.zone_admin, world.leader, False, "调离本园区")
    assert not User.objects.get(pk=world.leader.pk).is_active
    assert not ApiToken.objects.filter(user=world.leader, revoked_at__isnull=True).exists()
    services.set_active(world.zone_admin, world.leader, True)
    assert User.objects.get(pk=world.leader.pk).is_active
    records = _audit(world.leader, "status").order_by("id")
    assert list(records.values_list("before", "after", "message")) == [
        ({"is_active": True}, {"is_active": False}, "调离本园区"),
        ({"is_active": False}, {"is_active": True}, "启用账号"),
    ]


def test_update_account_audits_only_what_changed(world):
    data = {"phone": "13900000000", "full_name": world.staff.full_name}
    services.update_account(world.zone_admin, world.staff, data)
    record = _audit(world.staff, "update").get()
    assert (record.before, record.after) == ({"phone": ""}, {"phone": "13900000000"})
    services.update_account(world.zone_admin, world.staff, {"phone": "13900000000"})
    assert _audit(world.staff, "update").count() == 1


# --- memberships ----------------------------------------------------------------------------


def test_add_and_remove_a_membership(world):
    scope = {"zone": world.zone_a, "department": world.dept_a}
    m = services.add_membership(world.zone_admin, world.leader, "zone_staff", **scope)
    assert world.leader.memberships.count() == 2
    with pytest.raises(ValidationError):  # the same role twice
        services.add_membership(world.zone_admin, world.leader, "zone_staff", **scope)
    services.remove_membership(world.zone_admin, world.leader, m)
    assert list(world.leader.memberships.values_list("role", flat=True)) == ["zone_leader"]
    records = _audit(world.leader, "role").order_by("id")
    assert [(r.before is None, r.after is None, r.message) for r in records] == [
        (True, False, "授予角色:园区工作人员 · 经济发展局"),
        (False, True, "撤销角色:园区工作人员 · 经济发展局"),
    ]
    assert records[0].zone == world.zone_a


def test_membership_rules(world):
    leader = world.leader
    with pytest.raises(Forbidden):  # a zone admin grants no zone_admin
        services.add_membership(world.zone_admin, leader, "zone_admin", zone=world.zone_a)
    with pytest.raises(Forbidden):  # nor anything in another zone
        services.add_membership(world.zone_admin, leader, "zone_leader", zone=world.zone_b)
    with pytest.raises(ValidationError) as exc:  # an account keeps a role
        services.remove_membership(world.zone_admin, leader, leader.memberships.get())
    assert exc.value.message_dict == {"membership": ["账号至少保留一个角色;不再使用的账号请停用"]}
    with pytest.raises(ValidationError) as exc:  # an enterprise of another zone
        services.add_membership(
            world.admin, leader, "enterprise_user", zone=world.zone_a, enterprise=world.b1
        )
    assert exc.value.message_dict == {"enterprise": ["企业不属于所选园区"]}
    assert leader.memberships.count() == 1
    assert not _audit(leader, "role").exists()


def test_nobody_removes_their_own_last_admin_role(world):
    admin = world.admin
    m = services.add_membership(admin, admin, "zone_leader", zone=world.zone_a)
    with pytest.raises(ValidationError) as exc:
        services.remove_membership(admin, admin, admin.memberships.get(role="platform_admin"))
    assert exc.value.message_dict == {"membership": ["不能撤销自己最后一个管理员角色"]}
    services.remove_membership(admin, admin, m)  # a non-admin role may go
    assert set(admin.memberships.values_list("role", flat=True)) == {"platform_admin"}


# --- one's own password, history --------------------------------------------------------------


def test_change_password_checks_the_old_one_and_clears_the_forced_change(world):
    User.objects.filter(pk=world.staff.pk).update(must_change_password=True)
    staff = User.objects.get(pk=world.staff.pk)
    with pytest.raises(ValidationError) as exc:
        services.change_password(staff, "wrong", "Brand-new-2027")
    assert exc.value.message_dict == {"old_password": ["原密码不正确"]}
    services.change_password(staff, PASSWORD, "Brand-new-2027")
    staff = User.objects.get(pk=staff.pk)
    assert staff.check_password("Brand-new-2027") and not staff.must_change_password
    assert staff.password_changed_at is not None
    assert _audit(staff, "password").get().actor == staff


def test_new_password_may_not_repeat_the_current_or_the_last_five(world, settings):
    staff = User.objects.get(pk=world.staff.pk)
    passwords = [PASSWORD] + [f"Rotation-{i}-2027x" for i in range(1, 7)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        services.change_password(staff, old, new)
        staff = User.objects.get(pk=staff.pk)
    current = passwords[-1]  # Rotation-6; the five before it are Rotation-1..5
    for reused in passwords[1:]:
        with pytest.raises(ValidationError) as exc:
            services.change_password(staff, current, reused)
        assert exc.value.message_dict["new_password"] == [
            "新密码不能与当前密码或最近 5 次用过的密码相同。"
        ]
    services.change_password(staff, current, PASSWORD)  # six passwords ago: allowed again
    assert PasswordHistory.objects.filter(user=staff).count() == settings.PASSWORD_HISTORY_COUNT + 1


def test_history_validator_is_a_configured_password_validator(world):
    validators = password_validation.get_default_password_validators()
    assert any(isinstance(v, PasswordHistoryValidator) for v in validators)
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password(PASSWORD, world.staff)
    assert "新密码不能与当前密码或最近 5 次用过的密码相同。" in exc.value.messages

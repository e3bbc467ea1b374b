"""Issue 11 item 5: changes to people made in the Django admin, or by the CLI commands, are
audited. The admin's real forms are read from its pages and posted back, as a browser would."""

import io
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from gaoxin.core.models import AuditRecord, Membership, PasswordHistory, User
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The values a browser would submit from the page's form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "__prefix__" in (a.get("name") or ""):
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(a["name"], []).append(a.get("value", default))
        elif tag == "select":
            self.select = a.get("name")
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.data[self.textarea] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def admin_form(client, url, form_id="user_form"):
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return {k: v if len(v) != 1 else v[0] for k, v in parser.data.items()}


@pytest.fixture
def root(world, client):
    """A platform admin with access to the Django admin, signed in."""
    user = member("platform_admin", username="root")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    return User.objects.get(pk=user.pk)


def _errors(response):
    context = response.context
    return (
        [context["adminform"].form.errors]
        + [f.errors for inline in context["inline_admin_formsets"] for f in inline.formset.forms]
        + [data for data in [context.get("errors")]]
    )


def change_url(user):
    return reverse("admin:core_user_change", args=[user.pk])


def test_password_set_in_the_admin_is_an_audited_reset(client, world, root):
    url = reverse("admin:auth_user_password_change", args=[world.staff.pk])
    data = admin_form(client, url, form_id="user_form")
    data.update(password1="Admin-given-2027", password2="Admin-given-2027")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    staff = User.objects.get(pk=world.staff.pk)
    assert staff.check_password("Admin-given-2027")
    assert staff.must_change_password  # someone else's password: changed at the next sign-in
    record = AuditRecord.objects.for_object(staff).get(action="password_reset")
    assert (record.actor, record.zone, record.message) == (
        root,
        world.zone_a,
        "在管理后台重置密码,须在下次登录时修改",
    )
    assert "Admin-given" not in str(record.after) and "md5$" not in str(record.after)
    assert PasswordHistory.objects.filter(user=staff, password=staff.password).exists()


def test_membership_added_in_the_admin_inline_is_audited(client, world, root):
    data = admin_form(client, change_url(world.leader))
    n = int(data["memberships-TOTAL_FORMS"])
    data.update(
        {
            "memberships-TOTAL_FORMS": str(n + 1),
            f"memberships-{n}-role": "zone_staff",
            f"memberships-{n}-zone": str(world.zone_a.pk),
            f"memberships-{n}-department": str(world.dept_a.pk),
            f"memberships-{n}-user": str(world.leader.pk),
        }
    )
    response = client.post(change_url(world.leader), data)
    assert response.status_code == 302, _errors(response)
    assert set(world.leader.memberships.values_list("role", flat=True)) == {
        "zone_leader",
        "zone_staff",
    }
    record = AuditRecord.objects.for_object(world.leader).get(action="role")
    assert (record.actor, record.zone, record.before) == (root, world.zone_a, None)
    assert (record.after["role"], record.after["department"]) == ("zone_staff", world.dept_a.pk)
    assert record.message == "在管理后台授予角色:园区工作人员 · 经济发展局"
    # and nothing else about the account changed, so no other record
    assert not AuditRecord.objects.for_object(world.leader).exclude(action="role").exists()


def test_membership_removed_in_the_admin_inline_is_audited(client, world, root):
    Membership.objects.create(user=world.leader, role="zone_leader", zone=world.zone_b)
    data = admin_form(client, change_url(world.leader))
    m = world.leader.memberships.get(zone=world.zone_b)
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(m.pk))
    data[index.replace("-id", "-DELETE")] = "on"
    assert client.post(change_url(world.leader), data).status_code == 302
    assert not world.leader.memberships.filter(zone=world.zone_b).exists()
    record = AuditRecord.objects.for_object(world.leader).get(action="role")
    assert (record.before["zone"], record.after, record.zone) == (
        world.zone_b.pk,
        None,
        world.zone_b,
    )


def test_account_disabled_in_the_admin_is_audited(client, world, root):
    data = admin_form(client, change_url(world.staff))
    assert data.pop("is_active") == "on"
    response = client.post(change_url(world.staff), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not User.objects.get(pk=world.staff.pk).is_active
    record = AuditRecord.objects.for_object(world.staff).get()
    assert (record.action, record.actor, record.zone) == ("status", root, world.zone_a)
    assert (record.before, record.after) == ({"is_active": True}, {"is_active": False})


def test_superuser_flag_set_in_the_admin_is_audited(client, world, root):
    data = admin_form(client, change_url(world.staff))
    data.update(is_staff="on", is_superuser="on", phone="13700000000")
    assert client.post(change_url(world.staff), data).status_code == 302
    record = AuditRecord.objects.for_object(world.staff).get()
    assert record.action == "update"
    assert record.before == {"phone": "", "is_staff": False, "is_superuser": False}
    assert record.after == {"phone": "13700000000", "is_staff": True, "is_superuser": True}


def test_account_deleted_in_the_admin_is_audited(client, world, root):
    url = reverse("admin:core_user_delete", args=[world.leader.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(username="leader").exists()
    record = AuditRecord.objects.get(action="delete", object_repr="leader")
    assert (record.actor, record.zone_id) == (root, world.zone_a.pk)
    assert record.before["memberships"] == ["园区领导 · 甲高新区"]


def test_account_created_in_the_admin_is_audited_and_must_change_its_password(client, world, root):
    url = reverse("admin:core_user_add")
    data = admin_form(client, url)
    data.update(username="newcomer", password1="Initial-pw-2027", password2="Initial-pw-2027")
    data["usable_password"] = "true"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="newcomer")
    assert user.must_change_password
    record = AuditRecord.objects.for_object(user).get()
    assert (record.action, record.actor, record.message) == ("create", root, "在管理后台新建账号")
    assert "password" not in record.after


def test_zone_changed_in_the_admin_is_audited(client, world, root):
    url = reverse("admin:core_zone_change", args=[world.zone_c.pk])
    data = admin_form(client, url, form_id="zone_form")
    data["short_name"] = "丙区"
    assert client.post(url, data).status_code == 302
    record = AuditRecord.objects.for_object(world.zone_c).get()
    assert (record.action, record.zone, record.after["short_name"]) == (
        "update",
        world.zone_c,
        "丙区",
    )


# --- the CLI doors --------------------------------------------------------------------------


def test_changepassword_command_is_audited(world, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    monkeypatch.setattr(
        changepassword.Command, "_get_pass", lambda self, prompt="": "Cli-set-2027x"
    )
    call_command("changepassword", "staff", stdout=io.StringIO())
    staff = User.objects.get(pk=world.staff.pk)
    assert staff.check_password("Cli-set-2027x") and not staff.check_password(PASSWORD)
    record = AuditRecord.objects.for_object(staff).get(action="password")
    assert (record.actor, record.actor_name, record.zone) == (None, "", world.zone_a)
    assert record.message == "在产品之外修改了密码(如 changepassword 命令)"


def test_createsuperuser_command_is_audited(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Super-user-2027x")
    call_command(
        "createsuperuser",
        username="ops",
        email="ops@example.cn",
        interactive=False,
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="ops")
    record = AuditRecord.objects.for_object(user).get()
    assert (record.action, record.after["is_superuser"], record.after["username"]) == (
        "create",
        True,
        "ops",
    )
    assert "password" not in record.after
    assert PasswordHistory.objects.filter(user=user).count() == 1

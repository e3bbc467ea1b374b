"""Issue 11's onboarding walk in Chromium: a zone admin (with their authenticator, as 等保
requires of admins) signs in, creates a new officer — account, department, role — and reads
the one-time password once; the officer signs in with it, is held on the password page until
they choose their own, and then lands on the home page. Every step is audited."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.core.models import AuditRecord, User
from tests.factories import PASSWORD
from tests.support.browser import log_in

OWN_PASSWORD = "Zhao-Lei-own-2027"


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_zone_admin_onboards_an_officer_who_changes_the_password_at_first_sign_in(page, world):
    device = TOTPDevice.objects.create(user=world.zone_admin, name="手机", confirmed=True)

    # The zone admin signs in: password, then the code from the authenticator.
    log_in(page, "zone_admin", PASSWORD)
    page.wait_for_url("**/account/otp/verify/**")
    page.fill("#otp-code", current_code(device))
    page.click("#otp-submit")
    page.wait_for_load_state()

    # People → new account: a staff officer of the economic bureau.
    page.click("#people-link")
    page.wait_for_url("**/people/")
    page.click("#create-account")
    page.fill("#id_username", "zhao.lei")
    page.fill("#id_full_name", "赵磊")
    page.fill("#id_phone", "13912345678")
    page.select_option("#id_role", "zone_staff")
    page.select_option("#id_department", str(world.dept_a.pk))
    page.click("#save")
    page.wait_for_selector("#one-time-password")
    one_time = page.inner_text("#one-time-password").strip()
    assert page.inner_text("#issued-username") == "zhao.lei"
    assert len(one_time) == 14

    # The account is in the list; the admin signs out.
    page.goto(page.base_url + "/people/?q=zhao")
    assert page.locator("#people-table tbody tr").count() == 1
    assert "园区工作人员" in page.inner_text("#people-table tbody tr")
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url("**/login/**")

    # The officer signs in with the one-time password and is held on the password page.
    log_in(page, "zhao.lei", one_time)
    page.wait_for_url("**/password/**")
    assert "首次登录" in page.inner_text("#password-reason")
    page.fill("#id_old_password", one_time)
    page.fill("#id_new_password1", OWN_PASSWORD)
    page.fill("#id_new_password2", OWN_PASSWORD)
    page.click("#password-submit")
    page.wait_for_load_state()

    # They land on the home page, released.
    assert page.url == page.base_url + "/"
    assert page.inner_text("#zone-title") == world.zone_a.name
    page.goto(page.base_url + "/enterprises/")
    assert page.url == page.base_url + "/enterprises/"
    officer = User.objects.get(username="zhao.lei")
    assert officer.check_password(OWN_PASSWORD) and not officer.must_change_password
    m = officer.memberships.get()
    assert (m.role, m.zone, m.department) == ("zone_staff", world.zone_a, world.dept_a)
    trail = AuditRecord.objects.for_object(officer).exclude(action__in=["login", "logout"])
    assert list(trail.order_by("id").values_list("action", "actor_name")) == [
        ("create", "zone_admin"),
        ("password", "zhao.lei"),
    ]

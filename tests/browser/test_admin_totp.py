"""An admin's sign-in asks for the TOTP code, and an admin without a device walks the enrolment,
in Chromium (issue 11 item 11). The codes are computed here from the device's key, as the
person's authenticator app would; the clock is controlled so a code is never reused."""

import datetime
import zoneinfo
from base64 import b32decode, b32encode
from pathlib import Path

import pytest
import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.core import otp
from gaoxin.core.models import AuditRecord
from tests.factories import PASSWORD
from tests.support.browser import log_in

pytestmark = pytest.mark.otp

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def code_of(key: bytes) -> str:
    return str(TOTP(key).token()).zfill(6)


def submit_code(page, code):
    page.fill("#otp-code", code)
    page.click("#otp-submit")
    page.wait_for_load_state()


def test_an_admins_login_asks_for_the_totp_code(page, world):
    with time_machine.travel(START, tick=True) as clock:
        device = otp.start_enrolment(world.admin)
        otp.confirm_enrolment(world.admin, code_of(device.bin_key))
        clock.shift(30)

        log_in(page, "admin", PASSWORD)
        assert page.url == page.base_url + "/account/otp/verify/?next=%2F"
        page.goto(page.base_url + "/enterprises/")  # nothing else opens before the code
        assert page.url == page.base_url + "/account/otp/verify/?next=%2Fenterprises%2F"

        wrong = str((int(code_of(device.bin_key)) + 1) % 1_000_000).zfill(6)
        submit_code(page, wrong)
        assert page.inner_text("#otp-error") == "验证码或恢复码错误,还可尝试 4 次"
        assert "/account/otp/verify/" in page.url

        clock.shift(2)  # django-otp waits a second after a failure
        submit_code(page, code_of(device.bin_key))
        assert page.url == page.base_url + "/enterprises/"
        assert page.locator("#otp-code").count() == 0
        assert page.locator("#user-menu").count() == 1

    log = AuditRecord.objects.filter(object_repr="admin").order_by("id")
    assert [(r.action, r.message) for r in log][-3:] == [
        ("login", ""),
        ("login_failed", "登录:验证码或恢复码错误,还可尝试 4 次"),
        ("otp", "登录:双因素认证通过"),
    ]


def test_an_admin_without_a_device_enrols_before_anything_else(page, world, tmp_path):
    with time_machine.travel(START, tick=True):
        log_in(page, "zone_admin", PASSWORD)
        assert page.url == page.base_url + "/account/otp/?next=%2F"
        assert page.locator("#otp-qr svg path").count() == 1
        assert page.locator("#otp-required").is_visible()

        # The app is set up by hand from the key shown under the QR code.
        secret = page.inner_text("#otp-secret").replace(" ", "")
        device = TOTPDevice.objects.get(user=world.zone_admin, confirmed=False)
        assert secret == b32encode(device.bin_key).decode().rstrip("=")
        submit_code(page, code_of(b32decode(secret)))

        assert page.url == page.base_url + "/account/otp/recovery/?next=%2F"
        shown = page.locator("#recovery-codes li").all_inner_texts()
        stored = StaticToken.objects.filter(device__user=world.zone_admin)
        assert len(shown) == 10
        assert sorted(c.replace("-", "") for c in shown) == sorted(t.token for t in stored)

        with page.expect_download() as download:
            page.click("#recovery-download")
        saved = tmp_path / "codes.txt"
        download.value.save_as(saved)
        assert Path(saved).read_text(encoding="utf-8").splitlines()[3:] == shown

        page.click("#recovery-done")
        page.wait_for_load_state()
        assert page.url == page.base_url + "/"
        assert page.inner_text("#zone-title") == world.zone_a.name

        page.goto(page.base_url + "/account/otp/")
        assert page.inner_text("#otp-codes-left") == "剩余恢复码:10 个"
    assert TOTPDevice.objects.get(user=world.zone_admin).confirmed

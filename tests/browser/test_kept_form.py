"""A form posted after the session ended is typed in again after signing in (core
KeepTypedFormMiddleware and the refill in gaoxin.js), in a real browser."""

from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.support.browser import log_in


def test_the_typed_address_comes_back_after_signing_in_again(page, world):
    log_in(page, "staff", PASSWORD)
    page.goto(page.base_url + f"/enterprises/{world.a1.pk}/edit/")
    page.fill("#id_address", "赣江大道 8 号")
    # The session ends while the form is open (the CSRF cookie stays, as it does on expiry).
    page.context.clear_cookies(name="sessionid")
    page.click("#save")
    page.wait_for_url("**/login/**")
    assert "您刚才填写的内容已保留" in page.content()
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"**/enterprises/{world.a1.pk}/edit/")
    expect(page.locator("#id_address")).to_have_value("赣江大道 8 号")
    expect(page.locator("#kept-form-notice")).to_be_visible()
    world.a1.refresh_from_db()
    assert world.a1.address != "赣江大道 8 号"  # nothing written until saved again
    page.click("#save")
    page.wait_for_url(f"**/enterprises/{world.a1.pk}/")
    world.a1.refresh_from_db()
    assert world.a1.address == "赣江大道 8 号"

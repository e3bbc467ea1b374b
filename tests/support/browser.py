"""Helpers for the Playwright tests (tests/browser/; its conftest.py gives the `page` fixture)."""


def log_in(page, username, password):
    """Sign in through the login page as a user would, and wait for the page it leads to."""
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_load_state()

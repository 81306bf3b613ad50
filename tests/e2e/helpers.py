"""Helpers for browser tests."""

from tests.factories import PASSWORD


def log_in(page, email: str) -> None:
    """Log in through the real form with the shared test password and wait for the home page."""
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/")


def open_tab(browser, base_url: str, locale: str):
    """A fresh tab with its own cookies. Motion is reduced: Bootstrap scrolls smoothly otherwise, and an element
    still gliding into view when Playwright clicks makes the click land elsewhere (a flaky radio in CI)."""
    context = browser.new_context(base_url=base_url, locale=locale, reduced_motion="reduce")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return tab

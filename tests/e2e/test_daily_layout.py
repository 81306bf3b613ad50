"""In Chromium at laptop widths: the menu neither overflows nor wraps its labels, in every language
(issue 13, D3/D6); the supplier table scrolls inside itself on a phone (D22); the certificate form shows
"name (other certificate)" only for the type "other" (D21)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, gen_supplier, gen_user

WIDTHS = (1280, 1366)


def _login(page, email: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/")


def _choose_language(page, code: str) -> None:
    page.set_viewport_size({"width": 1600, "height": 900})  # the full menu, language buttons shown
    page.click(f"form[action$='/language/{code}'] button")
    page.wait_for_load_state()


def _labels_on_one_line(page) -> list[str]:
    """Menu entries and top-bar buttons whose text wraps onto a second line."""
    return page.evaluate("""() => [...document.querySelectorAll('.navbar .nav-link, .navbar .btn')]
        .filter(el => el.offsetParent !== null)
        .filter(el => { const h = parseFloat(getComputedStyle(el).lineHeight) || 24;
                        return el.getBoundingClientRect().height > 2 * h; })
        .map(el => el.textContent.trim())""")


@pytest.mark.parametrize("code", ["zh", "zh_Hant", "en"])
def test_admin_menu_fits_laptop_widths_in_every_language(page, session, code):
    # A long name (shown in the bar) must not push the bar off the window either.
    admin = gen_user(session, "admin", name="Procurement and ESG administrator, Chongqing Machinery subsidiary")
    session.commit()
    _login(page, admin.email)
    _choose_language(page, code)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 768})
        page.goto("/admin/users")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"page wider than {width}px"
        assert _labels_on_one_line(page) == [], f"labels wrap at {width}px"
        # The whole bar is one line: every entry and the language buttons share one centre line.
        middles = page.evaluate("""() => [...document.querySelectorAll('.navbar-nav > .nav-item, .navbar form')]
            .map(el => { const r = el.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); })""")
        assert max(middles) - min(middles) <= 6, f"the menu breaks onto two lines at {width}px: {middles}"
        # Every drop-down opens inside the window and lists its pages.
        for group in page.locator("[data-menu-group]").all():
            group.locator(".dropdown-toggle").click()
            menu = group.locator(".dropdown-menu")
            assert menu.is_visible() and menu.locator(".dropdown-item").count() >= 2
            box = menu.bounding_box()
            assert box["x"] + box["width"] <= width
            group.locator(".dropdown-toggle").click()


def test_supplier_table_scrolls_inside_itself_on_a_phone(page, session):
    buyer = gen_user(session, "procurement")
    gen_supplier(session, name_zh="重庆同力机械设备制造有限公司", name_en="Chongqing Tongli Machinery Equipment")
    session.commit()
    _login(page, buyer.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/suppliers/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_other_certificate_name_only_for_other(page, session):
    buyer = gen_user(session, "procurement")
    supplier = gen_supplier(session)
    session.commit()
    _login(page, buyer.email)
    page.goto(f"/certificates/suppliers/{supplier.id}/new")
    other = page.locator("input[name=other_name]")
    assert not other.is_visible()
    page.select_option("select[name=cert_type]", "other")
    assert other.is_visible()
    page.select_option("select[name=cert_type]", "iso9001")
    assert not other.is_visible()


@pytest.mark.parametrize("code", ["zh", "en"])
def test_portal_menu_fits_laptop_widths(page, session, code):
    from tests.portal_factories import gen_portal_user

    contact = gen_portal_user(session, gen_supplier(session))
    session.commit()
    _login(page, contact.email)
    _choose_language(page, code)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 768})
        page.goto("/portal/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"page wider than {width}px"
        assert _labels_on_one_line(page) == [], f"labels wrap at {width}px"
        page.click("[data-menu-group=portal-more] .dropdown-toggle")
        assert page.locator("[data-portal-nav='portal.team']").is_visible()

"""Traditional Chinese (zh_Hant) as a third interface language (issue 13, build 6)."""

from __future__ import annotations

from supplychain.models import User
from tests.factories import gen_user
from tests.web.helpers import login, post_form


def test_a_user_switches_to_traditional_chinese_and_keeps_it(session, client):
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    page = client.get("/suppliers/").text
    assert "供应商" in page and "繁體" in page and 'lang="zh-CN"' in page
    response = post_form(client, "/language/zh_Hant", {"next": "/suppliers/"}, page_url="/suppliers/")
    assert response.status_code == 302
    page = client.get("/suppliers/").text
    assert '<html lang="zh-Hant">' in page
    assert "供應商" in page and "登出" in page and "匯出 Excel" in page
    assert "供应商" not in page.split("<main")[0]  # the menu is all traditional
    session.expire_all()
    assert session.get(User, user.id).locale == "zh_Hant"
    # The next login remembers it.
    fresh = client.application.test_client()
    login(fresh, user.email)
    assert "供應商" in fresh.get("/suppliers/").text


def test_a_browser_asking_for_hong_kong_or_taiwan_chinese_gets_traditional(client):
    page = client.get("/auth/login", headers={"Accept-Language": "zh-HK,zh;q=0.8,en;q=0.5"}).text
    assert '<html lang="zh-Hant">' in page and "登入" in page
    page = client.get("/auth/login", headers={"Accept-Language": "zh-TW"}).text
    assert '<html lang="zh-Hant">' in page
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert 'lang="zh-CN"' in page and "登录" in page
    page = client.get("/auth/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert '<html lang="en">' in page


def test_exports_in_traditional_chinese_have_their_own_file_name(session, client):
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    post_form(client, "/language/zh_Hant", {"next": "/"}, page_url="/suppliers/")
    response = client.get("/exports/suppliers.csv")
    assert "suppliers-zh_Hant-" in response.headers["Content-Disposition"]
    assert response.data.decode("utf-8-sig").startswith("編號,中文名稱")

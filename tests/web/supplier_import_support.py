"""What the supplier import's web tests share: a clean staging folder, a logged-in buyer or admin with one
category, and an upload through the real form (CSRF on)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from tests.factories import gen_category, gen_user
from tests.web.helpers import csrf_token, login

URL = "/suppliers/import/"
EN = {"Accept-Language": "en"}
TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_staging(app):
    """No staged file of an earlier test is left in the instance folder."""
    folder = Path(app.instance_path) / "import_staging"
    if folder.exists():
        shutil.rmtree(folder)


def logged_in(client, session, role="procurement"):
    user = gen_user(session, role)
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    assert login(client, user.email).status_code == 302
    return user


def upload(client, data: bytes, headers=None, filename: str = "s.csv", **fields):
    """The upload form filled in and sent: the preview (or the refusal) comes back."""
    page = client.get(URL, headers=headers)
    return client.post(URL, data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), filename),
                                  **fields}, content_type="multipart/form-data", headers=headers)

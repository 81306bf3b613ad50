"""A refused questionnaire keeps the files the supplier chose, and its errors link to the questions
(issue 13, D17)."""

from __future__ import annotations

import re

from sqlalchemy import select

from supplychain.models import SaqResponse
from tests.evidence_factories import PDF
from tests.portal_factories import MINIMAL, question
from tests.web.helpers import csrf_token
from tests.web.test_saq import EN, _answer_page, _full_minimal, _start


def test_a_refused_submission_keeps_the_chosen_files_for_the_next_try(client, session):
    questionnaire, _supplier = _start(client, session, MINIMAL)
    hs = question(questionnaire, "HS-01").id
    env, sp = question(questionnaire, "ENV-01").id, question(questionnaire, "SP-01").id
    page, response_id = _answer_page(client)
    data = {"csrf_token": csrf_token(page.text), "response_id": response_id, "submit": "1",
            **_full_minimal(questionnaire, **{f"q-{hs}": "three"})}
    refused = client.post("/portal/saq/answer", data=data, headers=EN, content_type="multipart/form-data")
    assert refused.status_code == 200 and "Nothing was saved." in refused.text
    assert session.scalar(select(SaqResponse)).answers == []
    # The error links to its question.
    assert f'href="#q-{hs}-card"' in refused.text and f'id="q-{hs}-card"' in refused.text
    # Both files are kept: the page says so and carries them to the next try.
    assert "Kept from your last try: ISO14001.pdf" in refused.text and "行为准则.pdf" in refused.text
    tokens = dict(re.findall(r'name="(q-\d+-kept)" value="([0-9a-f]{32})"', refused.text))
    assert set(tokens) == {f"q-{env}-kept", f"q-{sp}-kept"}
    # Correct the number only, choose no file again: the submission goes through with both files.
    retry = {"csrf_token": csrf_token(refused.text), "response_id": response_id, "submit": "1", **tokens,
             **{k: v for k, v in _full_minimal(questionnaire, **{f"q-{hs}": "0"}).items() if not k.endswith("-file")}}
    done = client.post("/portal/saq/answer", data=retry, headers=EN, content_type="multipart/form-data")
    assert done.status_code == 302
    session.expire_all()
    response = session.scalar(select(SaqResponse))
    assert response.status == "submitted"
    files = {a.question.code: a.attachment.original_name for a in response.answers if a.attachment}
    assert files == {"ENV-01": "ISO14001.pdf", "SP-01": "行为准则.pdf"}


def test_a_kept_file_token_is_not_another_suppliers(client, session, app):
    from supplychain.services.core import attachments
    from supplychain.services.portal import upload_stash

    files = attachments.Store.from_settings(app.config, app.instance_path)
    token = upload_stash.put_aside(files, 999999, attachments.Upload("别家的.pdf", PDF))
    assert upload_stash.take_back(files, 999999, token).filename == "别家的.pdf"
    assert upload_stash.take_back(files, 1, token) is None
    assert upload_stash.take_back(files, 999999, "../../etc/passwd") is None
    assert upload_stash.put_aside(files, 1, attachments.Upload("x.exe", b"MZ\x90\x00not a pdf")) is None

"""The upload store: type by content, size limit, names, generated storage names, sha256, access."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest

from supplychain.services.core import attachments
from tests.evidence_factories import ELF, EXE, HTML, JPEG, PDF, PNG
from tests.factories import gen_supplier

LIMIT = 1024 * 1024


@pytest.mark.parametrize(("data", "content_type", "extension"), [
    (PDF, "application/pdf", ".pdf"), (PNG, "image/png", ".png"), (JPEG, "image/jpeg", ".jpg"),
])
def test_accepted_types_are_recognised_by_content(data, content_type, extension):
    clean, problems = attachments.check_upload(attachments.Upload("scan", data), LIMIT)
    assert problems == []
    assert (clean.content_type, clean.extension) == (content_type, extension)
    assert clean.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(("data", "words"), [
    (HTML, "HTML"), (ELF, "program"), (EXE, "program"), (b"just some text", "PDF, PNG and JPEG"),
])
def test_html_and_programs_renamed_to_pdf_are_refused(data, words):
    clean, problems = attachments.check_upload(attachments.Upload("certificate.pdf", data), LIMIT)
    assert clean is None and len(problems) == 1 and words in str(problems[0])


def test_size_limit_and_empty_file():
    clean, problems = attachments.check_upload(attachments.Upload("big.pdf", PDF + b"0" * LIMIT), LIMIT)
    assert clean is None and "1 MB" in str(problems[0])
    _, exact = attachments.check_upload(attachments.Upload("ok.pdf", PDF + b"0" * (LIMIT - len(PDF))), LIMIT)
    assert exact == []
    clean, problems = attachments.check_upload(attachments.Upload("empty.pdf", b""), LIMIT)
    assert clean is None and "empty" in str(problems[0])
    assert attachments.check_upload(None, LIMIT) == (None, [])


@pytest.mark.parametrize(("sent", "shown"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\证书.pdf", "证书.pdf"),
    ("营业执照", "营业执照.pdf"),
    ("质量管理体系认证证书.PDF", "质量管理体系认证证书.PDF"),
    ("scan.png", "scan.pdf"),  # the extension follows the content
    ("..", "attachment.pdf"),
    ("/", "attachment.pdf"),
    ("a\x00b<c>.pdf", "abc.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),  # the override would show it as "invoiceexe.pdf"
    ("证书\u2067\u200b\ufeff.pdf", "证书.pdf"),  # isolates, zero-width space, byte-order mark
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_display_names_lose_path_parts_and_keep_chinese(sent, shown):
    assert attachments.display_name(sent, ".pdf") == shown


def test_store_writes_under_a_generated_name_and_records_the_digest(session, tmp_path):
    supplier = gen_supplier(session)
    store = attachments.Store(tmp_path / "uploads", LIMIT)
    clean, _ = attachments.check_upload(attachments.Upload("../../合格证.pdf", PDF), LIMIT)
    row = attachments.store(session, clean, store, supplier.id, None)
    assert row.original_name == "合格证.pdf" and row.size == len(PDF)
    assert row.content_type == "application/pdf"
    path = attachments.path_of(row, store)
    assert path.parent == tmp_path / "uploads" and path.read_bytes() == PDF
    assert row.stored_name != row.original_name and row.stored_name.endswith(".pdf")
    assert row.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [row.stored_name]  # no temporary left


def test_a_tampered_stored_name_is_never_served(session, tmp_path):
    supplier = gen_supplier(session)
    store = attachments.Store(tmp_path, LIMIT)
    clean, _ = attachments.check_upload(attachments.Upload("a.pdf", PDF), LIMIT)
    row = attachments.store(session, clean, store, supplier.id, None)
    row.stored_name = "../../etc/passwd"
    assert attachments.path_of(row, store) is None


def test_store_settings_default_to_the_instance_folder(tmp_path):
    store = attachments.Store.from_settings({"UPLOAD_FOLDER": None, "MAX_UPLOAD_MB": 20}, tmp_path)
    assert store.folder == tmp_path / "uploads" and store.max_bytes == 20 * 1024 * 1024


def test_staff_see_every_file_supplier_users_only_their_own():
    row = SimpleNamespace(supplier_id=5)
    staff = SimpleNamespace(is_authenticated=True, is_staff=True, role="auditor", supplier_id=None)
    own = SimpleNamespace(is_authenticated=True, is_staff=False, role="supplier", supplier_id=5)
    other = SimpleNamespace(is_authenticated=True, is_staff=False, role="supplier", supplier_id=6)
    assert attachments.can_view(staff, row) and attachments.can_view(own, row)
    assert not attachments.can_view(other, row) and not attachments.can_view(None, row)

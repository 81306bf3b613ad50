"""The cycle collector is paused only for the bulk load and always comes back as it was."""

from __future__ import annotations

import gc

import pytest

from supplychain.gc_pause import gc_paused


def test_paused_inside_restored_after_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():  # nested: the inner block must not switch it back on early
                pass
            assert not gc.isenabled()
            raise RuntimeError("a refused file")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_refused_spend_file_leaves_the_collector_on(session):
    from supplychain.services.purchasing import spend
    from supplychain.services.purchasing.batches import BatchRejected

    with pytest.raises(BatchRejected):
        spend.import_file(session, "spend.csv", b"external_id,amount\r\nX,-1\r\n", None)
    assert gc.isenabled()

"""`flask evaluations …`: starting a category's periodic evaluations, seeding the default schemes."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain.models import Evaluation, SchemeVersion
from tests.factories import gen_category, gen_supplier


def test_start_periodic_for_a_category_and_quarter(app, session):
    gen_category(session)
    for _ in range(2):
        gen_supplier(session, status="qualified")
    gen_supplier(session, status="registered")
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["evaluations", "start-periodic", "equipment", "2025", "--quarter", "2"])
    assert result.exit_code == 0, result.output
    assert "Started 2 evaluations, skipped 0." in result.output
    again = runner.invoke(args=["evaluations", "start-periodic", "equipment", "2025"])
    assert "Started 0 evaluations, skipped 2." in again.output and again.output.count("skipped\t") == 2
    assert session.scalar(select(func.count(Evaluation.id))) == 2


def test_start_periodic_refuses_bad_input_and_saves_nothing(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["evaluations", "start-periodic", "nothing", "1999"])
    assert result.exit_code == 1 and "category_id" in result.output and "period_year" in result.output
    both = runner.invoke(
        args=["evaluations", "start-periodic", "equipment", "2025", "--half", "1", "--quarter", "1"]
    )
    assert both.exit_code != 0
    assert session.scalar(select(func.count(Evaluation.id))) == 0


def test_seed_schemes_once(app, session):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["evaluations", "seed-schemes"])
        assert result.exit_code == 0 and "periodic.default\tv1" in result.output
    assert session.scalar(select(func.count(SchemeVersion.id))) == 2

"""Test data for contractors on project sites (issue 11, part 5)."""

from __future__ import annotations

from datetime import date

from supplychain import clock
from supplychain.models import Organisation, Supplier, TrainingSession
from tests.evidence_factories import gen_attendance, gen_training
from tests.factories import gen_organisation, gen_supplier


def gen_project(session, code: str = "PRJ-TEST", parent: Organisation | None = None, **kwargs) -> Organisation:
    """A project site (an organisation of kind "project"), under `parent` (default: the root)."""
    return gen_organisation(session, code, parent=parent, kind="project", **kwargs)


def gen_contractor(session, project: Organisation, status: str = "qualified", **overrides) -> Supplier:
    """A contractor working on the project since today, qualified (per category too) unless told otherwise."""
    overrides.setdefault("categories", ["engineering"])
    return gen_supplier(session, status=status, organisation=project, supplier_type="contractor", **overrides)


def gen_site_training(session, project: Organisation, attendances: dict[Supplier, int], topic: str = "induction",
                      held_on: date | None = None, completed: bool = True) -> TrainingSession:
    """A training session held by the project, attended by each contractor with its head count."""
    training = gen_training(session, held_on=held_on or clock.today(), topic=topic,
                            title=f"{project.code} 入场安全教育")
    training.organisation_id = project.id
    for supplier, head_count in attendances.items():
        gen_attendance(session, training, supplier, head_count=head_count, completed=completed)
    session.flush()
    return training

"""Contractors on project sites: every staff role reads the project lists, the CSV and a contractor's sites."""

from tests.contractor_factories import gen_contractor, gen_project, gen_site_training
from tests.web.access import STAFF, allow

RULES = {
    "contractors.index": {"GET": allow(STAFF)},
    "contractors.project": {"GET": allow(STAFF)},
    "contractors.qualified_csv": {"GET": allow(STAFF)},
    "contractors.sites": {"GET": allow(STAFF)},
}


def sample(session) -> dict:
    """A project site with a contractor inducted there (the isolation test names it on no other's page)."""
    project = gen_project(session, "ACCESS-PRJ")
    contractor = gen_contractor(session, project, name_zh="访问抽样施工分包有限公司")
    gen_site_training(session, project, {contractor: 12})
    return {"project_id": project.id}

"""Feature command groups (`flask suppliers …`, `flask certificates …`); one module per area."""


def FEATURE_COMMANDS() -> list:  # noqa: N802 - reads like the constant list it returns
    """The click commands of every feature module."""
    from . import certificates, suppliers

    # isort: split
    from . import disclosure, scorecards  # reports (issue 6)

    # isort: split
    from . import saq  # supplier portal (issue 5)

    # isort: split
    from . import evaluations  # evaluations and schemes (issue 4)

    # isort: split
    from . import orgs  # the group's organisations (issue 9)

    # isort: split
    from . import backup  # data safety (issue 14)

    # isort: split
    from . import api_clients  # integration (issue 10)

    # isort: split
    from . import evidence  # importing past evidence (issue 15)

    # isort: split
    from . import spend  # purchasing data (issue 10)

    # isort: split
    from . import notifications  # daily work: notifications and pledge reminders (issue 13)

    # isort: split
    from . import (
        campaigns,  # questionnaire campaigns (issue 11)
        risk,  # risk-based due diligence: inherent risk tiers (issue 11)
        screening,  # external screening (issue 11)
    )

    return [api_clients.group, notifications.group, notifications.pledges_group, suppliers.group, scorecards.group,
            disclosure.command, saq.group, certificates.group, evaluations.group, orgs.group, backup.group,
            evidence.group, spend.group, spend.receipts_group, disclosure.figures_group, risk.group, campaigns.group,
            screening.group]

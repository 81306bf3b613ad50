"""What a command prints when the service refuses it."""

from __future__ import annotations

import sys
from typing import NoReturn

import click


def exit_refused(failed) -> NoReturn:
    """A command the service refused (a ValidationFailed): roll back, print each problem as "field: message"
    on stderr and exit 1."""
    from supplychain import db

    db.session.rollback()
    for field, messages in failed.errors.items():
        for message in messages:
            click.echo(f"{field}: {message}", err=True)
    sys.exit(1)

"""Command-line interface: `flask db …`, `flask users create`, `flask demo-data`, `flask suppliers import`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from supplychain import db, migrate


def register_cli(app) -> None:
    """Attach every command group to the app."""
    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(demo_data)
    from supplychain.commands import FEATURE_COMMANDS

    for command in FEATURE_COMMANDS():
        app.cli.add_command(command)


@click.group("db", cls=AppGroup)
def db_group():
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str):
    """Migrate the database up to REVISION (default: head)."""
    migrate.upgrade(current_app.config["SQLALCHEMY_URL"], revision)


@db_group.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str):
    """Migrate the database down to REVISION (default: one step; "base" for empty)."""
    migrate.downgrade(current_app.config["SQLALCHEMY_URL"], revision)


@click.group("users", cls=AppGroup)
def users_group():
    """Accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["admin", "procurement", "reviewer", "auditor", "supplier"]))
@click.option("--name", default="")
@click.option("--supplier-id", type=int, default=None, help="For supplier users: the supplier they belong to.")
@click.option("--org", "org_code", default=None,
              help="For staff: the code of their organisation (default: the root of the group).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, name: str, supplier_id: int | None, org_code: str | None,
                 password_stdin: bool):
    """Create an account (prompts for the password unless --password-stdin)."""
    from supplychain import scope
    from supplychain.commands.refused import exit_refused
    from supplychain.errors import ValidationFailed
    from supplychain.services.core import users

    organisation = None
    if role != "supplier":
        organisation = scope.organisation_by_code(db.session, org_code) if org_code else scope.root(db.session)
        if organisation is None:
            click.echo(f"organisation_id: unknown organisation {org_code or '(no root organisation)'}", err=True)
            sys.exit(1)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(db.session, users.UserData(email=email, role=role, name=name,
                                                            supplier_id=supplier_id,
                                                            organisation_id=organisation.id if organisation else None),
                                 password, actor=None)
    except ValidationFailed as failed:
        exit_refused(failed)
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@click.command("demo-data")
@with_appcontext
@click.option("--suppliers", "count", default=120, show_default=True,
              help="How many random suppliers to create (the named demo contractors come on top).")
@click.option("--seed", default=2024, show_default=True, help="Random seed: the same seed gives the same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when suppliers already exist.")
def demo_data(count: int, seed: int, if_empty: bool):
    """Load deterministic, realistic demo data and print the demo accounts' generated passwords."""
    from supplychain.services.demo_data import demo

    result = demo.load(db.session, count=count, seed=seed, home_province=current_app.config["HOME_PROVINCE"],
                       company_name=current_app.config.get("COMPANY_NAME"),
                       if_empty=if_empty)
    db.session.commit()
    if result is None:
        click.echo("Demo data already present: nothing loaded.")
        return
    click.echo(f"Loaded {result.supplier_count} demo suppliers.")
    click.echo("Demo accounts (passwords are shown only now):")
    for email, role, password in result.accounts:
        click.echo(f"  {role:<24} {email:<28} {password}")

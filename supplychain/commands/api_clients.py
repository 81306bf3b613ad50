"""`flask api-clients …`: create, list, rotate and revoke API clients from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

group = AppGroup("api-clients", help="API clients of procurement platforms and ERPs.")


def _fail(errors: dict) -> None:
    for field, messages in errors.items():
        for message in messages:
            click.echo(f"{field}: {message}", err=True)
    raise SystemExit(1)


@group.command("create")
@click.argument("name")
@click.option("--scopes", required=True,
              help="Comma- or space-separated, e.g. suppliers:read,changes:read,purchase-checks:write.")
@click.option("--org", "org_code", default="", help="Code of the organisation whose subtree the client sees.")
@click.option("--rate-limit", type=int, default=600, show_default=True, help="Calls per minute.")
def create(name: str, scopes: str, org_code: str, rate_limit: int):
    """Create an API client and print its token (shown only this once)."""
    from supplychain import db
    from supplychain.errors import ValidationFailed
    from supplychain.services.integration import api_clients

    data = api_clients.ClientData(name=name, scopes=scopes.replace(",", " ").split(), organisation_code=org_code,
                                  rate_limit=rate_limit)
    try:
        client, token = api_clients.create_client(db.session, data, None)
    except ValidationFailed as failed:
        db.session.rollback()
        _fail(failed.errors)
    db.session.commit()
    click.echo(f"API client {client.name} (id {client.id}) created; the token is shown only once:", err=True)
    click.echo(token)


@group.command("list")
def list_clients():
    """One tab-separated line per client: id, name, scopes, organisation, state, token prefix."""
    from supplychain import db
    from supplychain.services.integration import api_clients

    for client in api_clients.list_clients(db.session):
        click.echo("\t".join((str(client.id), client.name, ",".join(client.scope_list),
                              client.organisation.code if client.organisation else "-",
                              "active" if client.active else "revoked", client.token_prefix)))


def _by_name(name: str):
    from sqlalchemy import select

    from supplychain import db
    from supplychain.models import ApiClient

    client = db.session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        click.echo(f"name: no API client named {name}", err=True)
        raise SystemExit(1)
    return client


@group.command("rotate")
@click.argument("name")
def rotate(name: str):
    """Issue a new token for the client (the old one stops working) and print it."""
    from supplychain import db
    from supplychain.services.integration import api_clients

    token = api_clients.rotate(db.session, _by_name(name), None)
    db.session.commit()
    click.echo(token)


@group.command("revoke")
@click.argument("name")
def revoke(name: str):
    """Stop the client's token from working."""
    from supplychain import db
    from supplychain.services.integration import api_clients

    api_clients.revoke(db.session, _by_name(name), None)
    db.session.commit()
    click.echo(f"API client {name} revoked.", err=True)

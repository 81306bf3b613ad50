"""`flask suppliers …`: the supplier registry from the command line."""

import click

group = click.Group("suppliers", help="The supplier registry.")

"""The CLI's command groups, one module per area; ``opsdesk.cli`` registers each in AREAS."""

from __future__ import annotations

import click

AREAS: list[click.Command] = []
"""Every area group, in the order ``opsdesk --help`` lists them."""

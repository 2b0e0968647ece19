"""The CLI's command groups, one module per area; ``opsdesk.cli`` registers each in AREAS."""

from __future__ import annotations

import click

AREAS: list[click.Command] = []
"""Every area group, in the order ``opsdesk --help`` lists them."""

from opsdesk.commands.feedback import feedback as _feedback  # noqa: E402

AREAS.append(_feedback)

from opsdesk.commands.experiments import experiments as _experiments  # noqa: E402

AREAS.append(_experiments)

from opsdesk.commands.launches import launches as _launches  # noqa: E402

AREAS.append(_launches)

from opsdesk.commands.contacts import contacts as _contacts  # noqa: E402
from opsdesk.commands.imports import import_group as _import_group  # noqa: E402

AREAS.append(_contacts)
AREAS.append(_import_group)

from opsdesk.commands.export import export_group as _export_group  # noqa: E402

AREAS.append(_export_group)

from opsdesk.commands.backup import backup as _backup  # noqa: E402
from opsdesk.commands.backup import restore as _restore  # noqa: E402

AREAS.append(_backup)
AREAS.append(_restore)

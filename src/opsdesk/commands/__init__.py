"""The CLI's command groups, one module per area, loaded when they are used.

``opsdesk`` alone opens the app, and ``opsdesk feedback add`` needs only the feedback area:
importing every area (exports, imports, launches...) up front would slow each start for
nothing. :class:`LazyAreas` lists the areas by name and imports one only when it runs or
when help lists them.
"""

from __future__ import annotations

import importlib

import click

AREAS: dict[str, str] = {
    "feedback": "opsdesk.commands.feedback:feedback",
    "experiments": "opsdesk.commands.experiments:experiments",
    "launches": "opsdesk.commands.launches:launches",
    "contacts": "opsdesk.commands.contacts:contacts",
    "import": "opsdesk.commands.imports:import_group",
    "export": "opsdesk.commands.export:export_group",
    "report": "opsdesk.commands.export:markdown_command",
    "backup": "opsdesk.commands.backup:backup",
    "restore": "opsdesk.commands.backup:restore",
}
"""Every area's command by name (``opsdesk --help`` lists all commands alphabetically)."""


def load_area(name: str) -> click.Command:
    """Import the module that defines the area ``name`` and return its command."""
    module_name, attribute = AREAS[name].split(":")
    command: click.Command = getattr(importlib.import_module(module_name), attribute)
    return command


class LazyAreas(click.Group):
    """A click group whose area commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *AREAS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in AREAS:
            return load_area(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Resolve as click does, but offer every command's name for a typo.

        click suggests only from the commands it holds, which leaves out the areas loaded
        lazily: 'opsdesk launch list' or 'opsdesk contact check' said "No such command"
        with no hint, where a subcommand typo ('feedback lst') got "Did you mean 'list'?".
        """
        name = args[0] if args else ""
        if (
            name
            and not name.startswith("-")
            and not ctx.resilient_parsing
            and self.get_command(ctx, name) is None
        ):
            raise click.NoSuchCommand(name, possibilities=self.list_commands(ctx), ctx=ctx)
        return super().resolve_command(ctx, args)

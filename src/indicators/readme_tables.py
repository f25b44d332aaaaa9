"""The README's tables of pages, settings and commands, generated from the declarations: the
table of pages (ui/router.py), the settings (settings.py) and the `indicators` command itself
(the click objects that `indicators --help` prints). `indicators docs` writes them between
the README's markers; a test fails when the README differs."""

from __future__ import annotations

import re

import click

from indicators import settings

MARKERS = {
    "pages": ("<!-- generated: pages (indicators docs) -->", "<!-- end: pages -->"),
    "configuration": ("<!-- generated: configuration (indicators docs) -->",
                      "<!-- end: configuration -->"),
    "commands": ("<!-- generated: commands (indicators docs) -->", "<!-- end: commands -->"),
}
# Options every command has, explained once above the table.
COMMON_OPTIONS = ("db_path", "help")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def pages_table() -> str:
    from indicators.ui import router  # imports Streamlit: only when the docs are written

    rows = ["| page | path | what it shows |", "|---|---|---|"]
    rows += [f"| {r.title} | `{r.url}` | {_cell(r.summary)} |" for r in router.ROUTES]
    return "\n".join(rows)


def configuration_table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.default_text} | {_cell(s.meaning)} |"
             for s in settings.SETTINGS]
    return "\n".join(rows)


def _option_usage(opt: click.Option) -> str:
    name = max(opt.opts, key=len)
    if opt.is_flag:
        text = name
    elif isinstance(opt.type, click.Choice):
        text = f"{name} {'|'.join(str(c) for c in opt.type.choices)}"
    else:
        text = f"{name} {opt.metavar or opt.type.name.upper()}"
    return text if opt.required else f"[{text}]"


def usage(name: str, command: click.Command) -> str:
    """`indicators import FILE [--kind rates|figures] …`, common options left out."""
    parts = [f"indicators {name}"]
    for param in command.params:
        if param.name in COMMON_OPTIONS:
            continue
        if isinstance(param, click.Argument):
            parts.append(param.make_metavar(click.Context(command)))
        elif isinstance(param, click.Option):
            parts.append(_option_usage(param))
    return " ".join(parts)


def description(command: click.Command) -> str:
    """The command's help text on one line (click's \\b markers dropped)."""
    text = (command.help or "").replace("\b", "")
    return re.sub(r"\s+", " ", text).strip()


def commands_table(group: click.Group | None = None) -> str:
    if group is None:
        from indicators.cli import main as group
    rows = ["| command | what it does |", "|---|---|"]
    for name, command in group.commands.items():
        rows.append(f"| `{_cell(usage(name, command))}` | {_cell(description(command))} |")
    return "\n".join(rows)


def tables() -> dict[str, str]:
    return {"pages": pages_table(), "configuration": configuration_table(),
            "commands": commands_table()}


def render(readme: str) -> str:
    """The README with every generated table replaced by its current text."""
    for key, table in tables().items():
        start, end = MARKERS[key]
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        if not pattern.search(readme):
            raise ValueError(f"README has no {start} … {end} markers")
        readme = pattern.sub(lambda _m, s=start, t=table, e=end: f"{s}\n{t}\n{e}", readme)
    return readme

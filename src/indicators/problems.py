"""A problem found in an input: where it is, what was there, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    line: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        head = ", ".join(where) or "file"
        got = f": value {self.value!r}" if self.value is not None else ""
        return f"{head}{got}: expected {self.expected}"


def summarise(problems: list[Problem], cap: int = 200) -> list[str]:
    """Every problem up to the cap, then a count of the rest."""
    lines = [str(p) for p in problems[:cap]]
    if len(problems) > cap:
        lines.append(f"... and {len(problems) - cap} more problem(s) not shown")
    return lines

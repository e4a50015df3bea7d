"""Pydantic's verdict in words: how a ValidationError becomes one user-facing message (and
the one rule for a project id, which the settings and the profiles file both check).

Settings, TOML files, request parameters and API bodies are all validated by pydantic;
each names the first problem the same way, in its own sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

# A project id, as the settings and the profiles file both take it.
PROJECT_ID_RE = re.compile(r"^[A-Za-z0-9]{32}$")


@dataclass(frozen=True)
class Problem:
    """The first thing pydantic found wrong.

    `location` is the path to the value (empty for the whole input), `message` pydantic's
    words without its "Value error, " prefix, `kind` its error type (`json_invalid`, ...).
    """

    location: tuple[str, ...]
    message: str
    kind: str

    @property
    def where(self) -> str:
        """The location as a dotted path, e.g. `profiles.prod.project_id` ('' at the top)."""
        return ".".join(self.location)


def first_problem(error: ValidationError) -> Problem:
    """The first problem of `error`, the one a one-line message names."""
    first = error.errors()[0]
    return Problem(
        location=tuple(str(part) for part in first["loc"]),
        message=str(first["msg"]).removeprefix("Value error, "),
        kind=first["type"],
    )

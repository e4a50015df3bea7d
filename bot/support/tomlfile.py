"""Reading the TOML files a team keeps beside the environment, with one clear error each."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot import messages
from bot.errors import ConfigError
from bot.support.error_words import words_of
from bot.support.validation import first_problem

Model = TypeVar("Model", bound=BaseModel)


def read_toml(path: str, *, variable: str, shape: str) -> dict[str, Any]:
    """The parsed file named by `variable`; ConfigError if it is missing or not TOML."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(messages.file_missing(variable, path), messages.FIX_THE_PATH) from None
    except OSError as error:  # the system's words ("Is a directory"), not Python's [Errno N]
        reason = error.strerror or words_of(error)
    except UnicodeDecodeError:
        reason = messages.NOT_UTF8_TEXT
    except tomllib.TOMLDecodeError as error:  # TOML's words, with the line and column
        reason = words_of(error)
    raise ConfigError(
        messages.file_unreadable(variable, path, reason), messages.must_be_toml_with(shape)
    )


def validated(model: type[Model], data: dict[str, Any], *, path: str, hint: str) -> Model:
    """`data` as `model`; the first problem becomes a ConfigError naming where it is."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        raise ConfigError(f"{path}: {problem.where}: {problem.message}", hint) from None

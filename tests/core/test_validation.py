"""Pydantic's first problem, read once for every one-line message."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError, field_validator

from bot.support.validation import first_problem


class Inner(BaseModel):
    port: int


class Outer(BaseModel):
    name: str
    inner: Inner

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("a name is letters only")
        return value


def problem_of(data: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Outer.model_validate(data)
    return caught.value


def test_the_first_problem_is_named_by_its_dotted_path() -> None:
    problem = first_problem(problem_of({"name": "ok", "inner": {"port": "x"}}))
    assert problem.location == ("inner", "port")
    assert problem.where == "inner.port"
    assert problem.kind == "int_parsing"


def test_a_validators_own_words_come_without_pydantics_prefix() -> None:
    problem = first_problem(problem_of({"name": "a1", "inner": {"port": 1}}))
    assert (problem.where, problem.message) == ("name", "a name is letters only")


def test_garbled_json_is_a_problem_of_the_whole_input() -> None:
    with pytest.raises(ValidationError) as caught:
        Outer.model_validate_json('{"name": ')
    problem = first_problem(caught.value)
    assert (problem.where, problem.kind) == ("", "json_invalid")

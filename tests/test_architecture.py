"""The map in ARCHITECTURE.md stays true: every import in bot/ points the way it says.

Read statically by tests/house.py (every `import` and `from ... import` of every module,
lazy ones inside functions included), so an arrow drawn the wrong way fails here before
anyone runs it; so do a floor too many and a module loose between the rooms.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

import bot.errors
from tests.house import (
    ALL,
    BOT,
    MAY_IMPORT,
    allowed,
    floors,
    imports_of,
    loose_modules,
    ours,
    room_of,
)

ARCHITECTURE = BOT.parent / "ARCHITECTURE.md"
BENCH = BOT.parent / "bench"
MAX_FLOORS, MAX_LOOSE = 8, 5

# Libraries that do I/O or belong to one adapter: the core uses none of them.
FRAMEWORKS = (
    "httpx", "aiohttp", "slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "starlette",
    "uvicorn", "prometheus_client", "h11", "psycopg", "pymysql", "sqlite3",
)  # fmt: skip
# What Block Kit views may use of the Slack room: the blocks, the button state, each other.
VIEWS_MAY_USE = ("bot.slack.blocks", "bot.slack.button_state", "bot.slack.views")


@pytest.mark.parametrize("module", sorted(ALL))
def test_imports_point_the_way_architecture_md_draws_them(module: str) -> None:
    wrong = sorted(imported for imported in ours(module) if not allowed(module, imported))
    assert not wrong, f"{module} ({room_of(module)}) may not import {wrong}: see ARCHITECTURE.md"


def test_every_module_has_a_rule_and_no_rule_says_anything() -> None:
    """A module outside every room (a loose one at the top level) needs its own line in the
    map; and no line lets a room import the whole package."""
    ruleless = sorted(module for module in ALL if module != "bot" and room_of(module) == "bot")
    assert not ruleless, f"give these a line in the map (tests/house.py): {ruleless}"
    for room, rules in MAY_IMPORT.items():
        assert "bot" not in rules, f"{room} may import anything"
        unknown = [rule for rule in rules if rule not in MAY_IMPORT and rule not in ALL]
        assert not unknown, f"{room}'s rule names no room or module: {unknown}"


def test_the_house_has_few_floors_and_few_loose_modules() -> None:
    """Rooms import only rooms below them (no two import each other, the core's own rooms
    neither), in at most MAX_FLOORS floors; at most MAX_LOOSE modules stand between rooms."""
    assert max(floors().values()) <= MAX_FLOORS, floors()
    floors(house=False)  # raises if two rooms, the core's included, import each other
    assert len(loose_modules()) <= MAX_LOOSE, loose_modules()


@pytest.mark.parametrize("module", sorted(m for m in ALL if room_of(m).startswith("bot.core")))
def test_the_core_uses_no_io_framework(module: str) -> None:
    used = {name.split(".")[0] for name in imports_of(ALL[module], module)}
    assert not used & set(FRAMEWORKS), f"{module} uses {sorted(used & set(FRAMEWORKS))}"


@pytest.mark.parametrize("module", sorted(m for m in ALL if m.startswith("bot.slack.views")))
def test_views_are_pure_and_never_reach_slack_or_upstream(module: str) -> None:
    """Block Kit views turn values into blocks: no delivery, no Web API, no engine call."""
    reaching = sorted(
        name
        for name in ours(module)
        if room_of(name) == "bot.slack" and not name.startswith(VIEWS_MAY_USE)
    )
    assert not reaching, f"{module} reaches {reaching}"
    used = {name.split(".")[0] for name in imports_of(ALL[module], module)}
    assert not used & set(FRAMEWORKS), f"{module} uses {sorted(used & set(FRAMEWORKS))}"


def test_only_the_cli_and_the_app_itself_reach_into_the_composition_root() -> None:
    reaching = {
        module
        for module, path in ALL.items()
        if room_of(module) != "bot.app"
        and any(name.startswith("bot.app") for name in imports_of(path, module))
    }
    assert reaching == {"bot.cli"}


def test_only_the_app_loads_the_simulator() -> None:
    loading = {
        room_of(module)
        for module, path in ALL.items()
        if room_of(module) != "bot.huawei.simulator"
        and any(name.startswith("bot.huawei.simulator") for name in imports_of(path, module))
    }
    assert loading <= {"bot.app"}


@pytest.mark.parametrize("path", sorted(BENCH.glob("*.py")), ids=lambda path: path.name)
def test_benchmarks_import_no_test_fixtures(path: Path) -> None:
    """bench/ and tests/ share the fakes (tests/fakes/), never pytest's conftest modules."""
    imported = imports_of(path, f"bench.{path.stem}")
    assert not {name for name in imported if "conftest" in name}


def test_architecture_md_names_every_room_and_every_rule() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for room in MAY_IMPORT:
        if room in ("bot", "bot.__main__"):
            continue
        shown = room.replace(".", "/")
        assert f"`{shown}" in text, f"ARCHITECTURE.md does not describe {room}"
        for rule in MAY_IMPORT[room]:
            assert f"`{rule.replace('.', '/')}" in text, f"ARCHITECTURE.md misses {rule}"
    for package in sorted(
        {m for m in ALL if m.count(".") == 1 and (BOT / m.split(".")[1]).is_dir()}
    ):
        assert f"`{package.replace('.', '/')}/" in text, f"ARCHITECTURE.md misses {package}"


def test_every_error_backupbot_raises_on_purpose_is_in_the_error_tree() -> None:
    exceptions = {
        name for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    } | {name for name, value in vars(bot.errors).items() if isinstance(value, type)}  # fmt: skip
    outside = sorted(
        f"{module}.{node.name}"
        for module, path in ALL.items()
        if module != "bot.errors"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id in exceptions for base in node.bases)
    )
    assert not outside, f"define these in bot/errors.py, in its tree: {outside}"


ERROR_CLASSES = {name for name, value in vars(bot.errors).items() if isinstance(value, type)}


def _names(node: ast.expr) -> set[str]:
    """The class names an `except` or an `isinstance` names (`A`, `A | B`, `(A, B)`)."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Tuple):
        return {name for element in node.elts for name in _names(element)}
    if isinstance(node, ast.BinOp):
        return _names(node.left) | _names(node.right)
    return set()


@pytest.mark.parametrize("module", sorted(ALL))
def test_callers_catch_one_class_of_the_error_tree_and_never_ask_isinstance(module: str) -> None:
    """The tree groups what callers handle alike (a delivery group, a storage group): a
    tuple of its classes, or an `isinstance` among them, means a group is missing."""
    found = []
    for node in ast.walk(ast.parse(ALL[module].read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ExceptHandler)
            and isinstance(node.type, ast.Tuple)
            and _names(node.type) & ERROR_CLASSES
        ):
            found.append(f"line {node.lineno}: except {ast.unparse(node.type)}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "isinstance"
            and len(node.args) == 2
            and _names(node.args[1]) & ERROR_CLASSES
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not found, f"{module}: {found}"


@pytest.mark.parametrize("module", sorted(m for m in ALL if room_of(m) == "bot.slack"))
def test_only_the_web_api_boundary_names_slacks_and_the_networks_errors(module: str) -> None:
    """Slack's failures are translated once, in `bot.slack.webapi.slack_errors`."""
    if module == "bot.slack.webapi":
        return
    source = ALL[module].read_text(encoding="utf-8")
    named = {"slack_sdk.errors"} & imports_of(ALL[module], module)
    assert not named
    assert "aiohttp.ClientError" not in source
    assert "SlackApiError" not in source

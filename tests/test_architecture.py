"""The map in ARCHITECTURE.md stays true: every import in bot/ points the way it says.

Read statically (every `import` and `from ... import` of every module, lazy ones inside
functions included), so an arrow drawn the wrong way fails here before anyone runs it.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

import bot.errors

BOT = Path(__file__).resolve().parent.parent / "bot"
ARCHITECTURE = BOT.parent / "ARCHITECTURE.md"

# Libraries that do I/O or belong to one adapter: the core uses none of them.
FRAMEWORKS = (
    "httpx", "aiohttp", "slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "starlette",
    "uvicorn", "prometheus_client", "h11", "psycopg", "pymysql", "sqlite3",
)  # fmt: skip
# What the schedule room shows the Slack room: values, the outbox it implements, the
# scheduler's front door and pure timing; never the store's tables or the rounds' insides.
SCHEDULE_FACES = ("bot.schedule.store", "bot.schedule.outbox", "bot.schedule.scheduler",
                  "bot.schedule.timing")  # fmt: skip

# room -> rooms of bot/ it may import (besides itself and the standard library)
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "bot.messages": (),  # the words: a leaf, which every room may import
    "bot.errors": (),
    "bot.support": ("bot.errors",),
    "bot.core": ("bot.errors", "bot.support.validation", "bot.support.zones"),
    "bot.huawei": ("bot", "bot.core", "bot.errors", "bot.config", "bot.support"),
    "bot.huawei.simulator": ("bot.core", "bot.errors", "bot.config", "bot.huawei", "bot.support"),
    "bot.schedule": ("bot.core", "bot.errors", "bot.support"),
    "bot.slack": ("bot.core", "bot.errors", "bot.support", "bot.metrics", *SCHEDULE_FACES),
    "bot.app": ("bot",),  # the composition root: everything
    "bot.cli": ("bot", "bot.app", "bot.config", "bot.core", "bot.errors"),
}


def room_of(module: str) -> str:
    """The room a module lives in: the most specific key of MAY_IMPORT that holds it."""
    rooms = sorted((r for r in MAY_IMPORT if module == r or module.startswith(r + ".")), key=len)
    return rooms[-1] if rooms else module


def modules() -> dict[str, Path]:
    found = {}
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(path: Path, module: str) -> set[str]:
    """Every module `module` imports, relative imports resolved."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def allowed(importer: str, imported: str) -> bool:
    room = room_of(importer)
    if imported == room or imported.startswith(room + "."):
        return True
    rules = MAY_IMPORT.get(room)
    if rules is None:
        return (
            True  # small top-level modules (config, logs, access, ...): judged by who imports them
        )
    if "bot" in rules:  # may import any room
        return True
    if imported in ("bot", "bot.messages"):  # `from bot import messages`: the words, anywhere
        return True
    return any(imported == allowed or imported.startswith(allowed + ".") for allowed in rules)


ALL = modules()


@pytest.mark.parametrize("module", sorted(ALL))
def test_imports_point_the_way_architecture_md_draws_them(module: str) -> None:
    wrong = sorted(
        imported
        for imported in imports_of(ALL[module], module)
        if imported.startswith("bot") and imported in ALL and not allowed(module, imported)
    )
    assert not wrong, f"{module} ({room_of(module)}) may not import {wrong}: see ARCHITECTURE.md"


@pytest.mark.parametrize("module", sorted(m for m in ALL if room_of(m) == "bot.core"))
def test_the_core_uses_no_io_framework(module: str) -> None:
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


def test_architecture_md_names_every_room_and_every_rule() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for room in MAY_IMPORT:
        assert f"`{room.replace('.', '/')}" in text, f"ARCHITECTURE.md does not describe {room}"
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

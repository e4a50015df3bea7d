"""The house as its imports draw it: the rooms of bot/, what each may import, and its floors.

`python -m tests.house` prints every room on its floor with the rooms it imports, then the
loose modules at the top level: the count ARCHITECTURE.md states, reproduced from the
code. tests/test_architecture.py holds the code to the map.

Read statically (every `import` and `from ... import` of every module, lazy ones inside
functions included). A module's room is the most specific room of MAY_IMPORT that holds
it; a room's floor is 1 for a room that imports no other, else one above the highest
floor it imports (the words, `bot.messages`, and the package itself count as rooms too).
The house's floors count the core as one room, as the map draws it; its own rooms
(values, then language and health, then answering) are floors inside it, counted apart.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"

# What the schedule room shows the Slack room: values and the store's parts, the outbox it
# implements, the scheduler's front door and pure timing; never the store's tables or
# the rounds' insides.
SCHEDULE_FACES = ("bot.schedule.store", "bot.schedule.outbox", "bot.schedule.scheduler",
                  "bot.schedule.timing", "bot.schedule.backup_actions")  # fmt: skip
CORE = (
    "bot.core",
    "bot.core.language",
    "bot.core.answering",
    "bot.core.health",
    "bot.core.restore",
)

# room -> what of bot/ it may import besides itself: rooms (a key of this map), or single
# modules of a room (its faces). `bot.messages` (the words) and `bot` (the package, for
# its version) every room may import.
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "bot": (),
    "bot.messages": (),
    "bot.errors": (),
    "bot.metrics": (),
    "bot.support": ("bot.errors",),
    "bot.config": ("bot.errors", "bot.support"),
    # The shared values of the core (a backup, a query, the API's parameters, the clock,
    # the source port, amounts as people read them, single flight).
    "bot.core": ("bot.errors", "bot.support.validation", "bot.support.zones"),
    "bot.core.language": (
        "bot.core",
        "bot.core.restore.question",
        "bot.errors",
        "bot.support.zones",
    ),
    "bot.core.health": ("bot.core", "bot.errors"),
    "bot.core.restore": ("bot.core", "bot.errors"),
    "bot.core.answering": (
        "bot.core",
        "bot.core.language",
        "bot.core.health",
        "bot.core.restore",
        "bot.errors",
    ),
    "bot.huawei": (
        "bot.core",
        "bot.core.health.instances",
        "bot.core.language.lexicon",
        "bot.core.restore",
        "bot.errors",
        "bot.support",
    ),
    "bot.huawei.simulator": ("bot.core", "bot.errors", "bot.huawei", "bot.support.serving"),
    "bot.schedule": (*CORE, "bot.errors", "bot.support"),
    "bot.slack": (*CORE, "bot.errors", "bot.support", "bot.metrics", *SCHEDULE_FACES),
    # The composition root: every room but the command line.
    "bot.app": (
        *CORE,
        "bot.config",
        "bot.errors",
        "bot.huawei",
        "bot.huawei.simulator",
        "bot.metrics",
        "bot.schedule",
        "bot.slack",
        "bot.support",
    ),
    "bot.cli": ("bot.app", "bot.config", "bot.core.language", "bot.errors", "bot.support"),
    "bot.__main__": ("bot.cli",),
}
ANYWHERE = ("bot", "bot.messages")


def room_of(module: str) -> str:
    """The room a module lives in: the most specific key of MAY_IMPORT that holds it."""
    rooms = sorted((r for r in MAY_IMPORT if module == r or module.startswith(r + ".")), key=len)
    return rooms[-1] if rooms else module


def modules() -> dict[str, Path]:
    """Every module of bot/ by its dotted name."""
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


ALL = modules()


def ours(module: str) -> set[str]:
    """The modules of bot/ that `module` imports."""
    return {name for name in imports_of(ALL[module], module) if name in ALL}


def allowed(importer: str, imported: str) -> bool:
    """Whether the map lets `importer` import `imported`."""
    room, target = room_of(importer), room_of(imported)
    if target == room or target in ANYWHERE:
        return True
    rules = MAY_IMPORT[room]
    return target in rules or any(
        imported == face or imported.startswith(face + ".")
        for face in rules
        if face not in MAY_IMPORT
    )


def house_room(module: str) -> str:
    """The room of the house a module is in: the core's rooms are the core's."""
    room = room_of(module)
    return "bot.core" if room.startswith("bot.core.") else room


@cache
def room_imports(*, house: bool = True) -> dict[str, frozenset[str]]:
    """Each room and the other rooms its modules import (`house`: the core as one room)."""
    of = house_room if house else room_of
    found: dict[str, set[str]] = {of(room): set() for room in MAY_IMPORT}
    for module in ALL:
        room = of(module)
        found[room].update(of(name) for name in ours(module) if of(name) != room)
    return {room: frozenset(rooms) for room, rooms in found.items()}


def floors(*, house: bool = True) -> dict[str, int]:
    """Each room's floor; ValueError for rooms that import each other (no floor is theirs)."""
    graph = room_imports(house=house)
    found: dict[str, int] = {}

    def floor(room: str, path: tuple[str, ...]) -> int:
        if room in path:
            raise ValueError(f"rooms import each other: {' -> '.join((*path, room))}")
        if room not in found:
            below = [floor(other, (*path, room)) for other in graph[room]]
            found[room] = 1 + max(below, default=0)
        return found[room]

    for room in graph:
        floor(room, ())
    return found


def loose_modules() -> list[str]:
    """The modules at the top level of bot/, between the rooms (the package's own aside)."""
    return sorted(path.stem for path in BOT.glob("*.py") if path.name != "__init__.py")


def main() -> None:
    """Print the floors, each room with what it imports, the core's inner floors, and the
    loose modules."""
    graph, levels = room_imports(), floors()
    for room in sorted(levels, key=lambda room: (levels[room], room)):
        print(f"floor {levels[room]}: {room:22} imports {', '.join(sorted(graph[room])) or '-'}")
    inner = floors(house=False)
    core = {room: inner[room] - inner["bot.core"] + 1 for room in CORE}
    rooms = ", ".join(f"{room} {core[room]}" for room in sorted(core, key=core.__getitem__))
    loose = loose_modules()
    print(f"{max(levels.values())} floors; inside the core: {rooms}")
    print(f"{len(loose)} loose modules: {', '.join(loose)}")


if __name__ == "__main__":
    main()

"""Every sentence a person reads lives in bot/messages/, and every word there is used.

Read statically: a string literal of three words or more (an f-string's constant parts
read together) in a module in SCOPE fails here, unless it is a docstring, an argument of
a logging call, or in ALLOWED with the reason it is not a sentence for people.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
MESSAGES = BOT / "messages"
# The package: one module per room, and __init__; catalogue.py is the machinery, not words.
WORDS = sorted(set(MESSAGES.glob("*.py")) - {MESSAGES / "catalogue.py"})

# Modules whose words were moved; add a module here once its sentences are in bot/messages/.
SCOPE = (
    "core/*.py",
    "core/*/*.py",
    "errors.py",
    "slack/access.py",
    "huawei/explanations.py",
    "huawei/inventory.py",
    "huawei/transport.py",
    "huawei/profiles.py",
    "slack/*.py",
    "slack/views/*.py",
    "app/*.py",
    "app/demo.py",
    "cli.py",
    "config.py",
    "support/tomlfile.py",
    "support/zones.py",
    "support/validation.py",
    "schedule/*.py",
    "schedule/store/*.py",
    "huawei/client.py",
    "huawei/regions.py",
    "huawei/credentials/*.py",
    "support/secretfile.py",
)

STATE_VALUE = "a State's value: stored in the incidents table"
# (module, literal) -> why it stays: not a sentence shown to a person.
ALLOWED: dict[tuple[str, str], str] = {
    ("core/health/reports.py", "instance not normal"): STATE_VALUE,
    ("core/health/reports.py", "no backups at all"): STATE_VALUE,
    ("core/health/reports.py", "failed after retry"): STATE_VALUE,
    ("core/health/reports.py", "no automated backups"): STATE_VALUE,
    ("huawei/transport.py", "unreachable: the loop returns or raises"): "an assertion's, for us",
    ("app/logs.py", "%(asctime)s %(levelname)s %(name)s: %(message)s"): "a log line's format",
    ("schedule/timing.py", "a daily schedule is due within two days"): "an assertion's, for us",
    ("schedule/store/transactions.py", "unreachable: the last attempt returns or raises"): (
        "an assertion's, for us"
    ),
    ("schedule/schema.py", "the store keeps instants: give a timezone-aware datetime"): (
        "a programming error's: the code passed a naive datetime"
    ),
    ("schedule/database.py", "PRAGMA foreign_keys = ON"): "SQL, for SQLite",
    ("huawei/credentials/metadata.py", "Please configure Cloud Service Agency first"): (
        "the metadata service's words, looked for in its answers as the SDK does"
    ),
    ("schedule/migrate.py", "SELECT MAX(version) FROM schema_version"): "SQL, for the database",
}

LOGGING_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
WORD = re.compile(r"[A-Za-z]{2,}")  # "%H:%M" and "{}" are not words; "a" need not be one


# Modules whose literals are the language's own grammar (syntax, examples): never translated,
# so never words for bot/messages/.
GRAMMAR = {"core/language/help.py": "the syntax of each command and the help's examples"}


def in_scope() -> list[Path]:
    found = {path for pattern in SCOPE for path in BOT.glob(pattern)}
    return sorted(found - set(WORDS) - {BOT / module for module in GRAMMAR})


def _skipped(tree: ast.Module) -> set[int]:
    """Nodes that may hold words: docstrings (and bare strings documenting a name), logs."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOGGING_CALLS
        ):
            for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
                skipped.update(id(inner) for inner in ast.walk(argument))
    return skipped


def sentences(path: Path) -> list[tuple[int, str]]:
    """The literals of three words or more in `path` that are not skipped."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _skipped(tree)
    parts = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for value in node.values}  # fmt: skip
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(value.value) if isinstance(value, ast.Constant) else "{}"
                for value in node.values
            )
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts
        ):
            text = node.value
        else:
            continue
        if sum(1 for word in text.split() if WORD.search(word)) >= 3:
            found.append((node.lineno, text))
    return found


@pytest.mark.parametrize("path", in_scope(), ids=lambda path: str(path.relative_to(BOT)))
def test_no_sentence_lives_outside_messages(path: Path) -> None:
    module = str(path.relative_to(BOT))
    left = [
        f"{module}:{line}: {text!r}"
        for line, text in sentences(path)
        if (module, text) not in ALLOWED
    ]
    assert not left, "move these to bot/messages/:\n" + "\n".join(left)


def test_the_allowlist_names_only_literals_that_are_there() -> None:
    present = {
        (str(path.relative_to(BOT)), text) for path in in_scope() for _, text in sentences(path)
    }
    assert set(ALLOWED) <= present, f"stale entries: {sorted(set(ALLOWED) - present)}"


def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _defined(tree: ast.Module) -> set[str]:
    """The words a module of bot/messages/ defines: its constants and functions."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    } | {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_word_in_messages_is_used() -> None:
    trees = [_parsed(path) for path in WORDS]
    defined = set().union(*(_defined(tree) for tree in trees))
    used: set[str] = set()
    for path in BOT.rglob("*.py"):
        if path.parent == MESSAGES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "messages":
                    used.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.module == "bot.messages":
                used.update(alias.name for alias in node.names)
    # A word only used in another of the package's sentences is used too.
    inside = {
        node.id
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    unused = sorted(name for name in defined - used - inside if not name.startswith("__"))
    assert not unused, f"bot/messages/ holds words nothing uses: {unused}"


def test_no_word_is_defined_in_two_modules() -> None:
    """`messages.X` is whichever module __init__ re-exports last: a twin would hide one."""
    seen: dict[str, str] = {}
    twins = []
    for path in WORDS:
        for name in sorted(_defined(_parsed(path))):
            if name in seen:
                twins.append(f"{name}: {seen[name]} and {path.name}")
            seen[name] = path.name
    assert not twins, twins


def test_the_package_re_exports_every_module() -> None:
    re_exported = {
        node.module
        for node in ast.walk(_parsed(MESSAGES / "__init__.py"))  # for mypy: under TYPE_CHECKING
        if isinstance(node, ast.ImportFrom) and [alias.name for alias in node.names] == ["*"]
    }
    modules = {f"bot.messages.{path.stem}" for path in WORDS if path.name != "__init__.py"}
    assert re_exported == modules


def test_messages_imports_nothing_of_backupbot() -> None:
    imported = [
        name
        for path in WORDS
        for node in ast.walk(_parsed(path))
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
    ]
    outside = [name for name in imported if name.split(".")[0] == "bot"]
    assert not [name for name in outside if name.split(".")[:2] != ["bot", "messages"]], outside


MOST_LINES = 300
# module -> why it may be longer, until it is split by reason to change.
LONG_MODULES = {
    "language.py": "the help's paragraphs are long sentences; split when it next grows",
    "digests.py": "digest and watch words; split when it next grows",
}


def test_each_module_of_words_is_small() -> None:
    """One reason to change per module (STYLE.md's ~300 lines): a module that grows past it
    is split by what makes its words change, `messages.X` staying the same."""
    long = {
        path.name: lines
        for path in WORDS
        if (lines := len(path.read_text().splitlines())) > MOST_LINES
        and path.name not in LONG_MODULES
    }
    assert not long, long
    assert all((MESSAGES / name).exists() for name in LONG_MODULES)

"""Every sentence backupbot shows a person, in one place (as bolt-python's logger/messages.py),
said in the reader's language (bot/messages/catalogue.py: gettext catalogues under
bot/locales/).

Fixed sentences are constants marked `N_("...")`, translated when read as `messages.X`
(this module's `__getattr__`: the reader is known then, not at import); sentences with
values are functions returning `_("... {name} ...").format(name=...)`: one whole sentence
per message with named placeholders, plurals through `ngettext`, lists through
`catalogue.listed`. No grammar in code: no suffixes, no capitalising, no sentence glued from
translated fragments (one message per variant instead). Messages hold plain words: a view
escapes what users typed or the API sent before passing it in.

One module per room that speaks, each re-exported here whole: callers write `messages.X`
(`from bot import messages`) and never name a module, so a word can move between modules
without touching them.

How to add a message: write it in the module of its room as `N_("...")` or a function
returning `_("... {name} ...").format(name=name)` (`ngettext(one, many, count)` for a
count), then `pybabel extract -F babel.cfg -o bot/locales/backupbot.pot .` and
`pybabel update -i bot/locales/backupbot.pot -d bot/locales -D backupbot`, and translate
the new entries in every `bot/locales/*/LC_MESSAGES/backupbot.po`
(tests/test_catalogue.py fails until each has its translation with the same placeholders).

A leaf: imports nothing of backupbot outside this package. `tests/test_messages.py` fails
on a sentence left outside and on a word here that nothing uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.messages import (
    access,
    actions,
    answers,
    app,
    cli,
    credentials,
    digests,
    errors,
    health,
    huawei,
    inventory,
    language,
    restore,
    schedule,
    settings,
    slack,
    states,
)
from bot.messages.catalogue import _

if TYPE_CHECKING:
    from bot.messages.access import *  # noqa: F403
    from bot.messages.actions import *  # noqa: F403
    from bot.messages.answers import *  # noqa: F403
    from bot.messages.app import *  # noqa: F403
    from bot.messages.cli import *  # noqa: F403
    from bot.messages.credentials import *  # noqa: F403
    from bot.messages.digests import *  # noqa: F403
    from bot.messages.errors import *  # noqa: F403
    from bot.messages.health import *  # noqa: F403
    from bot.messages.huawei import *  # noqa: F403
    from bot.messages.inventory import *  # noqa: F403
    from bot.messages.language import *  # noqa: F403
    from bot.messages.restore import *  # noqa: F403
    from bot.messages.schedule import *  # noqa: F403
    from bot.messages.settings import *  # noqa: F403
    from bot.messages.slack import *  # noqa: F403
    from bot.messages.states import *  # noqa: F403

_MODULES = (access, actions, answers, app, cli, credentials, digests, errors, health, huawei,
            inventory, language, restore, schedule, settings, slack, states)  # fmt: skip
_WORDS: dict[str, Any] = {
    name: value
    for module in _MODULES
    for name, value in vars(module).items()
    if not name.startswith("_") and getattr(value, "__module__", module.__name__) == module.__name__
    and name not in {"annotations", "N_", "ngettext", "Sequence"}
}  # fmt: skip


def _translated(value: Any) -> Any:
    """A constant in the reader's language: each text of it (a dict's values, not its keys)."""
    if isinstance(value, str):
        return _(value)
    if isinstance(value, tuple):
        return tuple(_translated(item) for item in value)
    if isinstance(value, dict):
        return {key: _translated(item) for key, item in value.items()}
    return value


def __getattr__(name: str) -> Any:
    """`messages.X`: a function as it is, a constant translated for the reader of now."""
    try:
        value = _WORDS[name]
    except KeyError:
        raise AttributeError(name) from None
    return _translated(value)

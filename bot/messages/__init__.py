"""Every sentence backupbot shows a person, in one place (as bolt-python's logger/messages.py).

Why: wording is reviewed here, side by side, and a translation replaces this package.
Fixed sentences are constants; sentences with values are functions taking those values.
Messages hold plain words: a view escapes what users typed or the API sent before passing
it in, as it always did, so escaping stays where the Block Kit is drawn.

One module per room that speaks, each re-exported here whole: callers write `messages.X`
(`from bot import messages`) and never name a module, so a word can move between modules
without touching them. A module holds only words, and imports from a sibling only a word
it builds on.

A leaf: imports nothing of backupbot outside this package. `tests/test_messages.py` fails
on a sentence left outside and on a word here that nothing uses.
"""

from __future__ import annotations

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
from bot.messages.language import *  # noqa: F403
from bot.messages.restore import *  # noqa: F403
from bot.messages.schedule import *  # noqa: F403
from bot.messages.settings import *  # noqa: F403
from bot.messages.slack import *  # noqa: F403

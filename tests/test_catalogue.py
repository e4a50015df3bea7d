"""The message catalogue is whole: the template holds every message in bot/messages/, every
shipped locale translates each one with the same placeholders, and plurals follow CLDR.

Read from the files themselves (Babel's extractor and .po reader), not through the code
that uses them.
"""

from __future__ import annotations

import copy
import fnmatch
import gettext
import pickle
import re
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot import messages
from bot.messages import catalogue
from bot.messages.catalogue import N_, SHIPPED, speaking

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
TEMPLATE = LOCALES / "backupbot.pot"
TRANSLATED = [locale for locale in SHIPPED if locale != catalogue.SOURCE]


def _catalogue(locale: str) -> Catalog:
    path = LOCALES / locale.replace("-", "_") / "LC_MESSAGES" / "backupbot.po"
    with path.open("rb") as file:
        return read_po(file, locale=locale.replace("-", "_"))


def _template() -> Catalog:
    with TEMPLATE.open("rb") as file:
        return read_po(file)


def _ids(found: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id if isinstance(message.id, str) else tuple(message.id) for message in found
            if message.id}  # fmt: skip


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The placeholders of a brace-format text: (name, conversion, format spec), sorted."""
    return sorted(
        (name, conversion or "", spec or "")
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def _pairs(found: Catalog) -> Iterator[tuple[Message, str, str]]:
    """Each message's (source, translation) texts: one pair per plural form."""
    for message in found:
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert isinstance(message.string, str)
            yield message, message.id, message.string
        else:
            forms = message.string if isinstance(message.string, tuple | list) else ()
            for form in forms:
                yield message, message.id[0], form
                yield message, message.id[1], form


def test_the_template_holds_every_message_of_the_code() -> None:
    """A message added without `pybabel extract` would never reach a translator."""
    method_map = [("bot/messages/**.py", "python")]
    extracted = {
        (found[2] if isinstance(found[2], str) else tuple(found[2]))
        for found in extract_from_dir(
            str(ROOT), method_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        )
    }
    assert extracted == _ids(_template()), "run pybabel extract (README: Languages)"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated(locale: str) -> None:
    found = _catalogue(locale)
    assert _ids(found) == _ids(_template()), "run pybabel update (README: Languages)"
    untranslated = [
        message.id
        for message in found
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (not isinstance(message.string, str) and not all(message.string))
        )
    ]
    assert not untranslated, untranslated


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_every_placeholder(locale: str) -> None:
    """Same names, conversions and specs: `.format(name=...)` fills either alike."""
    wrong = [
        (source, translated)
        for _, source, translated in _pairs(_catalogue(locale))
        if translated and _fields(source) != _fields(translated)
    ]
    assert not wrong, wrong


def test_plurals_follow_cldr() -> None:
    """English has two forms, Chinese one (the .po header says so, from CLDR)."""
    assert _catalogue("zh-CN").num_plurals == 1
    with speaking("zh-CN"):
        assert messages.matches(1) == messages.matches(1000).replace("1000", "1")
    assert (messages.matches(1), messages.matches(2)) == ("1 match", "2 matches")


def test_a_constant_is_read_in_the_readers_language() -> None:
    """`messages.X` translates when read, not at import: two readers, two languages."""
    assert N_("No backups") == messages.NO_BACKUPS
    with speaking("zh-CN"):
        assert messages.NO_BACKUPS == "没有备份"
        assert messages.INSTANCE_STATUS_WORDS["BUILD"] == "创建中"
    assert messages.NO_BACKUPS == "No backups"


@pytest.mark.parametrize(
    ("tag", "locale"),
    [("zh-CN", "zh-CN"), ("zh_cn", "zh-CN"), ("zh-TW", "zh-CN"), ("en-US", "en"),
     ("en-GB", "en"), ("en", "en"), ("fr-FR", None), ("", None)],
)  # fmt: skip
def test_a_slack_locale_picks_a_shipped_one(tag: str, locale: str | None) -> None:
    assert catalogue.shipped(tag) == locale


def test_lists_follow_the_locale() -> None:
    assert messages.did_you_mean_names(["a", "b"]) == "did you mean a or b?"
    with speaking("zh-CN"):
        assert messages.did_you_mean_names(["a", "b"]) == "你是不是想问 a或b\uff1f"


def test_the_build_compiles_the_catalogues_the_wheel_ships(tmp_path: Path) -> None:
    """The Dockerfile compiles every .po with the Babel the lock pins; the wheel takes the
    .po and .mo files; a compiled catalogue says what the in-memory one says."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    pinned = re.search(r"^babel==([0-9.]+)", (ROOT / "requirements.lock").read_text(), re.M)
    assert pinned is not None
    assert f"babel=={pinned[1]}" in dockerfile
    assert "pybabel compile --statistics -d bot/locales -D backupbot" in dockerfile
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["bot"]
    for locale in TRANSLATED:
        folder = f"locales/{locale.replace('-', '_')}/LC_MESSAGES"
        assert any(fnmatch.fnmatch(f"{folder}/backupbot.po", pattern) for pattern in patterns)
        assert any(fnmatch.fnmatch(f"{folder}/backupbot.mo", pattern) for pattern in patterns)
        compiled = tmp_path / "backupbot.mo"
        with compiled.open("wb") as file:
            write_mo(file, _catalogue(locale))
        with compiled.open("rb") as file:
            from_build = gettext.GNUTranslations(file)
        at_run_time = catalogue.translations(locale)
        for message in _template():
            if message.id and isinstance(message.id, str):
                assert from_build.gettext(message.id) == at_run_time.gettext(message.id)


def test_a_sentence_keeps_its_english_words_for_the_operators() -> None:
    """Logs and audit lines are English whoever was answered: a sentence said in Chinese,
    its values (a list, a number, a translated word) included, keeps its English twin."""

    def said() -> str:
        return messages.did_you_mean_names(["a", "b"])

    def nested() -> str:
        return messages.said_then_hint(messages.NO_BACKUPS, messages.matches(1234))

    english_words = (said(), nested())
    with speaking("zh-CN"):
        chinese = (said(), nested())
    assert chinese[0] == "你是不是想问 a或b\uff1f"
    assert all(re.search("[\u4e00-\u9fff]", text) for text in chinese)
    assert tuple(catalogue.english(text) for text in chinese) == english_words
    assert english_words[0] == "did you mean a or b?"
    assert english_words[1].startswith("No backups")
    assert catalogue.english("orders-prod") == "orders-prod", "text of no catalogue stays"


def test_a_sentence_survives_copy_and_pickle() -> None:
    """A value holding a sentence may be copied (pydantic, dataclasses) or pickled."""
    with speaking("zh-CN"):
        said = messages.did_you_mean_names(["a", "b"])
    for again in (copy.deepcopy(said), pickle.loads(pickle.dumps(said))):
        assert again == said
        assert catalogue.english(again) == "did you mean a or b?"

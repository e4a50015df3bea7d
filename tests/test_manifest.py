"""manifest.yml is a valid Slack app manifest with what backupbot needs, and no more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = (
    ROOT.parent / "shared" / "reference" / "slack-manifest-schema" / "manifest.schema.1.0.0.json"
)
LOCAL_SCHEMA = ROOT / "tests" / "data" / "manifest.schema.1.0.0.json"


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text())
    return loaded


def test_the_manifest_validates_against_slacks_schema() -> None:
    schema = json.loads(LOCAL_SCHEMA.read_text())
    jsonschema.validate(manifest(), schema)


def test_the_schema_copy_is_slacks_own() -> None:
    if SCHEMA.exists():  # the shared reference is not part of a clone
        assert json.loads(SCHEMA.read_text()) == json.loads(LOCAL_SCHEMA.read_text())


def test_backups_command_has_description_and_usage_hint() -> None:
    (command,) = manifest()["features"]["slash_commands"]
    assert command["command"] == "/backups"
    assert command["description"]
    assert command["usage_hint"]


def test_scopes_are_the_least_needed() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "commands",
        "chat:write",
        "chat:write.public",
        "app_mentions:read",
        "im:history",
        "users:read",
        # conversations.members: App Home shows a channel's digests and watches to its
        # members only (public channels, then private ones)
        "channels:read",
        "groups:read",
    }


def test_events_interactivity_and_home_are_on() -> None:
    settings = manifest()["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert manifest()["features"]["app_home"]["home_tab_enabled"] is True


def test_every_url_points_at_slack_events() -> None:
    data = manifest()
    urls = [
        data["features"]["slash_commands"][0]["url"],
        data["settings"]["event_subscriptions"]["request_url"],
        data["settings"]["interactivity"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)

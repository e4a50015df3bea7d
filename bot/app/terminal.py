"""Block Kit rendered for a terminal: what `backupbot query` and `backupbot demo` print.

The terminal shows the very blocks Slack would receive, so what you try in the demo is
what your team will see: mrkdwn becomes ANSI styles (when colour is on), date tokens
become times in your zone, emoji become marks, and buttons become keys.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import messages
from bot.slack import blocks

EMOJI = {
    ":red_circle:": ("●", "31"),
    ":large_orange_circle:": ("●", "33"),
    ":large_yellow_circle:": ("●", "33"),
    ":large_green_circle:": ("●", "32"),
    ":white_circle:": ("○", "0"),
    ":warning:": ("⚠", "33"),
    ":information_source:": ("i", "36"),
    ":rotating_light:": ("!", "31"),
    ":x:": ("✖", "31"),
    ":test_tube:": ("⚗", "35"),
    ":mega:": ("»", "36"),
    ":hourglass_flowing_sand:": ("…", "0"),
    ":calendar:": ("▦", "36"),
    ":eyes:": ("◉", "36"),
    ":wastebasket:": ("✖", "0"),
    ":no_entry:": ("⊘", "31"),
}
KEYS = {
    blocks.ACTION_NEXT: "n",
    blocks.ACTION_PREVIOUS: "p",
    blocks.ACTION_REFRESH: "r",
    blocks.ACTION_FAILED_ONLY: "f",
    blocks.ACTION_SHARE: "s",
    blocks.ACTION_BACK: "b",
    blocks.ACTION_RUN: "o",
}
_DATE_RE = re.compile(r"<!date\^(\d+)\^([^|>]*)\|[^>]*>")
_USER_RE = re.compile(r"<[@#]([A-Z0-9]+)>")
_CODE_RE = re.compile(r"`([^`\n]+)`")
_BOLD_RE = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC_RE = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


class Style:
    """ANSI styling, or none."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and code != "0" else text


def _date(match: re.Match[str], zone: ZoneInfo) -> str:
    moment = datetime.fromtimestamp(int(match[1]), UTC).astimezone(zone)
    layout = match[2]
    if layout == "{time_secs}":
        return f"{moment:%H:%M:%S}"
    if layout == "{time}":
        return f"{moment:%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"


def mrkdwn(text: str, *, style: Style, zone: ZoneInfo) -> str:
    """One mrkdwn text as terminal text."""
    text = _DATE_RE.sub(lambda m: _date(m, zone), text)
    text = _USER_RE.sub(lambda m: "@" + m[1], text)
    parts = text.split("```")
    for index in range(0, len(parts), 2):  # outside code blocks only
        chunk = parts[index]
        for shortcode, (mark, colour) in EMOJI.items():
            chunk = chunk.replace(shortcode, style(mark, colour))
        chunk = _CODE_RE.sub(lambda m: style(m[1], "36"), chunk)
        chunk = _BOLD_RE.sub(lambda m: style(m[1], "1"), chunk)
        chunk = _ITALIC_RE.sub(lambda m: style(m[1], "3"), chunk)
        parts[index] = chunk
    for index in range(1, len(parts), 2):
        parts[index] = "\n".join("  " + line for line in parts[index].strip("\n").split("\n"))
    joined = "".join(parts)
    return joined.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text_of(element: dict[str, Any], style: Style, zone: ZoneInfo) -> str:
    if element.get("type") == "mrkdwn":
        return mrkdwn(element.get("text", ""), style=style, zone=zone)
    return str(element.get("text", ""))


def render_blocks(
    message: list[dict[str, Any]], *, colour: bool, zone: ZoneInfo, numbered: bool = True
) -> str:
    """The blocks of a message as terminal lines; backups with details get numbers to pick."""
    style = Style(colour)
    width = min(shutil.get_terminal_size((100, 20)).columns, 120)
    lines: list[str] = []
    detail = 0
    for block in message:
        kind = block.get("type")
        if kind == "header":
            lines.append(style(block["text"]["text"], "1;4"))
        elif kind == "divider":
            lines.append(style("─" * width, "2"))
        elif kind == "context":
            lines.append(
                style(" · ".join(_text_of(e, style, zone) for e in block["elements"]), "2")
            )
        elif kind == "section":
            body = _text_of(block["text"], style, zone) if "text" in block else ""
            if block.get("accessory", {}).get("action_id") == blocks.ACTION_DETAILS and numbered:
                detail += 1
                body = f"{style(f'{detail:>2}', '2')} " + body.replace("\n", "\n   ")
            lines.append(body)
            for field in block.get("fields", []):
                lines.append("  " + _text_of(field, style, zone).replace("\n", ": ", 1))
        elif kind == "actions":
            keys = [
                f"[{KEYS[e['action_id']]}] {e['text']['text']}"
                for e in block["elements"]
                if e.get("action_id") in KEYS
            ]
            if detail and numbered:
                keys.append(messages.pick_details(detail))
            lines.append(style("  ".join(keys), "2"))
    return "\n".join(lines)


def buttons(message: list[dict[str, Any]]) -> dict[str, str]:
    """Key -> button value of a message's buttons (the demo's keyboard)."""
    found: dict[str, str] = {}
    details = 0
    for block in message:
        accessory = block.get("accessory", {})
        if accessory.get("action_id") == blocks.ACTION_DETAILS:
            details += 1
            found[str(details)] = accessory["value"]
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            key = KEYS.get(element.get("action_id", ""))
            if key is not None:
                found[key] = element["value"]
    return found


def action_for_key(message: list[dict[str, Any]], key: str) -> str | None:
    """The action id behind a key in this message, if any."""
    for block in message:
        accessory = block.get("accessory", {})
        if key.isdigit() and accessory.get("action_id") == blocks.ACTION_DETAILS:
            return blocks.ACTION_DETAILS
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if KEYS.get(element.get("action_id", "")) == key:
                return str(element["action_id"])
    return None


Printer = Callable[[str], None]

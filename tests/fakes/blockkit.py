"""Block Kit validation with slack_sdk's own models, plus the limits they do not check."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100


def block_problems(blocks: Any, *, limit: int = MESSAGE_BLOCKS) -> list[str]:
    """Everything wrong with a list of blocks; empty when Slack would accept it."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    problems = []
    if not isinstance(blocks, list):
        return [f"blocks is a {type(blocks).__name__}, not a list"]
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks, more than {limit}")
    for index, block in enumerate(blocks):
        try:
            parsed = Block.parse(block)
            if parsed is None:
                raise ValueError("unknown block type")
            parsed.to_dict()  # runs slack_sdk's validators
        except Exception as error:
            problems.append(f"block {index}: {error}")
            continue
        for field in block.get("fields", []):
            if len(field.get("text", "")) > 2000:
                problems.append(f"block {index}: a field is over 2,000 characters")
        for element in block.get("elements", []) + (
            [block["accessory"]] if "accessory" in block else []
        ):
            if element.get("type") == "button":
                if len(element["text"]["text"]) > 75:
                    problems.append(f"block {index}: button text over 75 characters")
                if len(element.get("value", "")) > 2000:
                    problems.append(f"block {index}: button value over 2,000 characters")
    return problems


def assert_valid_blocks(blocks: Any, *, limit: int = MESSAGE_BLOCKS) -> None:
    """Fail with every problem listed."""
    problems = block_problems(blocks, limit=limit)
    assert not problems, "\n".join(problems)

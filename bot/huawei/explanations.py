"""What the API's error codes mean to the person who has to fix them."""

from __future__ import annotations

from bot import messages


def explain(error_code: str | None, status: int | None) -> str | None:
    """A human explanation of an API error, or None when there is nothing useful to add."""
    explanations = messages.API_EXPLANATIONS
    if error_code and error_code in explanations:
        return explanations[error_code]
    if status is not None and status >= 500:
        return messages.API_INTERNAL_PROBLEM
    return messages.API_STATUS_EXPLANATIONS.get(status) if status is not None else None

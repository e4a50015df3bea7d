"""What the API's error codes mean to the person who has to fix them."""

from __future__ import annotations

from bot import messages
from bot.errors import PermissionDenied, UpstreamError


def explain(error_code: str | None, status: int | None) -> str | None:
    """A human explanation of an API error, or None when there is nothing useful to add."""
    explanations = messages.API_EXPLANATIONS
    if error_code and error_code in explanations:
        return explanations[error_code]
    if status is not None and status >= 500:
        return messages.API_INTERNAL_PROBLEM
    return messages.API_STATUS_EXPLANATIONS.get(status) if status is not None else None


# An IAM action to grant, and its role/policy-based equivalent where one is documented.
IamAction = tuple[str, str | None]


def denied(error: UpstreamError, action: IamAction) -> UpstreamError:
    """A 403 as PermissionDenied naming the IAM action to grant (and its role/policy-based
    equivalent, if documented); any other error as it came. APIGW.0310 is a 403 too, but
    the project is unavailable: no grant fixes that."""
    if error.status != 403 or error.error_code == "APIGW.0310":
        return error
    return PermissionDenied(
        messages.API_PERMISSION_DENIED,
        action=action[0],
        legacy_action=action[1],
        hint=messages.iam_user_needs(action[0], action[1]),
        status=error.status,
        error_code=error.error_code,
        error_msg=error.error_msg,
        request_id=error.request_id,
    )

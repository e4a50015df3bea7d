"""What the API's error codes mean to the person who has to fix them."""

from __future__ import annotations

EXPLANATIONS: dict[str, str] = {
    "APIGW.0301": "The access key, secret key or token was refused: check CLOUD_SDK_AK/"
    "CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN) and HUAWEICLOUD_PROJECT_ID. Five failures in a "
    "row lock the key for 5 minutes.",
    "APIGW.0307": "The IAM token has expired: get a new one (tokens last 24 hours).",
    "APIGW.0308": "The API is throttling requests: wait a moment and ask again.",
    "APIGW.0101": "No such API at this address: check HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT.",
    "DBS.200001": "The API refused a parameter of the query: check names, ids and dates.",
    "DBS.200004": "The API refused a parameter of the query: check names, ids and dates.",
    "DBS.200021": "The instance name is not valid: 4-64 letters, digits, '-' or '_'.",
    "DBS.200022": "That instance does not exist in this project and region.",
}
STATUS_EXPLANATIONS: dict[int, str] = {
    401: "The credentials were refused: check the access key, secret key or token.",
    403: "The credentials lack permission: the IAM user needs gaussdbformysql:backup:list.",
    404: "No such API at this address: check HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT.",
    429: "The API is throttling requests: wait a moment and ask again.",
}


def explain(error_code: str | None, status: int | None) -> str | None:
    """A human explanation of an API error, or None when there is nothing useful to add."""
    if error_code and error_code in EXPLANATIONS:
        return EXPLANATIONS[error_code]
    if status is not None and status >= 500:
        return "The TaurusDB API had an internal problem: try again in a minute."
    return STATUS_EXPLANATIONS.get(status) if status is not None else None

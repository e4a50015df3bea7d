"""The TaurusDB API's errors, profiles and credentials, regions (bot/huawei)."""

from __future__ import annotations

# --- upstream (Huawei) errors and what they mean (huawei/*) ----------------------------------

THROTTLING = "The API is throttling requests: wait a moment and ask again."
NO_SUCH_API = "No such API at this address: check HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT."
REFUSED_PARAMETER = "The API refused a parameter of the query: check names, ids and dates."
# What the API's error codes mean to the person who has to fix them.
API_EXPLANATIONS: dict[str, str] = {
    "APIGW.0301": "The access key, secret key or token was refused: check CLOUD_SDK_AK/"
    "CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN) and HUAWEICLOUD_PROJECT_ID. Five failures in a "
    "row lock the key for 5 minutes.",
    "APIGW.0307": "The IAM token has expired: get a new one (tokens last 24 hours).",
    "APIGW.0308": THROTTLING,
    "APIGW.0101": NO_SUCH_API,
    "DBS.200001": REFUSED_PARAMETER,
    "DBS.200004": REFUSED_PARAMETER,
    "DBS.200021": "The instance name is not valid: 4-64 letters, digits, '-' or '_'.",
    "DBS.200022": "That instance does not exist in this project and region.",
}
API_STATUS_EXPLANATIONS: dict[int, str] = {
    401: "The credentials were refused: check the access key, secret key or token.",
    403: "The credentials lack permission: the IAM user needs gaussdbformysql:backup:list.",
    404: NO_SUCH_API,
    429: THROTTLING,
}
API_INTERNAL_PROBLEM = "The TaurusDB API had an internal problem: try again in a minute."
API_REFUSED = "The TaurusDB API refused the request"
API_PERMISSION_DENIED = "The TaurusDB API refused the request: permission denied"
API_GARBLED = "The TaurusDB API sent a garbled answer"
API_UNREADABLE = "The TaurusDB API sent an answer backupbot could not read"
TRY_AGAIN_IN_A_MINUTE = "Try again in a minute."
MAY_BE_OVERLOADED = "It may be overloaded: try again in a minute."
CHECK_THE_NETWORK = "Check the network, HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT."
LISTING_TOO_LARGE = "The instance listing is too large to read"
BACKUP_LISTING_TOO_LARGE = "The listing is too large to read"
NARROW_THE_QUESTION = "Narrow the window or the target."


def api_timed_out(host: str, timeout: float) -> str:
    return f"The TaurusDB API at {host} did not answer within {timeout:g} s"


def api_unreachable(host: str) -> str:
    return f"Could not reach the TaurusDB API at {host}"


def unexpected_value_at(location: str) -> str:
    return f"Unexpected value at {location}."


def invalid_instance_page(offset: int, limit: int) -> str:
    return f"invalid instance page: offset {offset}, limit {limit}"


def instance_page_rule(most: int) -> str:
    return f"offset is 0 or more, limit 1 to {most}"


def invalid_instance_id(instance_id: str) -> str:
    return f"invalid instance id {instance_id!r}"


# --- profiles and credentials (huawei/profiles) ---------------------------------------------

PROJECT_ID_RULE = "project_id must be 32 letters or digits"
SET_THE_KEYS = (
    "set CLOUD_SDK_AK and CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN), "
    "or add --simulator to try the built-in simulator"
)
PROJECT_ID_NOT_SET = "HUAWEICLOUD_PROJECT_ID is not set"
COPY_THE_PROJECT_ID = (
    "copy the project id of your region from 'My Credentials' in the console, "
    "or name profiles in BACKUPBOT_PROFILES_FILE"
)
PROFILES_FILE_HINT = "see the profiles example in the README"
ADD_A_PROFILE = "add a [profiles.NAME] table"
PROFILE_NAME_RULE = "use letters, digits, - and _"
FIX_THE_DEFAULT = "fix 'default'"
GIVE_CREDENTIALS = (
    "give access_key and secret_key, or auth_token, or credentials = SOURCE, "
    "or none of them for the credential chain"
)
ONE_WAY_TO_AUTHENTICATE = "give either keys or a credentials source, not both"


def credentials_are(kinds: str) -> str:
    return f"credentials is one of {kinds}"


def not_set(variable: str) -> str:
    return f"{variable} is not set"


def names_no_profiles(path: str) -> str:
    return f"{path} names no profiles"


def not_a_profile_name_in(path: str, name: str) -> str:
    return f"{path}: '{name}' is not a profile name"


def default_not_defined(path: str, default: str) -> str:
    return f"{path}: default profile '{default}' is not defined"


def in_profile(path: str, name: str, message: str) -> str:
    return f"{path}: profile {name}: {message}"


def profile_without_credentials(path: str, name: str) -> str:
    return f"{path}: profile {name} has half a key pair"


# --- regions and their endpoints (huawei/regions) -------------------------------------------

SET_THE_REGION = "set it to your region, e.g. cn-north-4, or set GAUSSDB_ENDPOINT"


def no_known_endpoint(region: str) -> str:
    return f"HUAWEICLOUD_REGION '{region}' has no known TaurusDB endpoint"


def set_the_endpoint(regions: str) -> str:
    return (
        "set GAUSSDB_ENDPOINT to the endpoint from the Huawei Cloud console, "
        f"or use one of: {regions}"
    )

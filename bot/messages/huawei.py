"""The TaurusDB API's errors, profiles and credentials, regions (bot/huawei)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

# --- upstream (Huawei) errors and what they mean (huawei/*) ----------------------------------

THROTTLING = N_("The API is throttling requests: wait a moment and ask again.")
NO_SUCH_API = N_("No such API at this address: check HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT.")
REFUSED_PARAMETER = N_("The API refused a parameter of the query: check names, ids and dates.")
# What the API's error codes mean to the person who has to fix them.
API_EXPLANATIONS: dict[str, str] = {
    "APIGW.0301": N_(
        "The access key, secret key or token was refused: check CLOUD_SDK_AK/CLOUD_SDK_SK "
        "(or HUAWEICLOUD_AUTH_TOKEN) and HUAWEICLOUD_PROJECT_ID. Five failures in a row "
        "lock the key for 5 minutes."
    ),
    "APIGW.0307": N_("The IAM token has expired: get a new one (tokens last 24 hours)."),
    "APIGW.0308": THROTTLING,
    "APIGW.0101": NO_SUCH_API,
    "DBS.200001": REFUSED_PARAMETER,
    "DBS.200004": REFUSED_PARAMETER,
    "DBS.200021": N_("The instance name is not valid: 4-64 letters, digits, '-' or '_'."),
    "DBS.200022": N_("That instance does not exist in this project and region."),
}
API_STATUS_EXPLANATIONS: dict[int, str] = {
    401: N_("The credentials were refused: check the access key, secret key or token."),
    403: N_("The credentials lack permission: the IAM user needs gaussdbformysql:backup:list."),
    404: NO_SUCH_API,
    429: THROTTLING,
}
API_INTERNAL_PROBLEM = N_("The TaurusDB API had an internal problem: try again in a minute.")
API_REFUSED = N_("The TaurusDB API refused the request")
API_PERMISSION_DENIED = N_("The TaurusDB API refused the request: permission denied")
API_GARBLED = N_("The TaurusDB API sent a garbled answer")
API_UNREADABLE = N_("The TaurusDB API sent an answer backupbot could not read")
TRY_AGAIN_IN_A_MINUTE = N_("Try again in a minute.")
MAY_BE_OVERLOADED = N_("It may be overloaded: try again in a minute.")
CHECK_THE_NETWORK = N_("Check the network, HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT.")
LISTING_TOO_LARGE = N_("The instance listing is too large to read")
BACKUP_LISTING_TOO_LARGE = N_("The listing is too large to read")
NARROW_THE_QUESTION = N_("Narrow the window or the target.")


def api_timed_out(host: str, timeout: float) -> str:
    return _("The TaurusDB API at {host} did not answer within {timeout:g} s").format(
        host=host, timeout=timeout
    )


def api_unreachable(host: str) -> str:
    return _("Could not reach the TaurusDB API at {host}").format(host=host)


def unexpected_value_at(location: str) -> str:
    return _("Unexpected value at {location}.").format(location=location)


def invalid_instance_page(offset: int, limit: int) -> str:
    return _("invalid instance page: offset {offset}, limit {limit}").format(
        offset=offset, limit=limit
    )


def instance_page_rule(most: int) -> str:
    return _("offset is 0 or more, limit 1 to {most}").format(most=most)


def invalid_instance_id(instance_id: str) -> str:
    return _("invalid instance id {instance_id!r}").format(instance_id=instance_id)


# --- profiles and credentials (huawei/profiles) ---------------------------------------------

PROJECT_ID_RULE = N_("project_id must be 32 letters or digits")
SET_THE_KEYS = N_(
    "set CLOUD_SDK_AK and CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN), or add --simulator "
    "to try the built-in simulator"
)
PROJECT_ID_NOT_SET = N_("HUAWEICLOUD_PROJECT_ID is not set")
COPY_THE_PROJECT_ID = N_(
    "copy the project id of your region from 'My Credentials' in the console, or name "
    "profiles in BACKUPBOT_PROFILES_FILE"
)
PROFILES_FILE_HINT = N_("see the profiles example in the README")
ADD_A_PROFILE = N_("add a [profiles.NAME] table")
PROFILE_NAME_RULE = N_("use letters, digits, - and _")
FIX_THE_DEFAULT = N_("fix 'default'")
GIVE_CREDENTIALS = N_(
    "give access_key and secret_key, or auth_token, or credentials = SOURCE, or none "
    "of them for the credential chain"
)
ONE_WAY_TO_AUTHENTICATE = N_("give either keys or a credentials source, not both")


def credentials_are(kinds: str) -> str:
    return _("credentials is one of {kinds}").format(kinds=kinds)


def not_set(variable: str) -> str:
    return _("{variable} is not set").format(variable=variable)


def names_no_profiles(path: str) -> str:
    return _("{path} names no profiles").format(path=path)


def not_a_profile_name_in(path: str, name: str) -> str:
    return _("{path}: '{name}' is not a profile name").format(path=path, name=name)


def default_not_defined(path: str, default: str) -> str:
    return _("{path}: default profile '{default}' is not defined").format(
        path=path, default=default
    )


def in_profile(path: str, name: str, message: str) -> str:
    return _("{path}: profile {name}: {message}").format(path=path, name=name, message=message)


def profile_without_credentials(path: str, name: str) -> str:
    return _("{path}: profile {name} has half a key pair").format(path=path, name=name)


# --- regions and their endpoints (huawei/regions) -------------------------------------------

SET_THE_REGION = N_("set it to your region, e.g. cn-north-4, or set GAUSSDB_ENDPOINT")


def no_known_endpoint(region: str) -> str:
    return _("HUAWEICLOUD_REGION '{region}' has no known TaurusDB endpoint").format(region=region)


def set_the_endpoint(regions: str) -> str:
    return _(
        "set GAUSSDB_ENDPOINT to the endpoint from the Huawei Cloud console, or use one "
        "of: {regions}"
    ).format(regions=regions)

"""Cloud credentials and their sources, secrets from files (bot/huawei/credentials,
bot/secretfile)."""

from __future__ import annotations

# --- the sources, by name (huawei/credentials) -----------------------------------------------

ENVIRONMENT = "the environment"
METADATA = "ECS metadata (the server's agency)"
POD_IDENTITY = "CCE Pod Identity"
THE_PROFILES_FILE = "the profiles file"
THE_CHAIN = "the credential chain"
SIMULATOR_KEYS = "the built-in simulator's demo keys"


def credentials_file_named(path: str) -> str:
    return f"the credentials file {path}"


def oidc_named(idp_id: str) -> str:
    return f"OIDC federation (identity provider {idp_id})"


def environment_named(variable: str) -> str:
    return f"the environment ({variable})"


# --- why a source gave nothing (huawei/credentials) ------------------------------------------

ENVIRONMENT_NOT_SET = (
    "neither CLOUD_SDK_AK and CLOUD_SDK_SK, HUAWEICLOUD_AUTH_TOKEN nor "
    "HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE are set"
)
POD_IDENTITY_NOT_SET = (
    "HC_CONTAINER_CREDENTIALS_FULL_URI and HC_CONTAINER_AUTHORIZATION_TOKEN_FILE are not set"
)
OIDC_NOT_SET = "HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE are not set"
NO_AGENCY = "the server has no agency: attach one with the permissions backupbot needs"
NO_SUBJECT_TOKEN = "IAM answered without an X-Subject-Token"
NO_CREDENTIALS = "No cloud credentials could be found"
SET_SOME_CREDENTIALS = (
    "set CLOUD_SDK_AK and CLOUD_SDK_SK, give a credentials file, or run where ECS metadata "
    "or CCE Pod Identity gives credentials (README, Cloud credentials)"
)
SET_ONE_OF_THEM = "set one of them"
NOT_UTF8 = "not UTF-8 text"
CHECK_THE_SOURCE = "check the source and its settings (README, Cloud credentials)"


def source_unreachable(source: str, error: str) -> str:
    return f"{source} could not be reached: {error}"


def source_refused(source: str, status: int, code: str | None) -> str:
    detail = f"HTTP {status}, {code}" if code else f"HTTP {status}"
    return f"{source} refused ({detail})"


def source_answer_unreadable(source: str, problem: str) -> str:
    return f"{source} sent credentials backupbot could not read: {problem}"


def missing_field(name: str) -> str:
    return f"no {name}"


def unreadable_time(value: str) -> str:
    return f"the expiry {value!r} is not a time"


def file_not_found(path: str) -> str:
    return f"{path} does not exist"


def file_is_empty(path: str) -> str:
    return f"{path} is empty"


def section_missing(path: str, section: str) -> str:
    return f"{path} has no [{section}] section"


def keys_missing(path: str) -> str:
    return f"{path} has neither ak and sk nor idp_id and id_token_file in [basic]"


def file_cannot_be_read(path: str, why: str) -> str:
    return f"{path} cannot be read: {why}"


def half_set(given: str, missing: str) -> str:
    return f"{given} is set but {missing} is not"


def set_both(given: str, missing: str) -> str:
    return f"set {missing} too, or unset {given}"


def value_and_file(variable: str, file_variable: str) -> str:
    return f"both {variable} and {file_variable} are set"


def no_credentials_from(source: str, why: str) -> str:
    return f"No cloud credentials from {source}: {why}"


def tried_sources(reasons: list[str]) -> str:
    return " ".join(f"{reason}." for reason in reasons) + f" Then {SET_SOME_CREDENTIALS}."


def unknown_source(name: str) -> str:
    return f"{name!r} is not a credential source"


def for_profile(name: str, message: str) -> str:
    return f"profile {name}: {message}"


# --- what answers and `check` say about them (huawei/credentials, app/check) -----------------

CHECK_CREDENTIALS = "cloud credentials"


def stale_credentials(source: str, minutes_left: int) -> str:
    return (
        f"Cloud credentials could not be refreshed from {source}; the last ones are used, "
        f"valid for {minutes_left} more min."
    )


def credentials_expired(source: str, why: str) -> str:
    return f"The cloud credentials from {source} expired and could not be refreshed: {why}"


def temporary_from(source: str, expires: str, left: str) -> str:
    return f"temporary, from {source}; they expire {expires} (in {left})"


def fixed_from(source: str) -> str:
    return f"from {source}; they do not expire"

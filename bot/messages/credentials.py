"""Cloud credentials and their sources, secrets from files (bot/huawei/credentials,
bot/secretfile)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

# --- the sources, by name (huawei/credentials) -----------------------------------------------

ENVIRONMENT = N_("the environment")
METADATA = N_("ECS metadata (the server's agency)")
POD_IDENTITY = N_("CCE Pod Identity")
THE_PROFILES_FILE = N_("the profiles file")
THE_CHAIN = N_("the credential chain")
SIMULATOR_KEYS = N_("the built-in simulator's demo keys")


def credentials_file_named(path: str) -> str:
    return _("the credentials file {path}").format(path=path)


def oidc_named(idp_id: str) -> str:
    return _("OIDC federation (identity provider {idp_id})").format(idp_id=idp_id)


def environment_named(variable: str) -> str:
    return _("the environment ({variable})").format(variable=variable)


# --- why a source gave nothing (huawei/credentials) ------------------------------------------

ENVIRONMENT_NOT_SET = N_(
    "neither CLOUD_SDK_AK and CLOUD_SDK_SK, HUAWEICLOUD_AUTH_TOKEN nor "
    "HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE are set"
)
POD_IDENTITY_NOT_SET = N_(
    "HC_CONTAINER_CREDENTIALS_FULL_URI and HC_CONTAINER_AUTHORIZATION_TOKEN_FILE are not set"
)
OIDC_NOT_SET = N_("HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE are not set")
NO_AGENCY = N_("the server has no agency: attach one with the permissions backupbot needs")
NO_SUBJECT_TOKEN = N_("IAM answered without an X-Subject-Token")
NO_CREDENTIALS = N_("No cloud credentials could be found")
SET_ONE_OF_THEM = N_("set one of them")
NOT_UTF8 = N_("not UTF-8 text")
CHECK_THE_SOURCE = N_("check the source and its settings (README, Cloud credentials)")


def source_unreachable(source: str, error: str) -> str:
    return _("{source} could not be reached: {error}").format(source=source, error=error)


def source_refused(source: str, status: int, code: str | None) -> str:
    detail = (
        _("HTTP {status}, {code}").format(status=status, code=code)
        if code
        else _("HTTP {status}").format(status=status)
    )
    return _("{source} refused ({detail})").format(source=source, detail=detail)


def source_answer_unreadable(source: str, problem: str) -> str:
    return _("{source} sent credentials backupbot could not read: {problem}").format(
        source=source, problem=problem
    )


def missing_field(name: str) -> str:
    return _("no {name}").format(name=name)


def unreadable_time(value: str) -> str:
    return _("the expiry {value!r} is not a time").format(value=value)


def file_not_found(path: str) -> str:
    return _("{path} does not exist").format(path=path)


def file_is_empty(path: str) -> str:
    return _("{path} is empty").format(path=path)


def section_missing(path: str, section: str) -> str:
    return _("{path} has no [{section}] section").format(path=path, section=section)


def keys_missing(path: str) -> str:
    return _("{path} has neither ak and sk nor idp_id and id_token_file in [basic]").format(
        path=path
    )


def file_cannot_be_read(path: str, why: str) -> str:
    return _("{path} cannot be read: {why}").format(path=path, why=why)


def half_set(given: str, missing: str) -> str:
    return _("{given} is set but {missing} is not").format(given=given, missing=missing)


def set_both(given: str, missing: str) -> str:
    return _("set {missing} too, or unset {given}").format(missing=missing, given=given)


def value_and_file(variable: str, file_variable: str) -> str:
    return _("both {variable} and {file_variable} are set").format(
        variable=variable, file_variable=file_variable
    )


def no_credentials_from(source: str, why: str) -> str:
    return _("No cloud credentials from {source}: {why}").format(source=source, why=why)


def tried_sources(reasons: list[str]) -> str:
    tried = "".join(_("{reason}. ").format(reason=reason) for reason in reasons)
    return tried + _(
        "Then set CLOUD_SDK_AK and CLOUD_SDK_SK, give a credentials file, or run where ECS "
        "metadata or CCE Pod Identity gives credentials (README, Cloud credentials)."
    )


def unknown_source(name: str) -> str:
    return _("{name!r} is not a credential source").format(name=name)


def for_profile(name: str, message: str) -> str:
    return _("profile {name}: {message}").format(name=name, message=message)


# --- what answers and `check` say about them (huawei/credentials, app/check) -----------------

CHECK_CREDENTIALS = N_("cloud credentials")


def stale_credentials(source: str, minutes_left: int) -> str:
    return _(
        "Cloud credentials could not be refreshed from {source}; the last ones are used, "
        "valid for {minutes_left} more min."
    ).format(source=source, minutes_left=minutes_left)


def credentials_expired(source: str, why: str) -> str:
    return _(
        "The cloud credentials from {source} expired and could not be refreshed: {why}"
    ).format(source=source, why=why)


def temporary_from(source: str, expires: str, left: str) -> str:
    return _("temporary, from {source}; they expire {expires} (in {left})").format(
        source=source, expires=expires, left=left
    )


def fixed_from(source: str) -> str:
    return _("from {source}; they do not expire").format(source=source)

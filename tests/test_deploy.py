"""deploy/kubernetes/ is valid Kubernetes and agrees with the image, the CLI, the settings
and itself.

Every document of every YAML file is validated offline against the JSON schemas that
kubernetes-validate ships, strictly (an unknown or misspelt field is an error), for the
oldest and the newest Kubernetes it knows. The rest checks what no schema can: that names
and ports refer to each other correctly.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]  # the package ships no types
import pytest
import yaml
from kubernetes_validate.utils import (  # type: ignore[import-untyped]
    SchemaNotFoundError,
    all_versions,
)
from pydantic import SecretStr

import bot
from bot.app.engines import cloud_settings
from bot.app.slack_secrets import slack_secrets
from bot.cli import build_parser
from bot.config import Settings
from bot.huawei.credentials import ORDER, Chain
from bot.huawei.profiles import load_profiles
from tests.test_packaging import final_stage, healthcheck, image_user

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "kubernetes"
CCE = DEPLOY / "cce"  # the variant for CCE: no cloud secret
Doc = dict[str, Any]

# Peak resident memory of `backupbot serve` under 200 concurrent commands (bench/bench_load.py).
MEASURED_PEAK_MIB = 76
KUBERNETES = sorted({all_versions()[0], all_versions()[-1]})
CLOUD_KEYS = ("CLOUD_SDK_AK", "CLOUD_SDK_SK")


def manifests(directory: Path = DEPLOY) -> list[tuple[str, Doc]]:
    """Every document of every YAML file of `directory`, with its file's name."""
    return [
        (path.name, document)
        for path in sorted(directory.glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def of_kind(kind: str, directory: Path = DEPLOY) -> list[Doc]:
    return [document for _, document in manifests(directory) if document["kind"] == kind]


def one(kind: str, name: str, directory: Path = DEPLOY) -> Doc:
    (found,) = [d for d in of_kind(kind, directory) if d["metadata"]["name"] == name]
    return found


DEPLOYMENTS = sorted(d["metadata"]["name"] for d in of_kind("Deployment"))


def pod(deployment: Doc) -> Doc:
    spec: Doc = deployment["spec"]["template"]["spec"]
    return spec


def containers(deployment: Doc) -> list[Doc]:
    """Init containers and containers alike."""
    spec = pod(deployment)
    return [*spec.get("initContainers", []), *spec["containers"]]


def app(deployment: Doc) -> Doc:
    matching: list[Doc] = [c for c in pod(deployment)["containers"] if c["name"] == "backupbot"]
    (container,) = matching
    return container


def command(container: Doc) -> argparse.Namespace:
    return build_parser().parse_args(container["args"])


def selects(selector: dict[str, str], deployment: Doc) -> bool:
    labels: dict[str, str] = deployment["spec"]["template"]["metadata"]["labels"]
    return selector.items() <= labels.items()


def known_variables() -> set[str]:
    """Every environment variable backupbot reads: the aliases of its settings."""
    names: set[str] = set()
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        names.update(str(choice) for choice in getattr(alias, "choices", []))
    return names


def secret_keys(directory: Path = DEPLOY) -> dict[str, dict[str, str]]:
    """The Secret templates: name -> key -> placeholder."""
    return {
        secret["metadata"]["name"]: {**secret.get("data", {}), **secret.get("stringData", {})}
        for secret in of_kind("Secret", directory)
    }


def secret_files(deployment: Doc) -> dict[str, tuple[str, str]]:
    """The files the app container sees from Secret volumes: path -> (Secret, key)."""
    volumes = {v["name"]: v["secret"] for v in pod(deployment)["volumes"] if "secret" in v}
    found = {}
    for mount in app(deployment)["volumeMounts"]:
        volume = volumes.get(mount["name"])
        if volume is None:
            continue
        assert "subPath" not in mount, "a subPath mount is never updated: no rotation"
        for item in volume.get("items", []):
            found[f"{mount['mountPath']}/{item['path']}"] = (volume["secretName"], item["key"])
    return found


def file_variables(container: Doc) -> dict[str, str]:
    """The container's *_FILE variables: name -> path."""
    return {
        variable["name"]: variable["value"]
        for variable in container.get("env", [])
        if variable["name"].endswith("_FILE")
    }


def mebibytes(quantity: str) -> float:
    units = {"Mi": 1.0, "Gi": 1024.0}
    return float(quantity[:-2]) * units[quantity[-2:]]


def problems(directory: Path, version: str) -> list[str]:
    """What Kubernetes `version` would refuse in the manifests of `directory`."""
    found = []
    for file, document in manifests(directory):
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except (kubernetes_validate.ValidationError, SchemaNotFoundError) as error:
            found.append(f"{file}: {document['kind']}: {error.message}")
    return found


@pytest.mark.parametrize("version", KUBERNETES)
def test_every_manifest_is_valid_kubernetes(version: str) -> None:
    assert problems(DEPLOY, version) == []
    assert len(manifests()) >= 8


def test_the_validation_rejects_a_misspelt_field_and_a_wrong_type() -> None:
    misspelt = copy.deepcopy(one("Deployment", "backupbot-http"))
    container = app(misspelt)
    container["readinesProbe"] = container.pop("readinessProbe")
    wrong_type = copy.deepcopy(one("Deployment", "backupbot-http"))
    wrong_type["spec"]["replicas"] = "two"
    for broken in (misspelt, wrong_type):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(broken, KUBERNETES[-1], strict=True)


def test_http_mode_runs_two_replicas_and_socket_mode_no_more_than_slack_connects() -> None:
    assert DEPLOYMENTS == ["backupbot-http", "backupbot-socket"]
    http = one("Deployment", "backupbot-http")
    assert http["spec"]["replicas"] == 2
    assert command(app(http)).command == "serve"
    socket = one("Deployment", "backupbot-socket")
    assert 2 <= socket["spec"]["replicas"] <= 10  # Slack: up to 10 connections per app
    assert command(app(socket)).command == "socket"


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_a_deployment_selects_its_own_pods_and_no_other(name: str) -> None:
    deployment = one("Deployment", name)
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert [d["metadata"]["name"] for d in of_kind("Deployment") if selects(selector, d)] == [name]


def test_the_service_sends_slack_to_the_http_pods_on_the_port_serve_listens_on() -> None:
    (service,) = of_kind("Service")
    selector = service["spec"]["selector"]
    (deployment,) = [d for d in of_kind("Deployment") if selects(selector, d)]
    assert deployment["metadata"]["name"] == "backupbot-http"
    container = app(deployment)
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    for port in service["spec"]["ports"]:
        assert ports[port["targetPort"]] == command(container).port


def test_each_disruption_budget_covers_one_deployment_and_lets_a_drain_proceed() -> None:
    budgets = of_kind("PodDisruptionBudget")
    assert len(budgets) == len(DEPLOYMENTS)
    for budget in budgets:
        selector = budget["spec"]["selector"]["matchLabels"]
        (deployment,) = [d for d in of_kind("Deployment") if selects(selector, d)]
        assert 0 < budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_probes_ask_livez_on_the_port_the_command_serves_it_on(name: str) -> None:
    """Not /healthz: a broken state store makes that 503 while questions are still
    answered, and a database outage must not take every replica out of service."""
    container = app(one("Deployment", name))
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    served = command(container).port
    _, image_port = healthcheck()
    assert served == image_port == int(final_stage("EXPOSE")[0].arguments)
    assert {"readinessProbe", "livenessProbe"} <= container.keys()
    for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container[kind]["httpGet"]
        assert probe["path"] == "/livez"
        assert ports.get(probe["port"], probe["port"]) == served


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_containers_run_the_dockerfiles_image_and_entry_point(name: str) -> None:
    entry_point = final_stage("ENTRYPOINT")[0].exec_form()
    assert entry_point == ["backupbot"]
    assert f"`backupbot:{bot.__version__}`" in (ROOT / "README.md").read_text()
    for container in containers(one("Deployment", name)):
        assert container["image"] == f"backupbot:{bot.__version__}"
        assert "command" not in container, "the image's entry point runs: only args are given"
        command(container)  # a usage error exits the test


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_migrations_run_before_the_app_on_the_shared_database(name: str) -> None:
    (migrate,) = pod(one("Deployment", name))["initContainers"]
    assert migrate["args"] == ["migrate"]
    sources = {variable["name"]: variable["valueFrom"] for variable in migrate["env"]}
    assert sources["BACKUPBOT_DATABASE_URL"]["secretKeyRef"]["name"] == "backupbot"
    assert migrate["envFrom"] == app(one("Deployment", name))["envFrom"]


def test_every_secret_reference_names_a_key_the_template_defines() -> None:
    secrets = secret_keys()
    config_maps = {c["metadata"]["name"] for c in of_kind("ConfigMap")}
    for deployment in of_kind("Deployment"):
        for container in containers(deployment):
            for variable in container.get("env", []):
                if "value" in variable:
                    continue  # a *_FILE path: test_slack_secrets_are_files_of_a_mounted_secret
                reference = variable["valueFrom"]["secretKeyRef"]
                assert reference["key"] in secrets[reference["name"]], variable["name"]
                if not reference.get("optional", False):
                    assert secrets[reference["name"]][reference["key"]], "a placeholder to fill"
            for source in container["envFrom"]:
                assert source["configMapRef"]["name"] in config_maps
        for volume in pod(deployment)["volumes"]:
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets
                keys = secrets[volume["secret"]["secretName"]]
                for item in volume["secret"].get("items", []):
                    assert keys[item["key"]], f"{item['key']}: a placeholder to fill"


def test_secrets_reach_the_pods_only_from_secrets() -> None:
    secret = {
        str(choice)
        for field in Settings.model_fields.values()
        if field.annotation in (SecretStr, SecretStr | None)
        for choice in getattr(field.validation_alias, "choices", [])
    } | {"BACKUPBOT_DATABASE_URL"}  # holds a password
    for config_map in of_kind("ConfigMap"):
        assert not secret & config_map["data"].keys()
    for deployment in [*of_kind("Deployment"), *of_kind("Deployment", CCE)]:
        for container in containers(deployment):
            for variable in container.get("env", []):
                # A value only for the path of a file: the secret is in the file.
                assert "value" not in variable or variable["name"].endswith("_FILE"), variable


@pytest.mark.parametrize(
    "deployment",
    [*of_kind("Deployment"), *of_kind("Deployment", CCE)],
    ids=lambda d: d["metadata"]["name"] + ("@cce" if "serviceAccountName" in pod(d) else ""),
)
def test_slack_secrets_are_files_of_a_mounted_secret_read_again_when_it_changes(
    deployment: Doc,
) -> None:
    """Not variables, which keep their value until the pod restarts; not subPath mounts,
    which the kubelet never updates."""
    container = app(deployment)
    given = {variable["name"] for variable in container["env"]}
    assert not given & {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"}
    files = file_variables(container)
    assert "SLACK_BOT_TOKEN_FILE" in files
    mounted = secret_files(deployment)
    for name, path in files.items():
        assert path in mounted, f"{name}: {path} is no file of a mounted Secret"
        assert mounted[path][1] == name.removesuffix("_FILE")


def test_every_variable_the_pods_get_is_one_backupbot_reads() -> None:
    known = known_variables()
    given = {key for config_map in of_kind("ConfigMap") for key in config_map["data"]}
    for deployment in of_kind("Deployment"):
        for container in containers(deployment):
            given |= {variable["name"] for variable in container.get("env", [])}
    assert given - known == set()
    assert {"HUAWEICLOUD_PROJECT_ID", "HUAWEICLOUD_REGION", "SLACK_BOT_TOKEN_FILE"} <= given


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_the_templates_filled_as_they_are_make_a_configuration_backupbot_accepts(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = secret_keys()
    configure_as(one("Deployment", name), DEPLOY, monkeypatch, tmp_path)
    assert load_profiles(cloud_settings(Settings.load())).default == "default"
    assert slack_secrets(Settings.load()).bot_token is not None
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(secrets["backupbot-profiles"]["profiles.toml"])
    monkeypatch.setenv("BACKUPBOT_PROFILES_FILE", str(profiles))
    assert load_profiles(cloud_settings(Settings.load())).default == "prod"


def configure_as(
    deployment: Doc, directory: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The environment (and the Secret files) the app container of `deployment` gets, the
    templates of `directory` filled as they are."""
    secrets = secret_keys(directory)
    for variable in known_variables():
        monkeypatch.delenv(variable, raising=False)
    for key, value in one("ConfigMap", "backupbot")["data"].items():
        monkeypatch.setenv(key, value)
    mounted = secret_files(deployment)
    for variable in app(deployment)["env"]:
        if "value" in variable:  # a file of a mounted Secret: written where this test may
            secret, key = mounted[variable["value"]]
            path = tmp_path / key
            path.write_text(secrets[secret][key])
            monkeypatch.setenv(variable["name"], str(path))
            continue
        reference = variable["valueFrom"]["secretKeyRef"]
        monkeypatch.setenv(variable["name"], secrets[reference["name"]][reference["key"]])


@pytest.mark.parametrize("version", KUBERNETES)
def test_the_cce_variant_is_valid_kubernetes(version: str) -> None:
    assert problems(CCE, version) == []
    assert {d["kind"] for _, d in manifests(CCE)} >= {"Deployment", "ServiceAccount", "Secret"}


def test_the_cce_variant_is_the_http_deployment_without_cloud_keys_with_its_account() -> None:
    """Kept in step with ../http.yaml: the same pods, Service and budget, but no key."""
    expected = copy.deepcopy(one("Deployment", "backupbot-http"))
    for container in containers(expected):
        container["env"] = [
            variable for variable in container["env"] if variable["name"] not in CLOUD_KEYS
        ]
    pod(expected)["serviceAccountName"] = one("ServiceAccount", "backupbot", CCE)["metadata"][
        "name"
    ]
    assert one("Deployment", "backupbot-http", CCE) == expected
    for kind in ("Service", "PodDisruptionBudget"):
        assert of_kind(kind, CCE) == [
            d for d in of_kind(kind) if d["metadata"]["labels"]["app.kubernetes.io/component"]
            == "http"
        ]  # fmt: skip


def test_the_cce_variant_holds_no_cloud_secret_and_gets_credentials_from_the_chain(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "".join(path.read_text() for path in CCE.glob("*.yaml"))
    for name in (*CLOUD_KEYS, "HUAWEICLOUD_AUTH_TOKEN", "SECURITY_TOKEN", "access_key"):
        assert name not in text
    assert set(secret_keys(CCE)["backupbot"]) == {
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "BACKUPBOT_DATABASE_URL",
    }  # fmt: skip
    configure_as(one("Deployment", "backupbot-http", CCE), CCE, monkeypatch, tmp_path)
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(tmp_path / "none"))
    source = load_profiles(cloud_settings(Settings.load())).by_name["default"].credentials
    assert isinstance(source, Chain)
    assert source.kinds == ORDER


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_pods_run_unprivileged_read_only_and_without_a_service_account_token(name: str) -> None:
    spec = pod(one("Deployment", name))
    assert spec["automountServiceAccountToken"] is False
    assert spec["enableServiceLinks"] is False  # no BACKUPBOT_SERVICE_* variables
    uid, gid = image_user()
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert (spec["securityContext"]["runAsUser"], spec["securityContext"]["runAsGroup"]) == (
        uid,
        gid,
    )
    for container in containers(one("Deployment", name)):
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context["capabilities"]["drop"] == ["ALL"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_every_container_requests_more_memory_than_the_measured_peak(name: str) -> None:
    for container in containers(one("Deployment", name)):
        resources = container["resources"]
        assert "cpu" in resources["requests"]
        request = mebibytes(resources["requests"]["memory"])
        assert MEASURED_PEAK_MIB < request < mebibytes(resources["limits"]["memory"])


def test_the_profiles_file_is_mounted_where_the_readme_and_the_template_say() -> None:
    path = "/etc/backupbot/profiles/profiles.toml"
    assert "profiles.toml" in secret_keys()["backupbot-profiles"]
    for deployment in of_kind("Deployment"):
        (volume,) = [v for v in pod(deployment)["volumes"] if v["name"] == "profiles"]
        assert volume["secret"] == {"secretName": "backupbot-profiles", "optional": True}
        (mount,) = [m for m in app(deployment)["volumeMounts"] if m["name"] == volume["name"]]
        assert f"{mount['mountPath']}/profiles.toml" == path
    assert path in (DEPLOY / "secret.example.yaml").read_text()
    assert path in (ROOT / "README.md").read_text()

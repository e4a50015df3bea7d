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
from bot.cli import build_parser
from bot.config import Settings
from bot.huawei.profiles import load_profiles
from tests.test_packaging import final_stage, healthcheck, image_user

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "kubernetes"
Doc = dict[str, Any]

# Peak resident memory of `backupbot serve` under 200 concurrent commands (bench/bench_load.py).
MEASURED_PEAK_MIB = 76
KUBERNETES = sorted({all_versions()[0], all_versions()[-1]})


def manifests() -> list[tuple[str, Doc]]:
    """Every document of every YAML file, with its file's name."""
    return [
        (path.name, document)
        for path in sorted(DEPLOY.glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def of_kind(kind: str) -> list[Doc]:
    return [document for _, document in manifests() if document["kind"] == kind]


def one(kind: str, name: str) -> Doc:
    (found,) = [d for d in of_kind(kind) if d["metadata"]["name"] == name]
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


def secret_keys() -> dict[str, dict[str, str]]:
    """The Secret templates: name -> key -> placeholder."""
    return {
        secret["metadata"]["name"]: {**secret.get("data", {}), **secret.get("stringData", {})}
        for secret in of_kind("Secret")
    }


def mebibytes(quantity: str) -> float:
    units = {"Mi": 1.0, "Gi": 1024.0}
    return float(quantity[:-2]) * units[quantity[-2:]]


@pytest.mark.parametrize("version", KUBERNETES)
def test_every_manifest_is_valid_kubernetes(version: str) -> None:
    problems = []
    for file, document in manifests():
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except (kubernetes_validate.ValidationError, SchemaNotFoundError) as error:
            problems.append(f"{file}: {document['kind']}: {error.message}")
    assert problems == []
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
                reference = variable["valueFrom"]["secretKeyRef"]
                assert reference["key"] in secrets[reference["name"]], variable["name"]
                if not reference.get("optional", False):
                    assert secrets[reference["name"]][reference["key"]], "a placeholder to fill"
            for source in container["envFrom"]:
                assert source["configMapRef"]["name"] in config_maps
        for volume in pod(deployment)["volumes"]:
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets


def test_secrets_reach_the_pods_only_from_secrets() -> None:
    secret = {
        str(choice)
        for field in Settings.model_fields.values()
        if field.annotation in (SecretStr, SecretStr | None)
        for choice in getattr(field.validation_alias, "choices", [])
    } | {"BACKUPBOT_DATABASE_URL"}  # holds a password
    for config_map in of_kind("ConfigMap"):
        assert not secret & config_map["data"].keys()
    for deployment in of_kind("Deployment"):
        for container in containers(deployment):
            for variable in container.get("env", []):
                assert "value" not in variable, variable["name"]


def test_every_variable_the_pods_get_is_one_backupbot_reads() -> None:
    known = known_variables()
    given = {key for config_map in of_kind("ConfigMap") for key in config_map["data"]}
    for deployment in of_kind("Deployment"):
        for container in containers(deployment):
            given |= {variable["name"] for variable in container.get("env", [])}
    assert given - known == set()
    assert {"HUAWEICLOUD_PROJECT_ID", "HUAWEICLOUD_REGION", "SLACK_BOT_TOKEN"} <= given


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_the_templates_filled_as_they_are_make_a_configuration_backupbot_accepts(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = secret_keys()
    for variable in known_variables():
        monkeypatch.delenv(variable, raising=False)
    for key, value in one("ConfigMap", "backupbot")["data"].items():
        monkeypatch.setenv(key, value)
    for variable in app(one("Deployment", name))["env"]:
        reference = variable["valueFrom"]["secretKeyRef"]
        monkeypatch.setenv(variable["name"], secrets[reference["name"]][reference["key"]])
    assert load_profiles(Settings.load()).default == "default"
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(secrets["backupbot-profiles"]["profiles.toml"])
    monkeypatch.setenv("BACKUPBOT_PROFILES_FILE", str(profiles))
    assert load_profiles(Settings.load()).default == "prod"


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
        (volume,) = [v for v in pod(deployment)["volumes"] if "secret" in v]
        assert volume["secret"] == {"secretName": "backupbot-profiles", "optional": True}
        (mount,) = [m for m in app(deployment)["volumeMounts"] if m["name"] == volume["name"]]
        assert f"{mount['mountPath']}/profiles.toml" == path
    assert path in (DEPLOY / "secret.example.yaml").read_text()
    assert path in (ROOT / "README.md").read_text()

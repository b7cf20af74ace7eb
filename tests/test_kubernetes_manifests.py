"""The Kubernetes manifests (deploy/kubernetes/) are what `kubectl apply -k` would accept: every
object validates, strictly (no unknown field), against the schemas of the Kubernetes versions a
ministry's cluster may run (kubernetes-validate bundles them: no cluster or network needed);
and they hang together: every manifest is in the kustomization, every name one object refers
to exists, every setting the ConfigMap gives is one the app reads, the beat cannot run twice."""

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = ROOT / "deploy" / "kubernetes"
VERSIONS = ["1.28.0", "1.37.0"]


def documents(name: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all((MANIFESTS / name).read_text()) if doc]


def manifest_files() -> list[str]:
    return sorted(p.name for p in MANIFESTS.glob("*.yaml") if p.name != "kustomization.yaml")


def applied() -> list[dict]:
    kustomization = documents("kustomization.yaml")[0]
    return [doc for name in kustomization["resources"] for doc in documents(name)]


def by_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in applied() if doc["kind"] == kind}


def containers(doc: dict) -> list[dict]:
    return doc["spec"]["template"]["spec"]["containers"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", manifest_files())
def test_every_object_validates_strictly_against_kubernetes_schemas(name, version):
    for doc in documents(name):
        kubernetes_validate.validate(doc, version, strict=True)


def test_a_misspelt_field_would_be_caught():
    beat = documents("beat.yaml")[0]
    beat["spec"]["replica"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(beat, VERSIONS[-1], strict=True)


def test_the_kustomization_applies_every_manifest_but_the_secrets_example():
    resources = documents("kustomization.yaml")[0]["resources"]
    assert sorted(resources) == sorted(set(manifest_files()) - {"secret.example.yaml"})


def test_web_worker_beat_and_the_migrations_run_one_image():
    workloads = {**by_kind("Deployment"), **by_kind("Job")}
    images = {
        c["image"]
        for name, doc in workloads.items()
        if name != "nrm-pgbouncer"
        for c in containers(doc)
    }
    assert images == {"nrm"}  # set once, by the kustomization's `images`
    assert {"nrm-web", "nrm-worker", "nrm-beat", "nrm-migrate"} <= set(workloads)


def test_every_name_referred_to_exists():
    config_maps, claims = by_kind("ConfigMap"), by_kind("PersistentVolumeClaim")
    secret = documents("secret.example.yaml")[0]
    deployments = by_kind("Deployment")
    for doc in [*deployments.values(), *by_kind("Job").values()]:
        spec = doc["spec"]["template"]["spec"]
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps
                else:
                    assert source["secretRef"]["name"] == secret["metadata"]["name"]
            for variable in container.get("env", []):
                key = variable.get("valueFrom", {}).get("secretKeyRef")
                if key:
                    assert key["key"] in secret["stringData"], key
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims
            for item in volume.get("secret", {}).get("items", []):
                assert item["key"] in secret["stringData"]
    for autoscaler in by_kind("HorizontalPodAutoscaler").values():
        assert autoscaler["spec"]["scaleTargetRef"]["name"] in deployments
    for service in by_kind("Service").values():
        selected = service["spec"]["selector"]
        assert any(
            selected.items() <= d["spec"]["template"]["metadata"]["labels"].items()
            for d in deployments.values()
        ), service["metadata"]["name"]


def test_every_setting_given_is_one_the_app_reads():
    settings_source = (ROOT / "nrm" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', settings_source))
    read |= {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    read |= {"WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR", "POD_IP"}  # gunicorn, Kubernetes
    read |= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # boto3's own
    given = set(by_kind("ConfigMap")["nrm-config"]["data"])
    given |= set(documents("secret.example.yaml")[0]["stringData"])
    given -= {"OWNER_DATABASE_URL", "PGBOUNCER_USERLIST"}  # the migrations', PgBouncer's
    for doc in by_kind("Deployment").values():
        given |= {v["name"] for c in containers(doc) for v in c.get("env", [])}
    assert given - read == set()


def test_beat_cannot_run_twice_and_the_app_is_behind_pgbouncer():
    beat = by_kind("Deployment")["nrm-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    assert "core.beat:SingleBeatScheduler" in containers(beat)[0]["command"]
    ini = by_kind("ConfigMap")["nrm-pgbouncer"]["data"]["pgbouncer.ini"]
    assert "pool_mode = transaction" in ini
    assert by_kind("ConfigMap")["nrm-config"]["data"]["DATABASE_PGBOUNCER"] == "1"
    web = by_kind("Deployment")["nrm-web"]
    assert containers(web)[0]["readinessProbe"]["httpGet"]["path"] == "/readyz"
    worker_scaling = by_kind("HorizontalPodAutoscaler")["nrm-worker"]["spec"]["metrics"][0]
    assert worker_scaling["external"]["metric"]["name"] == "nrm_task_queue_length"

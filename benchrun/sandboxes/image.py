"""Build and inspect the sandbox image, offline.

The recipe lives in `images/` (a Dockerfile and the libraries tasks import). Its base is
`python:3.11-slim` when that image is already present; otherwise a Debian root file system
is made with mmdebstrap from the host's own apt mirror and imported, since no image
registry may be reachable. pip inside the build uses the host's index settings and CA
bundle, read at build time, so no host name is written down anywhere.
"""
from __future__ import annotations

import configparser
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import attrs
import docker
import docker.errors

from benchrun.sandboxes.base import SandboxUnavailable

RECIPE_DIR = Path(__file__).parent / "images"
RECIPE_FILES = ("Dockerfile", "requirements.txt", "constraints.txt")
IMAGE_REPOSITORY = "benchrun-sandbox"
SLIM_BASE = "python:3.11-slim"
DEBIAN_SUITE = "bookworm"
# Packages of the mmdebstrap base: Python, pip, git for the version-control tasks, and the
# C++/OpenMP runtimes scikit-learn and onnxruntime wheels link against.
BASE_PACKAGES = "python3,python3-pip,python3-venv,git,ca-certificates,libstdc++6,libgomp1,passwd"
HOST_CA_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")
# pip settings that say where packages come from; file:// indexes are host paths a build
# container cannot see, so they are left out.
PIP_SOURCE_KEYS = ("index-url", "extra-index-url", "trusted-host", "timeout", "retries")

Log = Callable[[str], None]


def benchrun_version() -> str:
    try:
        return importlib.metadata.version("benchrun")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        pyproject = Path(__file__).parents[2] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


def recipe_digest() -> str:
    """The recipe's files, hashed: a changed pin names a new image, never reuses a stale one."""
    digest = hashlib.sha256()
    for name in RECIPE_FILES:
        digest.update(name.encode() + b"\0" + (RECIPE_DIR / name).read_bytes())
    return digest.hexdigest()[:10]


def default_image() -> str:
    return f"{IMAGE_REPOSITORY}:{benchrun_version()}-{recipe_digest()}"


def base_image_tag() -> str:
    return f"{IMAGE_REPOSITORY}-base:{benchrun_version()}"


@attrs.frozen
class ImageInfo:
    tag: str
    size_bytes: int
    created: str
    built_now: bool = False
    seconds: float = 0.0


def connect() -> docker.DockerClient:
    """A client whose engine answers, or SandboxUnavailable saying how to start one."""
    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except Exception as error:  # noqa: BLE001  the SDK raises several types for "no engine"
        raise SandboxUnavailable(
            "Docker engine not running: start it with `sudo dockerd &` or "
            "`bash scripts/sandbox-engine.sh`, or use `sandbox local()` in the spec "
            f"({error.__class__.__name__})"
        ) from None


def find_image(client: docker.DockerClient, tag: str) -> ImageInfo | None:
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        return None
    return ImageInfo(tag=tag, size_bytes=image.attrs["Size"], created=image.attrs["Created"])


def require_image(client: docker.DockerClient, tag: str) -> None:
    if find_image(client, tag) is None:
        raise SandboxUnavailable(f"image {tag} missing: run `benchrun sandbox build`")


def build_image(
    client: docker.DockerClient, tag: str | None = None, force: bool = False, log: Log = print
) -> ImageInfo:
    """Build the sandbox image unless it exists (then this returns at once)."""
    tag = tag or default_image()
    existing = find_image(client, tag)
    if existing and not force:
        log(f"{tag} exists ({existing.size_bytes / 1e6:.0f} MB); use --force to rebuild")
        return existing
    started = time.monotonic()
    base = _base_image(client, force, log)
    log(f"building {tag} from {RECIPE_DIR} on {base}")
    with tempfile.TemporaryDirectory(prefix="benchrun-image-") as context:
        _write_context(Path(context))
        _stream_build(client, context, tag, base, log)
    info = find_image(client, tag)
    seconds = time.monotonic() - started
    log(f"built {tag}: {info.size_bytes / 1e6:.0f} MB in {seconds:.0f} s")
    return attrs.evolve(info, built_now=True, seconds=seconds)


def _base_image(client: docker.DockerClient, force: bool, log: Log) -> str:
    if find_image(client, SLIM_BASE):
        return SLIM_BASE
    base = base_image_tag()
    if find_image(client, base) and not force:
        return base
    if not shutil.which("mmdebstrap"):
        raise SandboxUnavailable(
            f"neither {SLIM_BASE} nor mmdebstrap is available to make a base image: "
            "install mmdebstrap (`apt-get install mmdebstrap`) or load a python:3.11-slim image"
        )
    mirror = debian_mirror()
    log(f"making {base} with mmdebstrap from {mirror} (about 30 s)")
    strip = " ".join(
        f'"$1"/{path}' for path in ("usr/share/doc/*", "usr/share/man/*", "usr/share/locale/*",
                                    "usr/share/info/*", "var/lib/apt/lists/*", "var/cache/apt/*")
    )
    command = [
        "mmdebstrap", "--variant=essential", f"--include={BASE_PACKAGES}", "--quiet",
        # Strip in the root file system itself: a later image layer cannot shrink it.
        "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-exclude=/usr/share/man/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*",
        f"--customize-hook=rm -rf {strip}",
        DEBIAN_SUITE, "-", mirror,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        client.api.import_image(
            src=process.stdout, repository=base, changes=['CMD ["python3"]'], stream_src=True
        )
    finally:
        process.stdout.close()
        stderr = process.stderr.read().decode(errors="replace")
        process.wait()
    if process.returncode != 0:
        raise SandboxUnavailable(f"mmdebstrap failed ({process.returncode}):\n{stderr[-2000:]}")
    return base


def debian_mirror(sources_dir: Path = Path("/etc/apt")) -> str:
    """The first Debian mirror in apt's sources (deb822 `.sources` or one-line `.list`)."""
    files = sorted((sources_dir / "sources.list.d").glob("*.sources")) + sorted(
        [sources_dir / "sources.list", *sorted((sources_dir / "sources.list.d").glob("*.list"))]
    )
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.MULTILINE))
                suites = fields.get("Suites", "").split()
                if "deb" in fields.get("Types", "").split() and DEBIAN_SUITE in suites:
                    return fields["URIs"].split()[0]
        else:
            for line in text.splitlines():
                parts = re.sub(r"\[[^]]*\]", "", line).split()
                if len(parts) >= 3 and parts[0] == "deb" and parts[2] == DEBIAN_SUITE:
                    return parts[1]
    raise SandboxUnavailable(f"no Debian {DEBIAN_SUITE} mirror found in {sources_dir}/sources.list*")


def _write_context(context: Path) -> None:
    for name in RECIPE_FILES:
        shutil.copy(RECIPE_DIR / name, context / name)
    (context / "build-pip.conf").write_text(host_pip_config())
    bundle = os.environ.get("PIP_CERT") or next((p for p in HOST_CA_BUNDLES if Path(p).is_file()), None)
    (context / "build-ca.crt").write_bytes(Path(bundle).read_bytes() if bundle else b"")


def host_pip_config() -> str:
    """The host's pip index settings (config files, then PIP_* variables) as a pip.conf."""
    settings: dict[str, str] = {}
    for path in ("/etc/pip.conf", "/etc/xdg/pip/pip.conf", "~/.config/pip/pip.conf", "~/.pip/pip.conf"):
        parser = configparser.ConfigParser()
        try:
            parser.read(os.path.expanduser(path))
        except configparser.Error:
            continue
        for section in ("global", "install"):
            if parser.has_section(section):
                settings.update({k: v for k, v in parser.items(section) if k in PIP_SOURCE_KEYS})
    for key in PIP_SOURCE_KEYS:
        value = os.environ.get("PIP_" + key.upper().replace("-", "_"))
        if value:
            settings[key] = value
    for key in ("index-url", "extra-index-url"):
        urls = [u for u in settings.get(key, "").split() if not u.startswith("file:")]
        settings[key] = " ".join(urls)
    lines = ["[global]"] + [f"{k} = {v}" for k, v in sorted(settings.items()) if v]
    return "\n".join(lines) + "\n"


def _stream_build(client: docker.DockerClient, context: str, tag: str, base: str, log: Log) -> None:
    # network_mode=host: the default bridge may lack the host's DNS/proxy route; the
    # build only runs pip, never sample code.
    stream = client.api.build(
        path=context, tag=tag, buildargs={"BASE": base}, rm=True, forcerm=True,
        decode=True, network_mode="host", labels={"benchrun.recipe": benchrun_version()},
    )
    for chunk in stream:
        if "error" in chunk:
            raise SandboxUnavailable(f"image build failed: {chunk['error'].strip()}")
        text = chunk.get("stream", "").rstrip()
        if text:
            log(text)


def image_libraries(client: docker.DockerClient, tag: str) -> dict[str, str]:
    """Versions of the recipe's libraries inside the image (one short container run)."""
    names = [line.split("#")[0].strip() for line in (RECIPE_DIR / "requirements.txt").read_text().splitlines()]
    names = [re.split(r"[<>=!~ ;\[]", n)[0] for n in names if n]
    script = (
        "import importlib.metadata as m, sys\n"
        "for n in sys.argv[1:]:\n"
        "    try: print(n, m.version(n))\n"
        "    except m.PackageNotFoundError: print(n, 'MISSING')\n"
    )
    output = client.containers.run(
        tag, ["python3", "-c", script, *names], remove=True, network_mode="none", read_only=True, user="65534:65534"
    )
    return dict(line.split(" ", 1) for line in output.decode().splitlines() if " " in line)

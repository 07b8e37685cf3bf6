"""`benchrun sandbox build|status|clean`."""
from __future__ import annotations

import time

import click

from benchrun.sandboxes.base import SandboxUnavailable


@click.group()
def sandbox() -> None:
    """Build and inspect the Docker sandbox that runs generated code."""


@sandbox.command()
@click.option("--force", is_flag=True, help="Rebuild even if the image exists (and its Debian base).")
@click.option("--image", "tag", default=None, help="Image tag to build [default: benchrun-sandbox:<version>-<recipe digest>].")
def build(force: bool, tag: str | None) -> None:
    """Build the sandbox image offline from benchrun/sandboxes/images/.

    Quick when the image exists. Uses python:3.11-slim if that image is present, else makes
    a Debian base with mmdebstrap from the host's apt mirror; pip uses the host's index
    settings and CA bundle.
    """
    from benchrun.sandboxes import image

    try:
        client = image.connect()
        info = image.build_image(client, tag=tag, force=force, log=lambda line: click.echo(line, err=True))
    except SandboxUnavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{info.tag}: {info.size_bytes / 1e6:.0f} MB" + (f", built in {info.seconds:.0f} s" if info.built_now else ""))


@sandbox.command()
@click.option("--image", "tag", default=None, help="Image tag to check [default: benchrun-sandbox:<version>-<recipe digest>].")
@click.option("--libs/--no-libs", default=True, help="List the library versions inside the image (one short run).")
def status(tag: str | None, libs: bool) -> None:
    """Say whether the Docker engine answers and the sandbox image exists."""
    from benchrun.sandboxes import image
    from benchrun.sandboxes.docker.cleanup import LABEL, remove_orphans

    tag = tag or image.default_image()
    try:
        client = image.connect()
    except SandboxUnavailable as error:
        click.echo(f"engine: not running. {error}")
        raise SystemExit(1) from None
    version = client.version()
    click.echo(f"engine: running (Docker {version.get('Version')}, cgroup v{client.info().get('CgroupVersion', '?')})")
    info = image.find_image(client, tag)
    if info is None:
        click.echo(f"image: {tag} missing: run `benchrun sandbox build`")
        raise SystemExit(1)
    click.echo(f"image: {tag}, {info.size_bytes / 1e6:.0f} MB, created {info.created[:19]}")
    if libs:
        started = time.monotonic()
        versions = image.image_libraries(client, tag)
        click.echo("libraries: " + ", ".join(f"{k} {v}" for k, v in versions.items())
                   + f" (checked in {time.monotonic() - started:.1f} s)")
    orphans = remove_orphans(client)
    if orphans:
        click.echo(f"containers: removed {orphans} left by runs that were killed")
    live = client.api.containers(all=True, filters={"label": LABEL})
    if live:
        click.echo(f"containers: {len(live)} sandbox containers of running benchrun processes")


@sandbox.command()
def clean() -> None:
    """Remove every sandbox container, also those of runs still going (the next run and
    `benchrun sandbox status` remove those of killed runs by themselves)."""
    import docker

    from benchrun.sandboxes import image
    from benchrun.sandboxes.docker.cleanup import LABEL

    try:
        client = image.connect()
    except SandboxUnavailable as error:
        raise click.ClickException(str(error)) from None
    containers = client.api.containers(all=True, filters={"label": LABEL})
    for container in containers:
        try:
            client.api.remove_container(container["Id"], force=True)
        except docker.errors.NotFound:  # its run removed it meanwhile
            pass
    click.echo(f"removed {len(containers)} sandbox containers")

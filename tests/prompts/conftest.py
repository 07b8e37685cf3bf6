"""The API documentation corpus, built once per test session from the libraries in the
sandbox image (real Docker, no network), in a session folder of its own."""
from __future__ import annotations

import pytest

from benchrun.prompts import corpus


@pytest.fixture(scope="session")
def apidocs(tmp_path_factory, docker_client):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BENCHRUN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.delenv("BENCHRUN_APIDOCS_PYTHON", raising=False)
        corpus._component_chunks.cache_clear()
        yield {name: corpus.corpus([name]) for name in corpus.COMPONENTS}

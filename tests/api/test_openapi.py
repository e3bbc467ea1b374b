"""The OpenAPI document is snapshotted so every API change is a visible diff; docs work offline.

Refresh the snapshot after an intended API change:

    UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi.py
"""

import json
import os
import re
from pathlib import Path

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


@pytest.fixture
def client(client):
    """Signed in: the docs and the schema are not public (API_DOCS_PUBLIC off)."""
    client.force_login(UserFactory())
    return client


def test_openapi_matches_the_snapshot(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API changed. If intended: UPDATE_SNAPSHOT=1 pytest tests/api/test_openapi.py"
    )


def test_every_operation_documents_its_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes & {"400", "401", "404", "422"}, (method, path)
            if path != "/api/v1/auth/token":
                assert "401" in codes, (method, path)
                assert operation.get("security"), (method, path)


def test_docs_load_nothing_from_outside(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    assert all(u.startswith("/api/v1/docs/assets/") for u in urls), urls
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content)
    assert '"url": "/api/v1/openapi.json"' in html


def test_docs_assets_are_whitelisted(client):
    assert client.get("/api/v1/docs/assets/..%2F..%2F__init__.py").status_code == 404
    assert client.get("/api/v1/docs/assets/swagger-ui-bundle.js.map").status_code == 404


def test_schema_class_names_are_unique():
    """ninja names components by class name: two schemas of one name silently overwrite each
    other in the published document."""
    from ninja import Schema

    import gaoxin.api  # noqa: F401  (imports every router)

    seen: dict[str, set[str]] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("gaoxin."):
                seen.setdefault(sub.__name__, set()).add(f"{sub.__module__}.{sub.__qualname__}")
            walk(sub)

    walk(Schema)
    assert "EnterpriseOut" in seen and "ProjectHistoryOut" in seen
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}

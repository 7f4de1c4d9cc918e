"""Rate limits: per API key, per IP and per email on login and password reset; memory and Redis."""

import uuid

import pytest
import redis

from ..factories import make_org, make_user
from .conftest import key_for, rate_limited_app

REDIS_URL = "redis://127.0.0.1:6379"


def redis_config() -> dict:
    """Redis storage under a prefix of this test's own, so parallel runs never share counters."""
    return {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"LIMITS-test-{uuid.uuid4().hex}"},
    }


STORAGES = {"memory": dict, "redis": redis_config}


@pytest.fixture(params=list(STORAGES))
def storage_config(request):
    return STORAGES[request.param]()


def test_api_is_limited_per_key_with_headers(app, ctx, storage_config):
    holder, other = key_for(make_org()), key_for(make_org())
    with rate_limited_app(app, API_RATE_LIMIT="3 per minute", **storage_config) as limited:
        client = limited.test_client()
        remaining = []
        for _ in range(3):
            response = client.get("/api/v1/agents", headers=holder.headers)
            assert response.status_code == 200
            assert response.headers["RateLimit-Limit"] == "3"
            assert 0 < int(response.headers["RateLimit-Reset"]) <= 60
            assert response.headers["RateLimit-Policy"] == "3;w=60"
            remaining.append(response.headers["RateLimit-Remaining"])
        assert remaining == ["2", "1", "0"]

        refused = client.get("/api/v1/organization", headers=holder.headers)
        assert refused.status_code == 429
        error = refused.get_json()["error"]
        assert error["code"] == "rate_limited"
        assert "3 per 1 minute" in error["message"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["RateLimit-Remaining"] == "0"

        # Another organization's key has its own allowance.
        assert client.get("/api/v1/agents", headers=other.headers).status_code == 200


def test_refused_keys_are_not_counted_against_anyone(app, ctx):
    holder = key_for(make_org())
    with rate_limited_app(app, API_RATE_LIMIT="2 per minute") as limited:
        client = limited.test_client()
        for _ in range(5):
            response = client.get("/api/v1/agents", headers={"Authorization": "Bearer sk_live_x"})
            assert response.status_code == 401
            assert "RateLimit-Limit" not in response.headers
        assert client.get("/api/v1/agents", headers=holder.headers).status_code == 200


def test_redis_shares_limits_between_workers(app, ctx):
    """Two app processes (gunicorn workers) on one Redis see the same counters."""
    holder = key_for(make_org())
    config = {"API_RATE_LIMIT": "2 per minute", **redis_config()}
    prefix = config["RATELIMIT_STORAGE_OPTIONS"]["key_prefix"]
    with rate_limited_app(app, **config) as first_worker:
        client = first_worker.test_client()
        assert client.get("/api/v1/agents", headers=holder.headers).status_code == 200
        assert client.get("/api/v1/agents", headers=holder.headers).status_code == 200
        assert redis.Redis.from_url(REDIS_URL).keys(f"{prefix}*")
        with rate_limited_app(app, **config) as second_worker:
            response = second_worker.test_client().get("/api/v1/agents", headers=holder.headers)
            assert response.status_code == 429


def test_memory_storage_is_per_process(app, ctx):
    holder = key_for(make_org())
    with rate_limited_app(app, API_RATE_LIMIT="1 per minute") as first_worker:
        client = first_worker.test_client()
        assert client.get("/api/v1/agents", headers=holder.headers).status_code == 200
        assert client.get("/api/v1/agents", headers=holder.headers).status_code == 429
        with rate_limited_app(app, API_RATE_LIMIT="1 per minute") as second_worker:
            response = second_worker.test_client().get("/api/v1/agents", headers=holder.headers)
            assert response.status_code == 200


@pytest.mark.parametrize("path", ["/login", "/forgot-password"])
def test_sign_in_forms_are_limited_per_email(app, ctx, storage_config, path):
    user = make_user()
    limits = {"LOGIN_RATE_LIMIT": "100 per minute", "LOGIN_EMAIL_RATE_LIMIT": "2 per minute"}
    with rate_limited_app(app, **limits, **storage_config) as limited:
        client = limited.test_client()
        form = {"email": user.email, "password": "wrong password"}
        for _ in range(2):
            assert client.post(path, data=form).status_code != 429
        # The same address in another case, from another address: still the same person.
        form["email"] = user.email.upper()
        refused = client.post(path, data=form, environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert refused.status_code == 429
        assert "Too many requests" in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) >= 1
        other = {"email": "someone.else@example.com", "password": "x"}
        assert client.post(path, data=other).status_code != 429


@pytest.mark.parametrize("path", ["/login", "/forgot-password"])
def test_sign_in_forms_are_limited_per_ip(app, ctx, storage_config, path):
    limits = {"LOGIN_RATE_LIMIT": "3 per minute", "LOGIN_EMAIL_RATE_LIMIT": "100 per minute"}
    with rate_limited_app(app, **limits, **storage_config) as limited:
        client = limited.test_client()
        for n in range(3):
            form = {"email": f"guess{n}@example.com", "password": "x"}
            assert client.post(path, data=form).status_code != 429
        form = {"email": "guess9@example.com", "password": "x"}
        assert client.post(path, data=form).status_code == 429
        elsewhere = client.post(path, data=form, environ_base={"REMOTE_ADDR": "10.0.0.7"})
        assert elsewhere.status_code != 429
        # Showing the form is never limited.
        assert client.get(path).status_code == 200


def test_redis_outage_falls_back_to_memory_not_500(app, ctx):
    holder = key_for(make_org())
    down = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1", "API_RATE_LIMIT": "2 per minute"}
    with rate_limited_app(app, **down) as limited:
        client = limited.test_client()
        answers = [client.get("/api/v1/agents", headers=holder.headers) for _ in range(3)]
        assert [response.status_code for response in answers] == [200, 200, 429]
        form = {"email": "a@b.example", "password": "x"}
        assert client.post("/login", data=form).status_code == 401

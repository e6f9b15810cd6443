"""The intake's rate limit on the cache production uses: Redis (REDIS_URL, as in CI).

The rest of the suite runs on a local-memory cache, which takes the portable path of
migrants.ratelimit.count; these tests prove the Redis path, one pipelined round trip."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from migrants import ratelimit
from tests.migrants.intake_data import valid_intake

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (make test sets it)")


@pytest.fixture
def redis_cache(settings):  # type: ignore[no-untyped-def]
    # A prefix of its own, so the keys of parallel runs never meet.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    backend = caches["default"]
    yield backend
    backend.clear()


def test_count_increments_in_redis_and_sets_the_window_once(redis_cache, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def three_round_trips(*args: object, **kwargs: object) -> None:
        raise AssertionError("count() took the portable path (add, then incr) on Redis")

    monkeypatch.setattr(redis_cache, "add", three_round_trips)
    monkeypatch.setattr(redis_cache, "incr", three_round_trips)
    request = RequestFactory().post("/intake/", REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        ratelimit.count("intake", request)
    key = ratelimit._key("intake", request)
    assert redis_cache.get(key) == 3
    redis_key = redis_cache.make_and_validate_key(key)
    ttl = redis_cache._cache.get_client(key).ttl(redis_key)
    assert 0 < ttl <= ratelimit.WINDOW_SECONDS
    assert ratelimit.is_limited("intake", request, 3)
    assert not ratelimit.is_limited("intake", request, 4)
    other = RequestFactory().post("/intake/", REMOTE_ADDR="203.0.113.8")
    assert not ratelimit.is_limited("intake", other, 1)


@pytest.mark.django_db
def test_the_intake_is_limited_on_redis(redis_cache, settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTAKE_RATE_LIMIT = 1
    client = Client()
    assert client.post("/intake/", valid_intake(email="one@example.org")).status_code == 302
    response = client.post("/intake/", valid_intake(email="two@example.org"))
    assert response.status_code == 429
    assert b"two@example.org" in response.content

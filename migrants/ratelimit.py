"""A fixed-window counter per client address, kept in the shared cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils import timezone

WINDOW_SECONDS = 60 * 60


def client_address(request: HttpRequest) -> str:
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _key(scope: str, request: HttpRequest) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"ratelimit:{scope}:{client_address(request)}:{window}"


def is_limited(scope: str, request: HttpRequest, limit: int) -> bool:
    return cache.get(_key(scope, request), 0) >= limit


def count(scope: str, request: HttpRequest) -> None:
    key = _key(scope, request)
    # The backend itself: `cache` is a proxy, which isinstance() does not see through.
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip instead of add + exists + incr: INCR creates the key at 1, and the
        # expiry is set only if it has none yet (Redis 7's EXPIRE NX).
        client = backend._cache.get_client(key, write=True)
        redis_key = backend.make_and_validate_key(key)
        client.pipeline(transaction=False).incr(redis_key).expire(
            redis_key, WINDOW_SECONDS, nx=True
        ).execute()
        return
    # add() is atomic: only the first request of a window creates the key.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, WINDOW_SECONDS)

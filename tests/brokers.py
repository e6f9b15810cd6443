"""Pointing this test process's Celery app at another broker for a while (e.g. one that is
down), shared by every test that needs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import kombu.pools

from welcome_center.celery import app as celery_app

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker(**conf: Any) -> Iterator[None]:
    """Connections are pooled with the URL and options they were made with, in pools shared by
    the whole process, so all pools are dropped on the way in and out (as after a fork). That
    also revives a pool an earlier test closed ("Acquire on closed pool")."""
    previous = {key: celery_app.conf[key] for key in conf}

    def reset_pools() -> None:
        kombu.pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.update(conf)
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.update(previous)
        reset_pools()

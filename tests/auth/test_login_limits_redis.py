"""With Redis as the limiter's storage, every worker sees the same login counts."""

import random
import uuid

import pytest

from lms import create_app
from lms.extensions import limiter

REDIS_URI = "redis://127.0.0.1:6379/0"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URI, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def worker(app):
    """``worker()`` builds a new app on the test database with Redis limits, as a new process would."""
    if not _redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")

    address = f"127.{random.randrange(1, 255)}.{random.randrange(1, 255)}.{random.randrange(1, 255)}"

    def build(storage=REDIS_URI):
        fresh = create_app({**app.config, "RATELIMIT_STORAGE_URI": storage})
        fresh.test_client_class = app.test_client_class
        client = fresh.test_client()
        client.environ_base["REMOTE_ADDR"] = address  # a fresh per-IP key too
        return client

    yield build
    limiter.init_app(app)  # the limiter is one object: give the suite back its in-memory storage


def test_a_new_worker_sees_the_failures_counted_by_another(worker, app_ctx):
    account = f"khong-co-{uuid.uuid4().hex[:8]}"  # a fresh key: no clash with other runs on the same Redis
    first = worker()
    for _ in range(10):
        assert first.post_form("/login", {"identifier": account, "password": "sai"}).status_code == 401
    second = worker()  # a new storage connection: nothing is carried over in memory
    assert type(limiter.storage).__name__ == "RedisStorage"
    assert second.post_form("/login", {"identifier": account, "password": "sai"}).status_code == 429
    in_memory = worker("memory://")  # the control: per-process memory starts from zero
    assert in_memory.post_form("/login", {"identifier": account, "password": "sai"}).status_code == 401

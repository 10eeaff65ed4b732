"""The shared cache (``REDIS_URL``) against the local Redis server: pages answer, the page
cache, the write limit and allauth's login lockout keep their counts in Redis, where every app
process sees them (issue #11, finding 3: with ``REDIS_URL`` set every page answered 500)."""

from __future__ import annotations

import re

import pytest
import redis
from django.test import Client, override_settings

from tests.accounts.factories import PASSWORD, UserFactory
from tests.core.redis_server import redis_url

pytestmark = pytest.mark.django_db

DB = 9


@pytest.fixture(autouse=True)
def _redis_cache(settings):
    url = redis_url(DB)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    server = redis.Redis.from_url(url)
    yield server
    server.flushdb()
    server.close()


PER_VISITOR = re.compile(rb'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"')


def _per_visitor_parts_removed(response) -> bytes:
    """The page without its CSP nonces and CSRF tokens, which differ for every visitor."""
    return PER_VISITOR.sub(rb"\1=''", response.content)


@pytest.fixture
def server(_redis_cache) -> redis.Redis:
    return _redis_cache


def test_pages_answer(torino):
    codes = {url: Client().get(url).status_code for url in ("/", "/torino/", "/account/login/")}

    assert codes == {"/": 200, "/torino/": 200, "/account/login/": 200}


def test_the_page_cache_keeps_pages_in_redis(settings, server, torino):
    settings.PAGE_CACHE_SECONDS = 60

    first = Client().get("/torino/commons/")
    second = Client().get("/torino/commons/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert _per_visitor_parts_removed(second) == _per_visitor_parts_removed(first)
    assert any(b"page:" in key for key in server.keys("*"))


@override_settings(WRITE_RATE_LIMIT="2/m")
def test_the_write_limit_counts_in_redis(server):
    def switch():
        return Client().post("/i18n/setlang/", {"language": "en"}, REMOTE_ADDR="203.0.113.5")

    codes = [switch().status_code for _ in range(3)]

    assert codes == [302, 302, 429]
    assert any(b"rl:" in key for key in server.keys("*"))


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip,3/5m/key"})
def test_a_login_lockout_is_kept_in_redis(server):
    user = UserFactory()
    for _ in range(3):
        Client().post("/account/login/", {"login": user.email, "password": "wrong"})

    locked = Client().post("/account/login/", {"login": user.email, "password": PASSWORD})

    assert locked.status_code == 200  # the form again, not the redirect of a login
    assert "_auth_user_id" not in locked.client.session
    assert any(b"allauth:rl:" in key for key in server.keys("*"))


def test_a_write_forgets_its_citys_pages_in_redis_and_keeps_the_others(
    settings, server, torino, reggio, django_capture_on_commit_callbacks
):
    """The versions live in the shared cache: what one process writes, every process's next
    read sees (cocity/core/versions.py)."""
    from cocity.commons.services import commons_update
    from tests.commons.factories import CommonsFactory

    settings.PAGE_CACHE_SECONDS = 600
    commons = CommonsFactory(municipality=torino, name="Giardino Pellizza")
    for url in ("/torino/commons/", "/reggio-emilia/"):
        Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        commons_update(
            actor=None, commons=commons, lon=commons.lon, lat=commons.lat, name="Giardino Artom"
        )
    assert [Client().get(u)["X-Page-Cache"] for u in ("/torino/commons/", "/reggio-emilia/")] == [
        "miss",
        "hit",
    ]
    assert any(key.startswith(b":1:v:city:") for key in server.keys("*"))

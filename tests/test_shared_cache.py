"""The shared cache comes from CACHE_URL: Redis in production, a directory of files by default (nothing to run,
and still one cache for all the worker processes of a machine)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def shell(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "CACHE_KEY_PREFIX"}}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_default_cache_is_a_directory_in_the_checkout_shared_by_processes(tmp_path):
    result = shell(
        "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.filebased.FileBasedCache", str(ROOT / "var" / "cache")]
    # One process writes, another reads: what throttles and the data version need.
    url = f"file://{tmp_path}"
    assert shell("from django.core.cache import cache; cache.set('shared', 'yes', 60)", CACHE_URL=url).returncode == 0
    result = shell("from django.core.cache import cache; print(cache.get('shared'))", CACHE_URL=url)
    assert result.stdout.split() == ["yes"], result.stderr


def test_a_redis_url_uses_djangos_redis_backend_with_the_key_prefix():
    code = (
        "from django.core.cache import cache, caches; from django.core.cache.backends.redis import RedisCache; "
        "cache.set('probe', 41, 30); cache.incr('probe'); cache.set_many({'a': 1, 'b': 2}); "
        "print(isinstance(caches['default'], RedisCache), cache.get('probe'), "
        "cache.make_key('probe'), sorted(cache.get_many(['a', 'b', 'c']).items()) == [('a', 1), ('b', 2)])"
    )
    result = shell(code, CACHE_URL=REDIS_URL, CACHE_KEY_PREFIX="serve")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "42", "serve:1:probe", "True"]


def test_an_unknown_cache_url_is_a_clear_startup_error():
    result = shell("from django.conf import settings; print(settings.CACHES)", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must start with" in result.stderr


def test_on_redis_a_rate_limit_window_counts_in_one_round_trip_and_expires():
    """Window.count() on Redis is one pipeline (SET NX EX, INCR, and MGET of what else the request reads): two
    processes counting in one window see one count, which the cache reads back as a number, and which expires
    with the window (a day long here, so that both runs fall in one)."""
    code = (
        "from django.core.cache import cache; from api.throttles import Window; "
        "from redis.client import Pipeline; calls = []; execute = Pipeline.execute; "
        "Pipeline.execute = lambda self, *a, **k: calls.append(len(self.command_stack)) or execute(self, *a, **k); "
        "w = Window('anon:' + __import__('os').environ['PROBE'], (100, 86400)); "
        "cache.set('answer', {'kept': [1, 2]}); calls.clear(); "
        "counts = [w.count(), w.count(['answer', 'missing'])]; "
        "ttl = cache._cache.get_client().ttl(cache.make_key(w.key)); "
        "print(counts == [(counts[0][0], {}), (counts[0][0] + 1, {'answer': {'kept': [1, 2]}})], counts[0][0], "
        "w.peek(), calls, 0 < ttl <= 86401)"
    )
    probe = f"probe-{os.getpid()}-{os.urandom(4).hex()}"
    first = shell(code, CACHE_URL=REDIS_URL, PROBE=probe)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["True", "1", "2", "[2,", "3]", "True"]
    second = shell(code, CACHE_URL=REDIS_URL, PROBE=probe)  # another process, the same window
    assert second.stdout.split()[:3] == ["True", "3", "4"], second.stderr

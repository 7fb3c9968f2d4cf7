"""Django's Redis cache backend, made cheaper for the page cache's many small reads.

A cached reader page costs two reads at each request: the page, then the versions of
its keys (about twenty on an article page, a hundred on the home page). Two costs of
Django's backend were larger than Redis answering:

- It checks every key for what memcached refuses (control characters, more than 250
  characters), a loop over each character in Python: 5 µs a key. Redis takes any key,
  and ours are made by the page cache (names and hashes), never typed by a reader.
- It makes a new ``redis.Redis`` client for every call, and each new client builds its
  table of reply callbacks (some 300 entries): about 90 µs, twice per page served. A
  client holds no connection of its own (it takes one from the pool for each command),
  so one client per connection pool is kept.

And it reads a page and the versions of its keys in one round trip instead of two:
``set_with_companions()`` stores, beside a value, the names of the keys to be read with
it, and ``get_with_companions()`` reads all of them in one call of a Lua script. Other
backends have no such methods; the page cache then reads twice.
"""

import logging
import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT, default_key_func
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# KEYS: a value's key and the key of its companions' names (one per line, without the
# cache's prefix, which is ARGV[1]). Returns {} when the value is missing; else the value,
# the names and their values (false where missing).
READ_WITH_COMPANIONS = """
local value = redis.call('GET', KEYS[1])
if not value then return {} end
local names = redis.call('GET', KEYS[2])
if not names or names == '' then return {value} end
local keys = {}
for name in string.gmatch(names, '[^\\n]+') do keys[#keys + 1] = ARGV[1] .. name end
return {value, names, redis.call('MGET', unpack(keys))}
"""
COMPANIONS_SUFFIX = ":companions"
# Django's serializer stores an int as its digits and anything else pickled (a pickle of
# protocol 2 or later starts with this opcode); it tries int() first, which fails, at a cost,
# for every version token a page's companions hold.
PICKLE_PROTO = b"\x80"
SCRIPTS_REFUSED = object()

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a connection pool (kept in self._pools): its client
        self._scripts = {}  # id of a client: READ_WITH_COMPANIONS registered with it

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def read_with_companions(self, key, companions_key, prefix):
        client = self.get_client(key)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(READ_WITH_COMPANIONS)
        if script is SCRIPTS_REFUSED:
            return self.get(key, None), {}
        try:
            reply = script(keys=[key, companions_key], args=[prefix], client=client)
        except self._lib.exceptions.ResponseError as error:
            # A managed Redis may deny scripts (an ACL, a disabled command): read as Django does.
            logger.warning("Redis refused the page cache's read script (%s); reading the page alone", error)
            self._scripts[id(client)] = SCRIPTS_REFUSED
            return self.get(key, None), {}
        if not reply:
            return None, {}
        value = self._serializer.loads(reply[0])
        if len(reply) < 3:
            return value, {}
        names = [name for name in reply[1].decode().split("\n") if name]  # as the script splits them
        return value, {
            name: pickle.loads(found) if found[:1] == PICKLE_PROTO else self._serializer.loads(found)
            for name, found in zip(names, reply[2], strict=True)
            if found is not None
        }

    def set_with_companions(self, key, value, timeout, companions_key, names):
        if timeout == 0:
            self.get_client(key, write=True).delete(key, companions_key)
            return
        pipeline = self.get_client(key, write=True).pipeline()
        pipeline.set(key, self._serializer.dumps(value), ex=timeout)
        pipeline.set(companions_key, "\n".join(names), ex=timeout)
        pipeline.execute()


class UnchangedValues:
    """Whether some keys still hold the values they held: one MGET, compared as stored bytes
    (the serializer writes a given value as the same bytes every time), nothing decoded."""

    def __init__(self, client, full_keys, stored):
        self._client, self._full_keys, self._stored = client, full_keys, stored

    def hold(self):
        return self._client().mget(self._full_keys) == self._stored


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def validate_key(self, key):
        pass

    def get_with_companions(self, key, version=None):
        """``(value or None, {companion name: value})``: ``key``'s value and those of the
        companions stored with it, in one round trip (none where missing or evicted)."""
        full_key = self.make_key(key, version=version)
        if self.key_func is not default_key_func:
            return self._cache.get(full_key, None), {}
        return self._cache.read_with_companions(
            full_key,
            self.make_key(key + COMPANIONS_SUFFIX, version=version),
            self.make_key("", version=version),
        )

    def unchanged_values(self, values, version=None):
        """An ``UnchangedValues`` for ``values`` ({key: value}): its ``hold()`` says, in one read,
        whether every key still holds its value."""
        full_keys = [self.make_key(key, version=version) for key in values]
        dumped = [self._cache._serializer.dumps(value) for value in values.values()]
        stored = [value if isinstance(value, bytes) else str(value).encode() for value in dumped]  # ints
        return UnchangedValues(self._cache.get_client, full_keys, stored)

    def set_with_companions(self, key, value, companions, timeout=DEFAULT_TIMEOUT, version=None):
        """``set(key, value, timeout)``, and remember the keys ``companions`` (names without
        newlines) to be read with it by ``get_with_companions()``."""
        self._cache.set_with_companions(
            self.make_key(key, version=version),
            value,
            self.get_backend_timeout(timeout),
            self.make_key(key + COMPANIONS_SUFFIX, version=version),
            companions,
        )

"""Ids and RNGs are the documented functions of the project seed and the key, computed the
fast way: the same text as ``uuid.uuid5``, the same stream as ``random.Random(seed)``."""

from __future__ import annotations

import hashlib
import random
import uuid

from hypothesis import given
from hypothesis import strategies as st

from mentara_seed.planner.ids import Keyspace

KEYS = st.lists(st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6)), min_size=1,
                max_size=4)


@given(seed=st.integers(0, 2**31), parts=KEYS)
def test_an_id_is_uuid5_of_the_seed_namespace_and_the_key(seed, parts):
    keys = Keyspace(seed)
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"mentara-seed:{seed}")
    assert keys.id(*parts) == str(uuid.uuid5(namespace, "/".join(map(str, parts))))


@given(seed=st.integers(0, 2**31), parts=KEYS)
def test_an_rng_is_random_random_seeded_from_sha256_of_the_seed_and_key(seed, parts):
    key = f"{seed}\x1f" + "/".join(map(str, parts))
    expected = random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))
    got = Keyspace(seed).rng(*parts)
    assert got.getstate() == expected.getstate()
    assert [got.random() for _ in range(5)] == [expected.random() for _ in range(5)]
    assert [got.gauss(0, 1) for _ in range(3)] == [expected.gauss(0, 1) for _ in range(3)]
    assert got.randint(1, 10**9) == expected.randint(1, 10**9)


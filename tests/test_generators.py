"""The generators inside the kernels against their reference outputs."""

import numpy as np
from numba import njit

from spinlab._kernels import SPLITMIX_GAMMA, splitmix_mix, xoshiro_step


@njit
def _splitmix_outputs(seed, count):
    out = np.empty(count, dtype=np.uint64)
    for k in range(count):
        out[k] = splitmix_mix(seed + np.uint64(k + 1) * SPLITMIX_GAMMA)
    return out


@njit
def _xoshiro_outputs(state, count):
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    out = np.empty(count, dtype=np.uint64)
    for k in range(count):
        out[k], s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
    return out


def _splitmix_reference(seed, count):
    """SplitMix64 (Steele, Lea and Flood 2014) in plain Python integers."""
    mask = 2**64 - 1
    out = []
    for _ in range(count):
        seed = (seed + 0x9E3779B97F4A7C15) & mask
        z = seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z ^ (z >> 31))
    return out


def _xoshiro_reference(state, count):
    """xoshiro256+ (Blackman and Vigna) in plain Python integers."""
    mask = 2**64 - 1
    s = [int(x) for x in state]
    out = []
    for _ in range(count):
        out.append((s[0] + s[3]) & mask)
        t = (s[1] << 17) & mask
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & mask
    return out


def test_splitmix_matches_the_reference_sequence():
    assert _splitmix_outputs(np.uint64(0), 1)[0] == 0xE220A8397B1DCDAF  # the published first output for seed 0
    for seed in (1, 2**63 + 12345, 2**64 - 1):
        assert [int(x) for x in _splitmix_outputs(np.uint64(seed), 50)] == _splitmix_reference(seed, 50)


def test_xoshiro_matches_the_reference_sequence():
    state = np.array([1, 2, 3, 2**64 - 5], dtype=np.uint64)
    assert [int(x) for x in _xoshiro_outputs(state, 50)] == _xoshiro_reference(state, 50)


def test_splitmix_bits_are_uniform():
    # 2**16 outputs: each of the 64 bits is set with frequency 1/2 (binomial sd 1/512; 5 sd bound)
    bits = (_splitmix_outputs(np.uint64(7), 2**16)[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    assert np.all(np.abs(bits.mean(axis=0) - 0.5) < 5 / 512)

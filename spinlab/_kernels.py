"""Kernels shared by all subpackages: the random generators used inside Numba code.

* xoshiro256+ (four words of state, :func:`xoshiro_step`): the sequential generator of every
  single-chain kernel;
* SplitMix64 (one word of state advanced by a constant, :func:`splitmix_mix` of state + k * gamma):
  a counter-based generator whose k-th output needs no earlier one, so blocks of draws
  vectorise (the multispin kernels draw a whole sweep of numbers for many words at once).
"""

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

_ROTATE = np.uint64(45)
_SHIFT = np.uint64(17)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
SPLITMIX_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True, inline="always")
def _rotl45(x):
    return (x << _ROTATE) | (x >> np.uint64(19))


@njit(cache=True, inline="always")
def next_uint64(state):
    """Advance the xoshiro256+ ``state`` (four uint64 words) and return 64 random bits."""
    s0 = state[0]
    s1 = state[1]
    s2 = state[2] ^ s0
    s3 = state[3] ^ s1
    result = s0 + state[3]
    t = s1 << _SHIFT
    state[1] = s1 ^ s2
    state[0] = s0 ^ s3
    state[2] = s2 ^ t
    state[3] = _rotl45(s3)
    return result


@njit(cache=True, inline="always")
def xoshiro_step(s0, s1, s2, s3):
    """Register form of :func:`next_uint64`: returns (64 random bits, new s0, s1, s2, s3)."""
    result = s0 + s3
    t = s1 << _SHIFT
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    return result, s0, s1, s2, _rotl45(s3)


@njit(cache=True, inline="always")
def next_double(state):
    """A uniform double in [0, 1) from the top 53 bits of the next output."""
    return (next_uint64(state) >> np.uint64(11)) * _TO_UNIT


@njit(cache=True, inline="always")
def splitmix_mix(z):
    """SplitMix64 output function: 64 random bits from the counter value ``z`` = state + k * gamma."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def _reinterpretation(source, target):
    """An intrinsic that returns the bits of a ``source`` value as a ``target`` value (same width)."""

    @intrinsic
    def reinterpret(typingctx, value):
        if value != source:
            return None

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], context.get_value_type(target))

        return target(source), codegen

    return reinterpret


float_bits = _reinterpretation(types.float64, types.uint64)
float_bits.__doc__ = "The 64 bits of a float64 as a uint64 (a reinterpretation, no conversion)."
bits_float = _reinterpretation(types.uint64, types.float64)
bits_float.__doc__ = "The float64 whose 64 bits are the uint64 argument (inverse of float_bits)."

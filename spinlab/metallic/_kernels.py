"""Numba kernels of :mod:`spinlab.metallic`: neighbour lists, local fields, LLG rotations, descriptors.

Neighbours are stored in compressed-row form: the neighbours of site ``i`` are
``indices[indptr[i]:indptr[i + 1]]``, with the displacement ``vectors[p] = r_j - r_i`` (minimum image
in a periodic box) and ``distances[p] = |vectors[p]|``. Every pair appears twice (i -> j and j -> i).
Spins are unit 3-vectors stored as float64 arrays of shape (n, 3), or (k, n, 3) for a batch.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def neighbour_list(positions, box, cutoff):
    """Pairs closer than ``cutoff``; ``box <= 0`` means open boundaries, else a periodic cube of side ``box``.

    Returns (indptr (n+1,), indices (P,), vectors (P, 3), distances (P,)).
    """
    n = positions.shape[0]
    counts = np.zeros(n + 1, dtype=np.int64)
    cut2 = cutoff * cutoff
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            d2 = 0.0
            for a in range(3):
                d = positions[j, a] - positions[i, a]
                if box > 0.0:
                    d -= box * np.round(d / box)
                d2 += d * d
            if d2 < cut2:
                counts[i + 1] += 1
    indptr = np.cumsum(counts)
    n_pairs = indptr[n]
    indices = np.empty(n_pairs, dtype=np.int64)
    vectors = np.empty((n_pairs, 3))
    distances = np.empty(n_pairs)
    p = 0
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            d2 = 0.0
            vec = np.empty(3)
            for a in range(3):
                d = positions[j, a] - positions[i, a]
                if box > 0.0:
                    d -= box * np.round(d / box)
                vec[a] = d
                d2 += d * d
            if d2 < cut2:
                indices[p] = j
                vectors[p] = vec
                distances[p] = math.sqrt(d2)
                p += 1
    return indptr, indices, vectors, distances


@njit(cache=True)
def pair_fields(indptr, indices, coef, spins, out):
    """out[c, i] = sum_p coef[min(c, K-1), p] spins[c, j_p] over the neighbours p of i, for every config c.

    ``coef`` is (K, P) with K = 1 (the same coefficients for every configuration) or K = number of configs.
    """
    n_conf, n, _ = spins.shape
    k_last = coef.shape[0] - 1
    for c in range(n_conf):
        row = min(c, k_last)
        for i in range(n):
            h0 = 0.0
            h1 = 0.0
            h2 = 0.0
            for p in range(indptr[i], indptr[i + 1]):
                j = indices[p]
                w = coef[row, p]
                h0 += w * spins[c, j, 0]
                h1 += w * spins[c, j, 1]
                h2 += w * spins[c, j, 2]
            out[c, i, 0] = h0
            out[c, i, 1] = h1
            out[c, i, 2] = h2


@njit(cache=True)
def coef_gradient(indptr, indices, resid, spins, out):
    """out[c, p] = resid[c, i] . spins[c, j_p]: derivative of sum_i resid_i . h_i with respect to coef[c, p]."""
    n_conf, n, _ = spins.shape
    for c in range(n_conf):
        for i in range(n):
            for p in range(indptr[i], indptr[i + 1]):
                j = indices[p]
                acc = resid[c, i, 0] * spins[c, j, 0] + resid[c, i, 1] * spins[c, j, 1]
                out[c, p] = acc + resid[c, i, 2] * spins[c, j, 2]


@njit(cache=True)
def llg_omega(spins, fields, alpha, out):
    """Angular velocity of dS/dt = omega x S for the LLG right-hand side -S x h - alpha S x (S x h).

    omega = h + alpha S x h (because (S x h) x S = -S x (S x h)).
    """
    n = spins.shape[0]
    for i in range(n):
        sx, sy, sz = spins[i, 0], spins[i, 1], spins[i, 2]
        hx, hy, hz = fields[i, 0], fields[i, 1], fields[i, 2]
        out[i, 0] = hx + alpha * (sy * hz - sz * hy)
        out[i, 1] = hy + alpha * (sz * hx - sx * hz)
        out[i, 2] = hz + alpha * (sx * hy - sy * hx)


@njit(cache=True)
def rotate(spins, omega, dt, out):
    """out_i = rotation of spins_i by the angle |omega_i| dt about omega_i (Rodrigues); norms are preserved."""
    n = spins.shape[0]
    for i in range(n):
        wx, wy, wz = omega[i, 0], omega[i, 1], omega[i, 2]
        w = math.sqrt(wx * wx + wy * wy + wz * wz)
        sx, sy, sz = spins[i, 0], spins[i, 1], spins[i, 2]
        if w == 0.0:
            out[i, 0], out[i, 1], out[i, 2] = sx, sy, sz
            continue
        kx, ky, kz = wx / w, wy / w, wz / w
        theta = w * dt
        c = math.cos(theta)
        s = math.sin(theta)
        kdots = (kx * sx + ky * sy + kz * sz) * (1.0 - c)
        out[i, 0] = sx * c + (ky * sz - kz * sy) * s + kx * kdots
        out[i, 1] = sy * c + (kz * sx - kx * sz) * s + ky * kdots
        out[i, 2] = sz * c + (kx * sy - ky * sx) * s + kz * kdots


@njit(cache=True)
def site_descriptors(indptr, indices, vectors, distances, spins, centres, width, cutoff, out):
    """Rotation-invariant descriptors of every site's magnetic neighbourhood, for a batch of configurations.

    With f(r) = (cos(pi r / cutoff) + 1) / 2 for r < cutoff (0 beyond) and
    g_m(r) = exp(-(r - centres[m])^2 / (2 width^2)) f(r), the features of site i are

    * radial, m = 0..M-1:  sum_j (S_i.S_j) g_m(r_ij)
    * angular, lambda = +1, -1:  sum_{j<k} (S_j.S_k) (1 + lambda cos theta_jik) / 2 f(r_ij) f(r_ik)
    * chirality:  sum_{j<k} (S_i.(S_j x S_k))^2 f(r_ij) f(r_ik)

    out has shape (configs, n, M + 3).
    """
    n_conf, n, _ = spins.shape
    m_rad = centres.shape[0]
    inv2w2 = 1.0 / (2.0 * width * width)
    for c in range(n_conf):
        for i in range(n):
            for f in range(m_rad + 3):
                out[c, i, f] = 0.0
            six, siy, siz = spins[c, i, 0], spins[c, i, 1], spins[c, i, 2]
            for p in range(indptr[i], indptr[i + 1]):
                r = distances[p]
                if r >= cutoff:
                    continue
                j = indices[p]
                fp = 0.5 * (math.cos(math.pi * r / cutoff) + 1.0)
                dot_ij = six * spins[c, j, 0] + siy * spins[c, j, 1] + siz * spins[c, j, 2]
                for m in range(m_rad):
                    d = r - centres[m]
                    out[c, i, m] += dot_ij * math.exp(-d * d * inv2w2) * fp
                sjx, sjy, sjz = spins[c, j, 0], spins[c, j, 1], spins[c, j, 2]
                for q in range(p + 1, indptr[i + 1]):
                    r2 = distances[q]
                    if r2 >= cutoff:
                        continue
                    k = indices[q]
                    fq = 0.5 * (math.cos(math.pi * r2 / cutoff) + 1.0)
                    cos_t = (
                        vectors[p, 0] * vectors[q, 0] + vectors[p, 1] * vectors[q, 1] + vectors[p, 2] * vectors[q, 2]
                    ) / (r * r2)
                    skx, sky, skz = spins[c, k, 0], spins[c, k, 1], spins[c, k, 2]
                    dot_jk = sjx * skx + sjy * sky + sjz * skz
                    cx = sjy * skz - sjz * sky
                    cy = sjz * skx - sjx * skz
                    cz = sjx * sky - sjy * skx
                    chi = six * cx + siy * cy + siz * cz
                    weight = fp * fq
                    out[c, i, m_rad] += dot_jk * 0.5 * (1.0 + cos_t) * weight
                    out[c, i, m_rad + 1] += dot_jk * 0.5 * (1.0 - cos_t) * weight
                    out[c, i, m_rad + 2] += chi * chi * weight

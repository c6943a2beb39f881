"""Numba kernels for the Parisi functional of a step function mu(t) and its exact gradient.

Representation. Phi(t_l, y) is stored on a uniform grid y_i = (i - M) dy through
psi_l(y) = Phi(t_l, y) - |y|, which is bounded and tends to constants as |y| -> infinity (Phi grows
like |y| at T = 0 and like T ln cosh(y/T) at T > 0), so values beyond the grid are the boundary values.
One Parisi step on [t_l, t_{l+1}) with weight mu and variance v = t_{l+1} - t_l is

    exp(mu Phi_l(y_a)) = sum_b K_v(y_b - y_a) exp(mu Phi_{l+1}(y_b)),   K_v(d) = dy exp(-d^2 / 2v) / sqrt(2 pi v),

the trapezoidal rule for the Gaussian average, whose error falls like exp(-2 pi^2 s^2 / dy^2) for an
integrand smooth on the scale s. With |y_b| - |y_a| = +-(y_b - y_a) - (|y_a| -+ y_a) the factors
exp(mu |y|) become kernels tilted by exp(+-mu d) times a row factor <= 1: no overflow at large mu.

The gradient is the exact derivative of this discrete recursion (a backward pass for the values,
then a forward pass of the tilted transition weights, the adjoint): d Phi_0(h) / d mu_l and
d Phi_0(h) / d v_l for every level.
"""

import math

import numpy as np
from numba import njit

_WINDOW_SIGMAS = 10.0
_RESOLVED = 1.1


@njit(cache=True)
def _resolved(v, dy):
    """Whether the Gaussian of variance v is resolved by the grid (trapezoid error < 1e-10)."""
    return v >= (_RESOLVED * dy) ** 2


@njit(cache=True)
def _window(v, mu, dy):
    if not _resolved(v, dy):
        return 2
    sigma = math.sqrt(v)
    return int(math.ceil((_WINDOW_SIGMAS + mu * sigma) * sigma / dy)) + 1


@njit(cache=True)
def _kernels(v, mu, dy, w):
    """Tilted kernels K(d) exp(+-mu d) on offsets -w..w and their v-derivatives.

    An unresolved variance (sigma < 1.1 dy) uses the five-point kernel whose moments 0, 2 and 4
    equal the Gaussian's (1, v, 3 v^2): weights a2, a1, a0, a1, a2 with u = v / dy^2,
    a2 = (3 u^2 - u) / 24, a1 = (u - 8 a2) / 2 (a tiny negative a2 at small u is harmless).
    """
    size = 2 * w + 1
    base = np.empty(size)
    base_dv = np.empty(size)
    if _resolved(v, dy):
        norm = dy / math.sqrt(2.0 * math.pi * v)
        for i in range(size):
            d = (i - w) * dy
            base[i] = norm * math.exp(-d * d / (2.0 * v))
            base_dv[i] = base[i] * (d * d / (2.0 * v * v) - 1.0 / (2.0 * v))
    else:
        u = v / (dy * dy)
        a2 = (3.0 * u * u - u) / 24.0
        a1 = 0.5 * (u - 8.0 * a2)
        da2 = (6.0 * u - 1.0) / (24.0 * dy * dy)
        da1 = 0.5 * (1.0 / (dy * dy) - 8.0 * da2)
        base[0] = base[4] = a2
        base[1] = base[3] = a1
        base[2] = 1.0 - 2.0 * (a1 + a2)
        base_dv[0] = base_dv[4] = da2
        base_dv[1] = base_dv[3] = da1
        base_dv[2] = -2.0 * (da1 + da2)
    plus = np.empty(size)
    minus = np.empty(size)
    plus_d2 = np.empty(size)
    minus_d2 = np.empty(size)
    for i in range(size):
        tilt = mu * (i - w) * dy
        plus[i] = base[i] * math.exp(tilt)
        minus[i] = base[i] * math.exp(-tilt)
        plus_d2[i] = base_dv[i] * math.exp(tilt)
        minus_d2[i] = base_dv[i] * math.exp(-tilt)
    return plus, minus, plus_d2, minus_d2


@njit(cache=True)
def _padded(values, pad):
    n = values.size
    out = np.empty(n + 2 * pad)
    out[pad : pad + n] = values
    out[:pad] = values[0]
    out[pad + n :] = values[n - 1]
    return out


@njit(cache=True)
def _step(psi_next, v, mu, dy, m_center, psi_out, grad_mu, grad_v, log_s_out, ep_out):
    """One Parisi step on the whole grid (mu > 0): psi_out and the direct derivatives of Phi_l.

    grad_mu[a] = d Phi_l(y_a) / d mu and grad_v[a] = d Phi_l(y_a) / d v at fixed Phi_{l+1};
    log_s_out and ep_out (= exp(mu psi_next), padded) are kept for the adjoint pass.
    """
    n = psi_next.size
    w = _window(v, mu, dy)
    plus, minus, plus_d2, minus_d2 = _kernels(v, mu, dy, w)
    ep_psi = _padded(psi_next, w)
    ep = np.exp(mu * ep_psi)
    ep_psi *= ep
    for b in range(ep.size):
        ep_out[b] = ep[b]
    for a in range(n):
        y_a = (a - m_center) * dy
        s_p = 0.0
        s_m = 0.0
        psi_p = 0.0
        psi_m = 0.0
        d1_p = 0.0
        d1_m = 0.0
        d2_p = 0.0
        d2_m = 0.0
        # offsets d with y_b = y_a + d dy >= 0, i.e. a + d >= m_center, use the + kernel
        first_plus = max(-w, m_center - a)
        for i in range(w + first_plus, 2 * w + 1):
            e = ep[a + i]
            s_p += plus[i] * e
            psi_p += plus[i] * ep_psi[a + i]
            d1_p += plus[i] * e * (i - w)
            d2_p += plus_d2[i] * e
        for i in range(0, min(w + first_plus, 2 * w + 1)):
            e = ep[a + i]
            s_m += minus[i] * e
            psi_m += minus[i] * ep_psi[a + i]
            d1_m += minus[i] * e * (i - w)
            d2_m += minus_d2[i] * e
        c_p = math.exp(mu * (y_a - abs(y_a)))
        c_m = math.exp(mu * (-y_a - abs(y_a)))
        s = c_p * s_p + c_m * s_m
        log_s = math.log(s)
        log_s_out[a] = log_s
        psi_out[a] = log_s / mu
        # E_w[Phi_{l+1}(y_b)] with |y_b| = +-(y_a + d dy) on the two sides
        mean_phi = (c_p * (psi_p + y_a * s_p + dy * d1_p) + c_m * (psi_m - y_a * s_m - dy * d1_m)) / s
        phi_a = abs(y_a) + psi_out[a]
        grad_mu[a] = (mean_phi - phi_a) / mu
        grad_v[a] = (c_p * d2_p + c_m * d2_m) / (s * mu)


@njit(cache=True)
def _adjoint_step(lam, v, mu, dy, m_center, log_s, ep, lam_next):
    """lam_next[b] = sum_a lam[a] W_ab, the tilted transition weights of one step (ghosts clamped)."""
    n = lam.size
    w = _window(v, mu, dy)
    plus, minus, _, _ = _kernels(v, mu, dy, w)
    lam_next[:] = 0.0
    padded = np.zeros(n + 2 * w)
    for a in range(n):
        if lam[a] == 0.0:
            continue
        y_a = (a - m_center) * dy
        inv_s = lam[a] * math.exp(-log_s[a])
        c_p = inv_s * math.exp(mu * (y_a - abs(y_a)))
        c_m = inv_s * math.exp(mu * (-y_a - abs(y_a)))
        first_plus = max(-w, m_center - a)
        for i in range(w + first_plus, 2 * w + 1):
            padded[a + i] += c_p * plus[i] * ep[a + i]
        for i in range(0, min(w + first_plus, 2 * w + 1)):
            padded[a + i] += c_m * minus[i] * ep[a + i]
    for b in range(padded.size):
        lam_next[min(max(b - w, 0), n - 1)] += padded[b]


@njit(cache=True)
def _root_moments(psi_next, v, mu, h, dy, m_center, lam_out):
    """Root step for sigma < 1.1 dy: weights on the 5 grid points around h whose moments 0..4 about h
    are the Gaussian's (1, 0, v, 0, 3 v^2); exact for quartic Phi, error O(v^{5/2}) otherwise."""
    n = psi_next.size
    centre = int(round(h / dy)) + m_center
    vander = np.empty((5, 5))
    phi = np.empty(5)
    for i in range(5):
        b = centre - 2 + i
        y_b = (b - m_center) * dy
        phi[i] = abs(y_b) + psi_next[min(max(b, 0), n - 1)]
        for p in range(5):
            vander[p, i] = (y_b - h) ** p
    moments = np.array([1.0, 0.0, v, 0.0, 3.0 * v * v])
    moments_dv = np.array([0.0, 0.0, 1.0, 0.0, 6.0 * v])
    weights = np.linalg.solve(vander, moments)
    weights_dv = np.linalg.solve(vander, moments_dv)
    lam_out[:] = 0.0
    if mu == 0.0:
        value = np.dot(weights, phi)
        for i in range(5):
            lam_out[min(max(centre - 2 + i, 0), n - 1)] += weights[i]
        return value, 0.0, np.dot(weights_dv, phi)
    top = phi.max()
    e = np.exp(mu * (phi - top))
    total = np.dot(weights, e)
    value = top + math.log(total) / mu
    for i in range(5):
        lam_out[min(max(centre - 2 + i, 0), n - 1)] += weights[i] * e[i] / total
    mean_phi = np.dot(weights * e, phi) / total
    return value, (mean_phi - value) / mu, np.dot(weights_dv, e) / (total * mu)


@njit(cache=True)
def _root_step(psi_next, v, mu, h, dy, m_center, lam_out):
    """Phi_0(h) from Phi_1 on the grid, its direct derivatives, and the first adjoint weights.

    The kernel is centred on h (off the grid in general) and normalised by its sum; an unresolved
    variance uses moment-matched weights on the five grid points nearest to h.
    """
    n = psi_next.size
    if not _resolved(v, dy):
        return _root_moments(psi_next, v, mu, h, dy, m_center, lam_out)
    sigma = math.sqrt(v)
    reach = (_WINDOW_SIGMAS + mu * sigma) * sigma + 2.0 * dy
    lo = int(math.floor((h - reach) / dy)) + m_center
    hi = int(math.ceil((h + reach) / dy)) + m_center
    count = hi - lo + 1
    phi = np.empty(count)
    log_k = np.empty(count)
    dv = np.empty(count)
    top = -1e300
    k_top = -1e300
    for i in range(count):
        b = lo + i
        y_b = (b - m_center) * dy
        phi[i] = abs(y_b) + psi_next[min(max(b, 0), n - 1)]
        d = y_b - h
        log_k[i] = -d * d / (2.0 * v)
        dv[i] = d * d / (2.0 * v * v) - 1.0 / (2.0 * v)
        top = max(top, log_k[i] + mu * phi[i])
        k_top = max(k_top, log_k[i])
    kernel = np.exp(log_k - k_top)
    kernel /= kernel.sum()
    weights = np.empty(count)
    total = 0.0
    for i in range(count):
        weights[i] = math.exp(log_k[i] + mu * phi[i] - top)
        total += weights[i]
    mean_phi = 0.0
    mean_dv = 0.0
    kernel_dv = 0.0
    kernel_phi_dv = 0.0
    lam_out[:] = 0.0
    for i in range(count):
        p = weights[i] / total
        mean_phi += p * phi[i]
        mean_dv += p * dv[i]
        kernel_dv += kernel[i] * dv[i]
        kernel_phi_dv += kernel[i] * dv[i] * phi[i]
        lam_out[min(max(lo + i, 0), n - 1)] += p
    if mu > 0:
        value = (top - k_top + math.log(total / np.sum(np.exp(log_k - k_top)))) / mu
        return value, (mean_phi - value) / mu, (mean_dv - kernel_dv) / mu
    # mu = 0: Phi_0 = E_K[Phi_1] with the normalised kernel
    return mean_phi, 0.0, kernel_phi_dv - kernel_dv * mean_phi


@njit(cache=True)
def _linear_step(psi_next, v, dy, m_center, psi_out, grad_v):
    """A step with mu = 0 (the x = 0 plateau, only below level 0 when q_0 > 0)."""
    n = psi_next.size
    w = _window(v, 0.0, dy)
    plus, _, plus_d2, _ = _kernels(v, 0.0, dy, w)
    pad = _padded(psi_next, w)
    for a in range(n):
        y_a = (a - m_center) * dy
        s = 0.0
        g = 0.0
        for i in range(2 * w + 1):
            b = a + i - w
            phi_b = abs((b - m_center) * dy) + pad[a + i]
            s += plus[i] * phi_b
            g += plus_d2[i] * phi_b
        psi_out[a] = s - abs(y_a)
        grad_v[a] = g


@njit(cache=True)
def value_and_gradient(t, mus, h, dy, half_width, top_psi, top_d_s2, top_d_mu):
    """Phi_0(h) and its derivatives for the step function mu(t).

    t : (L + 1,) breakpoints 0 = t_0 <= t_1 <= ... <= t_{L-1} <= t_L = 1; mus : (L,) weights.
    The top plateau [t_{L-1}, 1] is given in closed form by the caller: top_psi (its psi on the
    grid) and its derivatives with respect to s^2 = 1 - t_{L-1} and to mus[L - 1].
    Returns (Phi_0(h), dPhi/dmu (L,), dPhi/dv (L,)) with v_l = t_{l+1} - t_l (v_{L-1} = s^2).
    Levels below the top must have mu > 0 except level 0 (mu = 0 allowed).
    """
    n_levels = mus.size
    m_center = int(round(half_width / dy))
    n = 2 * m_center + 1
    d_mu = np.zeros(n_levels)
    d_v = np.zeros(n_levels)
    if n_levels == 1:
        # one plateau: Phi_0(h) = top closed form at h, interpolated linearly (callers avoid this)
        pos = h / dy + m_center
        i = min(max(int(math.floor(pos)), 0), n - 2)
        f = pos - i
        psi = (1 - f) * top_psi[i] + f * top_psi[i + 1]
        d_v[0] = (1 - f) * top_d_s2[i] + f * top_d_s2[i + 1]
        d_mu[0] = (1 - f) * top_d_mu[i] + f * top_d_mu[i + 1]
        return abs(h) + psi, d_mu, d_v
    psi = np.empty((n_levels, n))
    g_mu = np.zeros((n_levels, n))
    g_v = np.zeros((n_levels, n))
    log_s = np.zeros((n_levels, n))
    w_max = 1
    for level in range(1, n_levels - 1):
        w_max = max(w_max, _window(t[level + 1] - t[level], mus[level], dy))
    ep = np.zeros((n_levels, n + 2 * w_max))
    psi[n_levels - 1] = top_psi
    for level in range(n_levels - 2, 0, -1):
        v = t[level + 1] - t[level]
        if v <= 0.0:
            psi[level] = psi[level + 1]
            continue
        if mus[level] > 0:
            w = _window(v, mus[level], dy)
            _step(
                psi[level + 1],
                v,
                mus[level],
                dy,
                m_center,
                psi[level],
                g_mu[level],
                g_v[level],
                log_s[level],
                ep[level, : n + 2 * w],
            )
        else:
            _linear_step(psi[level + 1], v, dy, m_center, psi[level], g_v[level])
    lam = np.zeros(n)
    v0 = t[1] - t[0]
    if v0 > 0.0:
        value, d_mu[0], d_v[0] = _root_step(psi[1], v0, mus[0], h, dy, m_center, lam)
    else:
        pos = h / dy + m_center
        i = min(max(int(math.floor(pos)), 0), n - 2)
        f = pos - i
        value = abs(h) + (1 - f) * psi[1, i] + f * psi[1, i + 1]
        lam[i] = 1 - f
        lam[i + 1] = f
    lam_next = np.zeros(n)
    for level in range(1, n_levels - 1):
        d_mu[level] = np.dot(lam, g_mu[level])
        d_v[level] = np.dot(lam, g_v[level])
        v = t[level + 1] - t[level]
        if v <= 0.0:
            continue
        if mus[level] > 0:
            w = _window(v, mus[level], dy)
            _adjoint_step(lam, v, mus[level], dy, m_center, log_s[level], ep[level, : n + 2 * w], lam_next)
        else:
            _linear_adjoint(lam, v, dy, lam_next)
        lam, lam_next = lam_next, lam
    d_mu[n_levels - 1] = np.dot(lam, top_d_mu)
    d_v[n_levels - 1] = np.dot(lam, top_d_s2)
    return value, d_mu, d_v


@njit(cache=True)
def _linear_adjoint(lam, v, dy, lam_next):
    n = lam.size
    w = _window(v, 0.0, dy)
    plus, _, _, _ = _kernels(v, 0.0, dy, w)
    lam_next[:] = 0.0
    for a in range(n):
        for i in range(2 * w + 1):
            lam_next[min(max(a + i - w, 0), n - 1)] += lam[a] * plus[i]

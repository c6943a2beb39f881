"""Numba kernels of the spherical p-spin model (p = 2, 3, 4).

Couplings are stored once per multiset of indices i1 <= i2 <= ... <= ip, flattened in the
lexicographic order of the nested loops ``for i in range(n): for j in range(i, n): ...``
(the order of ``itertools.combinations_with_replacement(range(n), p)``). The Hamiltonian is

    H(x) = sum_{i1 <= ... <= ip} c[i1..ip] x_i1 ... x_ip,

and the Euclidean gradient follows from the product rule, which also handles repeated indices
(d/dx_i of c x_i x_i x_k is 2 c x_i x_k). By Euler's theorem x . grad H = p H, so the energy
costs nothing once the gradient is known. One evaluation reads every coefficient once and
does two multiply-adds per coefficient.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def multiset_weights(n, p):
    """Number of ordered index tuples of each multiset, p! / prod(multiplicity!), in storage order."""
    count = 1
    for a in range(p):
        count = count * (n + a) // (a + 1)
    out = np.empty(count, dtype=np.float64)
    idx = 0
    if p == 2:
        for i in range(n):
            for j in range(i, n):
                out[idx] = 1.0 if i == j else 2.0
                idx += 1
    elif p == 3:
        for i in range(n):
            for j in range(i, n):
                for k in range(j, n):
                    if i == k:
                        out[idx] = 1.0
                    elif i == j or j == k:
                        out[idx] = 3.0
                    else:
                        out[idx] = 6.0
                    idx += 1
    else:
        for i in range(n):
            for j in range(i, n):
                for k in range(j, n):
                    for m in range(k, n):
                        # multiplicities of the sorted tuple (i, j, k, m)
                        denom = 1.0
                        run = 1.0
                        if j == i:
                            run += 1.0
                            denom *= run
                        else:
                            run = 1.0
                        if k == j:
                            run += 1.0
                            denom *= run
                        else:
                            run = 1.0
                        if m == k:
                            run += 1.0
                            denom *= run
                        out[idx] = 24.0 / denom
                        idx += 1
    return out


@njit(cache=True, fastmath=True)
def gradient_into(coef, p, x, g):
    """Write the Euclidean gradient of H at ``x`` into ``g``; return H(x)."""
    n = x.shape[0]
    for a in range(n):
        g[a] = 0.0
    idx = 0
    if p == 2:
        for i in range(n):
            b = 0.0
            for j in range(i, n):
                c = coef[idx]
                g[j] += c * x[i]
                b += c * x[j]
                idx += 1
            g[i] += b
    elif p == 3:
        for i in range(n):
            xi = x[i]
            for j in range(i, n):
                xj = x[j]
                a = xi * xj
                b = 0.0
                for k in range(j, n):
                    c = coef[idx]
                    g[k] += c * a
                    b += c * x[k]
                    idx += 1
                g[i] += xj * b
                g[j] += xi * b
    else:
        for i in range(n):
            xi = x[i]
            for j in range(i, n):
                xj = x[j]
                for k in range(j, n):
                    xk = x[k]
                    a = xi * xj * xk
                    b = 0.0
                    for m in range(k, n):
                        c = coef[idx]
                        g[m] += c * a
                        b += c * x[m]
                        idx += 1
                    g[i] += xj * xk * b
                    g[j] += xi * xk * b
                    g[k] += xi * xj * b
    h = 0.0
    for a in range(n):
        h += x[a] * g[a]
    return h / p


@njit(cache=True)
def gradients(coef, p, X):
    """Energies H (R,) and Euclidean gradients (R, n) for a batch of points X (R, n)."""
    R, n = X.shape
    G = np.empty((R, n))
    H = np.empty(R)
    for r in range(R):
        H[r] = gradient_into(coef, p, X[r], G[r])
    return H, G


@njit(cache=True)
def _project_step(x, g, step, noise, noise_scale, use_noise):
    """x <- normalise(x - step * P g + noise_scale * P noise) onto |x|^2 = n (P: tangent projector at x)."""
    n = x.shape[0]
    xg = 0.0
    xz = 0.0
    for a in range(n):
        xg += x[a] * g[a]
        if use_noise:
            xz += x[a] * noise[a]
    xg /= n
    xz /= n
    norm2 = 0.0
    for a in range(n):
        v = x[a] - step * (g[a] - xg * x[a])
        if use_noise:
            v += noise_scale * (noise[a] - xz * x[a])
        x[a] = v
        norm2 += v * v
    scale = np.sqrt(n / norm2)
    for a in range(n):
        x[a] *= scale


@njit(cache=True)
def descend(coef, p, X, steps, lr, energies, grad_norms):
    """Projected gradient descent of every row of X (modified in place).

    energies (R, steps + 1) receive H / n before each step and after the last; grad_norms (R,)
    the norm of the Riemannian gradient divided by sqrt(n) at the final point.
    """
    R, n = X.shape
    g = np.empty(n)
    dummy = np.empty(0)
    for r in range(R):
        x = X[r]
        for t in range(steps):
            energies[r, t] = gradient_into(coef, p, x, g) / n
            _project_step(x, g, lr, dummy, 0.0, False)
        energies[r, steps] = gradient_into(coef, p, x, g) / n
        grad_norms[r] = _tangent_norm(x, g)


@njit(cache=True)
def _tangent_norm(x, g):
    n = x.shape[0]
    xg = 0.0
    for a in range(n):
        xg += x[a] * g[a]
    xg /= n
    s = 0.0
    for a in range(n):
        v = g[a] - xg * x[a]
        s += v * v
    return np.sqrt(s / n)


@njit(cache=True)
def langevin_chunk(coef, p, X, dt, T, noise, t0, energies, grad_norms):
    """Euler-Maruyama steps t0 .. t0 + len(noise) - 1 of projected Langevin dynamics.

    noise (steps_chunk, R, n) holds standard normal draws; each step is
    x <- normalise(x - dt P grad H + sqrt(2 T dt) P xi). energies[r, t] is H / n before step t.
    """
    chunk = noise.shape[0]
    R, n = X.shape
    g = np.empty(n)
    amp = np.sqrt(2.0 * T * dt)
    for r in range(R):
        x = X[r]
        for s in range(chunk):
            energies[r, t0 + s] = gradient_into(coef, p, x, g) / n
            _project_step(x, g, dt, noise[s, r], amp, True)
        h = gradient_into(coef, p, x, g)
        energies[r, t0 + chunk] = h / n
        grad_norms[r] = _tangent_norm(x, g)

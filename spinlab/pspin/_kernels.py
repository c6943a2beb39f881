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
    """Write the Euclidean gradient of H at ``x`` into ``g``; return H(x).

    The innermost loop runs over the last index on contiguous slices of coef, x and g, which lets LLVM
    vectorise it (3-4x faster than indexing the whole arrays, where it cannot rule out aliasing).
    """
    n = x.shape[0]
    for a in range(n):
        g[a] = 0.0
    idx = 0
    if p == 2:
        for i in range(n):
            xi = x[i]
            L = n - i
            cs = coef[idx : idx + L]
            xs = x[i:]
            gs = g[i:]
            b = 0.0
            for k in range(L):
                c = cs[k]
                gs[k] += c * xi
                b += c * xs[k]
            g[i] += b
            idx += L
    elif p == 3:
        for i in range(n):
            xi = x[i]
            for j in range(i, n):
                xj = x[j]
                a = xi * xj
                L = n - j
                cs = coef[idx : idx + L]
                xs = x[j:]
                gs = g[j:]
                b = 0.0
                for k in range(L):
                    c = cs[k]
                    gs[k] += c * a
                    b += c * xs[k]
                g[i] += xj * b
                g[j] += xi * b
                idx += L
    else:
        for i in range(n):
            xi = x[i]
            for j in range(i, n):
                xj = x[j]
                for k in range(j, n):
                    xk = x[k]
                    a = xi * xj * xk
                    L = n - k
                    cs = coef[idx : idx + L]
                    xs = x[k:]
                    gs = g[k:]
                    b = 0.0
                    for m in range(L):
                        c = cs[m]
                        gs[m] += c * a
                        b += c * xs[m]
                    g[i] += xj * xk * b
                    g[j] += xi * xk * b
                    g[k] += xi * xj * b
                    idx += L
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


BLOCK = 4  # rows descended together: one pass over the coefficients serves all of them


@njit(cache=True, fastmath=True)
def gradients_block(coef, p, X, rows, G):
    """Euclidean gradients of the rows X[rows] into G[:len(rows)], in one pass over the coefficients.

    Same loops as :func:`gradient_into` with the rows innermost but one: every coefficient segment is
    read from memory once and reused from cache for all rows (~1.8x faster per row for 4 rows at
    n = 400, where the coefficients do not fit in cache).
    """
    nr = rows.shape[0]
    n = X.shape[1]
    for q in range(nr):
        for a in range(n):
            G[q, a] = 0.0
    idx = 0
    if p == 2:
        for i in range(n):
            L = n - i
            cs = coef[idx : idx + L]
            for q in range(nr):
                x = X[rows[q]]
                g = G[q]
                xi = x[i]
                xs = x[i:]
                gs = g[i:]
                b = 0.0
                for k in range(L):
                    c = cs[k]
                    gs[k] += c * xi
                    b += c * xs[k]
                g[i] += b
            idx += L
    elif p == 3:
        for i in range(n):
            for j in range(i, n):
                L = n - j
                cs = coef[idx : idx + L]
                for q in range(nr):
                    x = X[rows[q]]
                    g = G[q]
                    xi = x[i]
                    xj = x[j]
                    a = xi * xj
                    xs = x[j:]
                    gs = g[j:]
                    b = 0.0
                    for k in range(L):
                        c = cs[k]
                        gs[k] += c * a
                        b += c * xs[k]
                    g[i] += xj * b
                    g[j] += xi * b
                idx += L
    else:
        for i in range(n):
            for j in range(i, n):
                for k in range(j, n):
                    L = n - k
                    cs = coef[idx : idx + L]
                    for q in range(nr):
                        x = X[rows[q]]
                        g = G[q]
                        xi = x[i]
                        xj = x[j]
                        xk = x[k]
                        a = xi * xj * xk
                        xs = x[k:]
                        gs = g[k:]
                        b = 0.0
                        for m in range(L):
                            c = cs[m]
                            gs[m] += c * a
                            b += c * xs[m]
                        g[i] += xj * xk * b
                        g[j] += xi * xk * b
                        g[k] += xi * xj * b
                    idx += L


@njit(cache=True)
def descend(coef, p, X, steps, lr, tol, energies, grad_norms, taken):
    """Projected gradient descent of every row of X (modified in place), BLOCK rows at a time.

    energies (R, steps + 1) receive H / n before each step and after the last; grad_norms (R,)
    the norm of the Riemannian gradient divided by sqrt(n) at the final point; taken (R,) the
    number of steps made. A run stops early once that norm is below tol (tol = 0: never); its
    remaining energies are set to the last one. Each row follows the same trajectory as alone.
    """
    R, n = X.shape
    G = np.empty((BLOCK, n))
    dummy = np.empty(0)
    active = np.empty(BLOCK, dtype=np.int64)
    for first in range(0, R, BLOCK):
        na = min(BLOCK, R - first)
        for q in range(na):
            active[q] = first + q
        for t in range(steps + 1):
            if na == 0:
                break
            gradients_block(coef, p, X, active[:na], G)
            keep = 0
            for q in range(na):
                r = active[q]
                x = X[r]
                g = G[q]
                h = 0.0
                for a in range(n):
                    h += x[a] * g[a]
                e = h / p / n
                energies[r, t] = e
                norm = _tangent_norm(x, g)
                if t == steps or (tol > 0.0 and norm < tol):
                    for u in range(t + 1, steps + 1):
                        energies[r, u] = e
                    taken[r] = t
                    grad_norms[r] = norm
                    continue
                _project_step(x, g, lr, dummy, 0.0, False)
                active[keep] = r
                keep += 1
            na = keep


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


@njit(cache=True)
def hessian_into(coef, p, x, hess):
    """Write the Euclidean Hessian of H at ``x`` into ``hess`` (n, n), zeroing it first.

    Each monomial c x_i1 ... x_ip (sorted indices, repeats allowed) adds, for every ordered pair of
    distinct positions (s, t), c times the product of the other p - 2 factors to hess[i_s, i_t];
    repeated indices are then counted correctly (c x_i^2 gives 2c on the diagonal).
    """
    n = x.shape[0]
    for a in range(n):
        for b in range(n):
            hess[a, b] = 0.0
    idx = 0
    if p == 2:
        for i in range(n):
            for j in range(i, n):
                c = coef[idx]
                hess[i, j] += c
                hess[j, i] += c
                idx += 1
    elif p == 3:
        for i in range(n):
            for j in range(i, n):
                for k in range(j, n):
                    c = coef[idx]
                    hess[i, j] += c * x[k]
                    hess[j, i] += c * x[k]
                    hess[i, k] += c * x[j]
                    hess[k, i] += c * x[j]
                    hess[j, k] += c * x[i]
                    hess[k, j] += c * x[i]
                    idx += 1
    else:
        for i in range(n):
            for j in range(i, n):
                for k in range(j, n):
                    for m in range(k, n):
                        c = coef[idx]
                        hess[i, j] += c * x[k] * x[m]
                        hess[j, i] += c * x[k] * x[m]
                        hess[i, k] += c * x[j] * x[m]
                        hess[k, i] += c * x[j] * x[m]
                        hess[i, m] += c * x[j] * x[k]
                        hess[m, i] += c * x[j] * x[k]
                        hess[j, k] += c * x[i] * x[m]
                        hess[k, j] += c * x[i] * x[m]
                        hess[j, m] += c * x[i] * x[k]
                        hess[m, j] += c * x[i] * x[k]
                        hess[k, m] += c * x[i] * x[j]
                        hess[m, k] += c * x[i] * x[j]
                        idx += 1

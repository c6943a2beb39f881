"""Small trained networks on a subsample of the digits data, shared by the landscape tests."""

import numpy as np
import pytest

from spinlab import nn


@pytest.fixture(scope="session")
def digits_small():
    """200 training and 100 test digits."""
    X, y = nn.data.digits()
    return X[:200], y[:200], X[200:300], y[200:300]


@pytest.fixture(scope="session")
def trained(digits_small):
    """A width-6 ReLU network trained to about 95 % training accuracy (D = 460 parameters)."""
    X, y, _, _ = digits_small
    res = nn.train(nn.init_network(64, 6, 10, seed=0), X, y, epochs=60, lr=0.2, batch_size=16, seed=1)
    return res.network


@pytest.fixture(scope="session")
def tiny():
    """A 3-4-3 network with random data, parameters away from zero: Hessians are cheap and exact."""
    rng = np.random.default_rng(5)
    net = nn.init_network(3, 4, 3, seed=6)
    X = rng.normal(size=(9, 3))
    y = rng.integers(0, 3, 9)
    params = net.params + 0.3 * rng.normal(size=net.n_params)
    return net.with_params(params), X, y

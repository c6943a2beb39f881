"""Neural networks as spin models (Barney, Winer, Galitski, arXiv 2408.06421).

A feed-forward network becomes a layered Ising model: every neuron a spin, every weight a coupling between
consecutive layers, every bias (optionally) a field. Random weights give the layered SK spin glass, whose
transition temperature is :func:`layered_sk_tc`; training turns the glass into a single "hidden-order" TAP
solution whose melting temperature grows with training time.

* :mod:`.mlp` — :func:`init_mlp`, :func:`train_mlp`: a numpy multi-layer perceptron (ReLU, tanh, sign with
  straight-through estimator), flat parameters, log-spaced checkpoints.
* :mod:`.mapping` — :func:`to_ising`, :func:`bond_matrix`, :func:`layered_energy`, :func:`layered_sk_tc`,
  :func:`equal_width_tc`, :func:`instance_tc`, :func:`random_layered`, :func:`layered_sample`.
* :mod:`.hidden` — :func:`analyse_network`, :func:`melting_temperature`, :func:`paramagnet_instability`,
  :func:`task_overlap`, :func:`fit_power_law`.
"""

from .hidden import (
    CheckpointAnalysis,
    Melting,
    PowerLawFit,
    activation_patterns,
    analyse_network,
    fit_power_law,
    melting_temperature,
    paramagnet_instability,
    task_overlap,
)
from .mapping import (
    bond_matrix,
    equal_width_tc,
    instance_tc,
    layer_matrix,
    layered_energy,
    layered_sample,
    layered_sk_tc,
    network_layers,
    random_layered,
    to_ising,
)
from .mlp import (
    MLP,
    MLPTrainResult,
    init_mlp,
    log_checkpoints,
    mlp_accuracy,
    mlp_forward,
    mlp_loss_and_grad,
    pool_images,
    train_mlp,
)

__all__ = [
    "MLP",
    "CheckpointAnalysis",
    "MLPTrainResult",
    "Melting",
    "PowerLawFit",
    "activation_patterns",
    "analyse_network",
    "bond_matrix",
    "equal_width_tc",
    "fit_power_law",
    "init_mlp",
    "instance_tc",
    "layer_matrix",
    "layered_energy",
    "layered_sample",
    "layered_sk_tc",
    "log_checkpoints",
    "melting_temperature",
    "mlp_accuracy",
    "mlp_forward",
    "mlp_loss_and_grad",
    "network_layers",
    "paramagnet_instability",
    "pool_images",
    "random_layered",
    "task_overlap",
    "to_ising",
    "train_mlp",
]

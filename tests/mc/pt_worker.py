"""Run a checkpointed parallel-tempering job (the kill-and-resume test starts this as a process)."""

import sys

from spinlab import mc, models

if __name__ == "__main__":
    path = sys.argv[1]
    model = models.ea(4, d=3, seed=8)
    mc.parallel_tempering(model, [0.8, 1.0, 1.3, 1.7], 4000, replicas=2, seed=21, checkpoint=path, checkpoint_every=50)

import warnings

from numba.core.errors import NumbaWarning

warnings.filterwarnings("ignore", category=NumbaWarning)

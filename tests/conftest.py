import sys
import warnings
from pathlib import Path

from numba.core.errors import NumbaWarning

warnings.filterwarnings("ignore", category=NumbaWarning)

sys.path.insert(0, str(Path(__file__).parent))  # tests/book_pages.py, shared by tests/book and tests/course

import os
import sys

# Tests import the package from the source tree; no installation step is needed.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

"""``python -m newsclean.cleaners.bench``: see the package's docstring."""

import sys

from newsclean.cleaners.bench.scoring import main

sys.exit(main())

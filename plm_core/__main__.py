import sys

from plm_core.cli import main

sys.exit(main())

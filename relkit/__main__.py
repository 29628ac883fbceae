import sys

from relkit.cli import main

sys.exit(main())

"""`python -m compare`: the command line."""

import os
import sys

from compare.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    code = main()
    if "compare.pipeline" in sys.modules:
        sys.modules["compare.pipeline"].stop_facts_process()  # before the exit below skips it
    sys.stdout.flush()
    sys.stderr.flush()
    # Every output file is written and closed by now; skipping the interpreter's teardown of
    # torch and spaCy saves about two seconds a run.
    os._exit(code)

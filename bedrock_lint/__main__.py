import os
import sys

import bedrock_lint

# `python -m bedrock_lint` puts the current directory first on sys.path, so in the root
# of a repository with its own `click.py` or `libcst.py` that file would be imported (and
# run) in place of the library.  When bedrock-lint itself comes from elsewhere (it is
# installed), that entry is dropped, as `python -P` (Python 3.11+) would; from an
# uninstalled checkout it is kept, since bedrock-lint is found through it.
_package_parent = os.path.dirname(os.path.dirname(os.path.abspath(bedrock_lint.__file__)))
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd() and _package_parent != os.getcwd():
    del sys.path[0]

from bedrock_lint.cli import main  # noqa: E402 - after the sys.path change above

main()

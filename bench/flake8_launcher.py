"""flake8, with or without the bedrock-lint plugin, from the same environment.

``python flake8_launcher.py --without-plugin ARGS`` hides bedrock-lint's distribution
from flake8's plugin discovery (``importlib.metadata.distributions``), so "flake8 alone"
and "flake8 with the plugin" run the same flake8 from the same interpreter and start the
same way; without ``--without-plugin`` it is plain ``flake8 ARGS``.
"""

from __future__ import annotations

import importlib.metadata
import sys

PLUGIN_DISTRIBUTION = "bedrock-lint"


def _hide_plugin() -> None:
    original = importlib.metadata.distributions

    def distributions(**kwargs):
        for dist in original(**kwargs):
            name = (dist.metadata["Name"] or "").lower().replace("_", "-")
            if name != PLUGIN_DISTRIBUTION:
                yield dist

    importlib.metadata.distributions = distributions


def main() -> int:
    arguments = sys.argv[1:]
    if arguments[:1] == ["--without-plugin"]:
        arguments = arguments[1:]
        _hide_plugin()
    from flake8.main.cli import main as flake8_main

    return flake8_main(arguments)


if __name__ == "__main__":
    sys.exit(main())

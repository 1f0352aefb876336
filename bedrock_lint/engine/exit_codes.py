"""The exit codes of ``bedrock-lint``: shared by the command line and the commands it
runs, so they live below both."""

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# 128 + SIGINT, as shells report a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130
# 128 + SIGTERM: an editor, wrapper or CI timeout ended the run.
EXIT_TERMINATED = 143

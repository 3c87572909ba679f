"""The command-line commands, one module per command. Each offers `add_parser(sub)`, which adds
its subparser to the `caseclient` parser, and `run(args) -> int`, which runs it and returns the
exit code; `caseclient.cli` holds the table of commands and the entry point.

A command module is imported on every start (the parser needs it): heavy modules load inside
`run` or the helper that needs them, on first use.
"""

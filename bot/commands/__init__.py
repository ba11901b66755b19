"""One module per ``synbot`` subcommand; ``bot/cli.py`` registers each module's ``command``.

A command module keeps heavy imports (FastAPI, python-gitlab, LLM clients) inside its function,
so that ``synbot check`` does not pay for the service's start-up.
"""

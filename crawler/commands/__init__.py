"""The ``newsclean`` command line and what its subcommands run."""

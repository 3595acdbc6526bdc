"""``python -m wenming_xl`` runs the ``wenming`` command."""

from wenming_xl.cli import cli

if __name__ == "__main__":
    cli(prog_name="wenming")
